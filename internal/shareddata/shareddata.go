// Package shareddata finds the project's shared public data sets (FVC2002,
// SVC2004, NIST WSQ, region codes, …) for tests, evaluations and benchmarks.
// The data lives beside the repository in ../shared/data and is never
// committed; $REKAM_TESTDATA overrides the location.
package shareddata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the shared data folder: $REKAM_TESTDATA when set, else
// ../shared/data beside the repository root found by walking up from the
// working directory to go.mod.
func Root() (string, error) {
	if d := os.Getenv("REKAM_TESTDATA"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "data"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("shareddata: no go.mod above " + wd + " and REKAM_TESTDATA unset")
		}
	}
}

// Path joins parts onto Root and reports whether the result exists.
func Path(parts ...string) (string, bool) {
	root, err := Root()
	if err != nil {
		return "", false
	}
	p := filepath.Join(append([]string{root}, parts...)...)
	_, err = os.Stat(p)
	return p, err == nil
}

// Require returns the path of parts under the shared data folder, or skips
// the test with a message naming what is missing. In CI the data is always
// present, so CI=true turns a missing folder into a test failure instead.
func Require(tb testing.TB, parts ...string) string {
	tb.Helper()
	p, ok := Path(parts...)
	if !ok {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared data %q missing (set REKAM_TESTDATA)", p)
		}
		tb.Skipf("shared data %q not present (set REKAM_TESTDATA to its folder)", p)
	}
	return p
}
