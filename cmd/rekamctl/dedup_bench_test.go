package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestBenchDedupJSON runs the benchmark at toy size on synthetic images
// only and checks the contract's keys and the counts.
func TestBenchDedupJSON(t *testing.T) {
	code, out, errs := runCLI(t, map[string]string{}, "", "bench", "dedup", "--json", "--identities", "60", "--mated", "6", "--nonmated", "5",
		"--testdata", "none", "--synth-identities", "1", "--heldout-identities", "1", "--impressions", "2", "--cache", "none", "--work", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"fpir", "gallery_build_s", "identities", "load_s", "mated_probes", "nonmated_probes", "rank1_rate", "rss_mb", "search_ms_median", "search_ms_p99"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want exactly %v", keys, want)
	}
	if m["identities"] != 60.0 || m["mated_probes"] != 6.0 || m["nonmated_probes"] != 5.0 {
		t.Fatalf("counts %v", m)
	}
	if m["rank1_rate"] != 1.0 || m["fpir"] != 0.0 {
		t.Fatalf("a one-identity toy run should find its mate and no stranger: %v", m)
	}
	if code, _, _ := runCLI(t, nil, "", "bench", "dedup", "--identities", "0"); code != exitUsage {
		t.Fatalf("--identities 0: exit %d", code)
	}
}
