package main

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func TestSigEER(t *testing.T) {
	tests := []struct {
		name     string
		gen, imp []float64
		want     float64
	}{
		{"separated", []float64{1, 2, 3}, []float64{4, 5, 6}, 0},
		{"reversed", []float64{4, 5, 6}, []float64{1, 2, 3}, 1},
		{"one overlap", []float64{1, 2, 3, 7}, []float64{4, 5, 6, 8}, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := sigEER(tt.gen, tt.imp)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("EER %v, want %v", got, tt.want)
			}
		})
	}
	if e, _ := sigEER(nil, []float64{1}); !math.IsNaN(e) {
		t.Fatal("EER of no trials is not NaN")
	}
}

func TestEvalSignatureCLI(t *testing.T) {
	dir := shareddata.Require(t, "svc2004-task2")
	code, out, errs := runCLI(t, nil, "", "eval", "signature", "--json", "--users", "4", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	for _, k := range []string{"set", "users", "eer_skilled", "eer_random", "compare_ms_median"} {
		if _, ok := r[k]; !ok {
			t.Errorf("key %q missing in %s", k, out)
		}
	}
	if r["users"].(float64) != 4 || r["eer_skilled"].(float64) > 0.25 || r["eer_random"].(float64) > 0.1 {
		t.Fatalf("implausible result on 4 users: %s", out)
	}
	if code, _, _ := runCLI(t, nil, "", "eval", "signature", t.TempDir()); code != exitUsage {
		t.Fatalf("empty folder: exit %d, want %d", code, exitUsage)
	}
}
