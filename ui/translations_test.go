package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestTranslationsComplete checks that every key the screens pass to
// lang.L or lang.X is in both languages, and that both hold the same keys.
func TestTranslationsComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`lang\.[LX]\("([^"]+)"`)
	used := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: is the pattern still right?", len(used))
	}
	tables := map[string]map[string]string{}
	for _, l := range []string{"id", "en"} {
		// One table per language, possibly split over "[area.]<lang>.json"
		// files (one per screen area); a key may live in one file only.
		paths, err := filepath.Glob(filepath.Join("translations", "*"+l+".json"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no %s translation files: %v", l, err)
		}
		m := map[string]string{}
		for _, p := range paths {
			if base := filepath.Base(p); base != l+".json" && !strings.HasSuffix(base, "."+l+".json") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					t.Errorf("%s: key %q is already in another %s file", p, k, l)
				}
				m[k] = v
			}
		}
		tables[l] = m
		var missing []string
		for k, f := range used {
			if m[k] == "" {
				missing = append(missing, k+" ("+f+")")
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s.json lacks %d keys: %v", l, len(missing), missing)
		}
	}
	for k := range tables["id"] {
		if _, ok := tables["en"][k]; !ok {
			t.Errorf("key %q in id.json only", k)
		}
	}
	for k := range tables["en"] {
		if _, ok := tables["id"][k]; !ok {
			t.Errorf("key %q in en.json only", k)
		}
	}
}
