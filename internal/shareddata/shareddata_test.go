package shareddata

import (
	"path/filepath"
	"testing"
)

func TestOverrideAndLookup(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("REKAM_TESTDATA", dir)
	if r, err := Root(); err != nil || r != dir {
		t.Fatalf("Root() = %q, %v; want %q", r, err, dir)
	}
	if _, ok := Path("nope"); ok {
		t.Fatal("Path reported a missing file as present")
	}
	if p, ok := Path(); !ok || p != filepath.Clean(dir) {
		t.Fatalf("Path() = %q, %v", p, ok)
	}
}
