// Package golden reads the golden-frame tables under a driver's testdata/:
// one frame per line, fields separated by "|", hex bytes with spaces,
// "#" comments.
package golden

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// Hex decodes spaced hex ("EF 01 FF") or fails the test.
func Hex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Rows returns the trimmed fields of every row with exactly n fields.
func Rows(t testing.TB, path string, n int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		p := strings.Split(line, "|")
		if len(p) != n {
			t.Fatalf("%s: %d fields in %q, want %d", path, len(p), line, n)
		}
		for i := range p {
			p[i] = strings.TrimSpace(p[i])
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
