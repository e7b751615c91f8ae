package main

import (
	"encoding/json"
	"testing"
)

func TestEvalSlap(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"thumbs on the reader", []string{"eval", "slap", "--json", "--n", "1", "--slaps", "TH", "--reader"}, exitOK},
		{"an impossible tolerance", []string{"eval", "slap", "--json", "--n", "1", "--slaps", "TH", "--reader", "--tol-mm", "0.0001"}, exitNegative},
		{"unknown slap", []string{"eval", "slap", "--slaps", "R5"}, exitUsage},
		{"no identities", []string{"eval", "slap", "--n", "0"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s %s", code, tt.code, out, errOut)
			}
			if code == exitUsage {
				return
			}
			var r slapEvalReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if r.Slaps != 1 || r.Fingers != 2 || !r.Reader || r.SegRate != 1 || r.CountRate != 1 || r.OrderRate != 1 {
				t.Fatalf("report %+v", r)
			}
			if (code == exitOK) != (r.WithinRate == 1) || r.MaxMM < r.MeanMM {
				t.Fatalf("report %+v with exit %d", r, code)
			}
		})
	}
}
