package audit

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenChain pins the chain format: logs written by earlier versions
// must keep verifying, so the canonical encoding, hash and MAC may never
// change silently.
func TestGoldenChain(t *testing.T) {
	c := NewChain(key, Head{})
	t0 := time.Date(2026, 6, 1, 8, 0, 0, 123456789, time.UTC)
	inputs := []Entry{
		{At: t0, Actor: "station", Action: "station.init", Object: "station:ST-01", Detail: "kecamatan=32.11.01"},
		{At: t0.Add(time.Second), Actor: "budi", Action: "login.ok", Object: "operator:2"},
		{At: t0.Add(2 * time.Second), Actor: "budi", Action: "enrollment.transition", Object: "enrollment:7", Detail: "DRAFT>BIO_CAPTURED"},
	}
	var got []Entry
	for _, e := range inputs {
		h, err := c.Next(&e)
		if err != nil {
			t.Fatal(err)
		}
		c.Commit(h)
		got = append(got, e)
	}
	path := filepath.Join("testdata", "chain_v1.json")
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []Entry
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("chain differs from %s:\n got %+v\nwant %+v", path, got, want)
	}
	if err := verify(want, c.Head()); err != nil {
		t.Fatalf("golden chain does not verify: %v", err)
	}
}
