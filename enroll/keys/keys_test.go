package keys

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastKDF keeps tests quick; the parameters travel with the wrapped copy.
var fastKDF = KDFParams{Time: 1, Memory: 64, Threads: 1}

func TestMarshalParseRoundTrip(t *testing.T) {
	k, err := Generate("ST-01")
	if err != nil {
		t.Fatal(err)
	}
	b, err := k.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(k) {
		t.Fatal("parsed keys differ")
	}
	other, _ := Generate("ST-01")
	if other.Equal(k) {
		t.Fatal("two generated key sets are equal")
	}
}

func TestDeriveSeparatesPurposes(t *testing.T) {
	k, _ := Generate("ST-01")
	seen := map[string]string{}
	for _, p := range [][]byte{k.BlindIndexKey(), k.AuditKey(), k.Derive("backup", []byte("salt")), k.Derive("backup", []byte("other")), k.Data[:]} {
		if prev, dup := seen[string(p)]; dup {
			t.Fatalf("two purposes share a key (%s)", prev)
		}
		seen[string(p)] = "x"
	}
	if !bytes.Equal(k.AuditKey(), k.AuditKey()) {
		t.Fatal("derivation not deterministic")
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]string{
		"not json":      "{",
		"version":       `{"version":2,"station":"s","data_key":"AAAA","signing_seed":"AAAA"}`,
		"no station":    `{"version":1,"data_key":"AAAA","signing_seed":"AAAA"}`,
		"short key":     `{"version":1,"station":"s","data_key":"AAAA","signing_seed":"AAAA"}`,
		"oversize file": `{"x":"` + strings.Repeat("a", maxKeyFile) + `"}`,
	}
	for name, in := range tests {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: Parse accepted %.40q", name, in)
		}
	}
}

func TestWrapUnwrap(t *testing.T) {
	k, _ := Generate("ST-01")
	w, err := Wrap(k, "correct horse battery", fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unwrap(w, "correct horse battery")
	if err != nil || !got.Equal(k) {
		t.Fatalf("Unwrap = %v, %v", got, err)
	}
	if _, err := Unwrap(w, "wrong horse battery"); !errors.Is(err, ErrPassphrase) {
		t.Fatalf("wrong passphrase: err = %v", err)
	}
	// Flip one byte of the sealed part: must fail, not return other keys.
	bad := bytes.Replace(w, []byte(`"sealed": "`), []byte(`"sealed": "A`), 1)
	if _, err := Unwrap(bad, "correct horse battery"); err == nil {
		t.Fatal("tampered copy unwrapped")
	}
	if _, err := Wrap(k, "short", fastKDF); err == nil {
		t.Fatal("short passphrase accepted")
	}
	if _, err := Wrap(k, "long enough pass", KDFParams{Time: 1, Memory: 2 << 20, Threads: 1}); err == nil {
		t.Fatal("2 GiB argon2 memory accepted")
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	k, _ := Generate("ST-01")
	w, _ := Wrap(k, "correct horse battery", fastKDF)
	if err := Save(dir, k, w); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dir, KeyFile))
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", fi.Mode().Perm())
	}
	got, err := Load(dir)
	if err != nil || !got.Equal(k) {
		t.Fatalf("Load = %v", err)
	}
	if err := Save(dir, k, w); !errors.Is(err, ErrExists) {
		t.Fatalf("second Save: %v, want ErrExists", err)
	}
	gw, err := LoadWrapped(dir)
	if err != nil || !bytes.Equal(gw, w) {
		t.Fatalf("LoadWrapped: %v", err)
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "0600") {
		t.Fatalf("world-readable key file: err = %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "rekamctl init") {
		t.Fatalf("missing key file: err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	k, _ := Generate("ST-01")
	b, _ := k.Marshal()
	f.Add(b)
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := Parse(b)
		if err == nil && (k.Station == "" || len(k.Signing) == 0) {
			t.Fatal("accepted keys without station or signing key")
		}
	})
}

func FuzzParseWrapped(f *testing.F) {
	k, _ := Generate("ST-01")
	w, _ := Wrap(k, "correct horse battery", fastKDF)
	f.Add(w)
	f.Add([]byte(`{"version":1,"kdf":"argon2id","params":{"time":4294967295,"memory_kib":4294967295,"threads":255}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		wr, err := parseWrapped(b)
		if err == nil && (wr.Params.Memory > maxKDFMemory || wr.Params.Time > maxKDFTime) {
			t.Fatalf("accepted unbounded params %+v", wr.Params)
		}
	})
}
