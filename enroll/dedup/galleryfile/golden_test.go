package galleryfile_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/dedup/galleryfile"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden pins the payload layout: a change to the record encoding or
// the JSON shape breaks stations that already hold galleries.
func TestGolden(t *testing.T) {
	ids, recs := records(2)
	p, err := galleryfile.New("32.11.01", ids, recs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "gallery-v1.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("payload differs from %s (run with -update if the change is intended)", path)
	}
	if _, recs, err := galleryfile.Parse(want); err != nil || len(recs) != 2 {
		t.Fatalf("golden does not parse: %v", err)
	}
}
