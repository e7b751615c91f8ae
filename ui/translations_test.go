package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

// TestTranslationsComplete checks that every key the screens pass to
// lang.L or lang.X is in both translation files, and that the two files
// hold the same keys.
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
		b, err := os.ReadFile(filepath.Join("translations", l+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
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
