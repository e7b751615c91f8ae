package irisstat

import (
	"math"
	"testing"
)

func TestRates(t *testing.T) {
	gen := []float64{0.10, 0.20, 0.30, 0.40}
	imp := []float64{0.25, 0.35, 0.45, 0.45, 0.50}
	s := New(gen, imp)
	tests := []struct {
		t         float64
		fmr, fnmr float64
	}{
		{t: 0.05, fmr: 0, fnmr: 1},
		{t: 0.25, fmr: 0.2, fnmr: 0.5},
		{t: 0.35, fmr: 0.4, fnmr: 0.25},
		{t: 0.50, fmr: 1, fnmr: 0},
	}
	for _, tt := range tests {
		if got := s.FMR(tt.t); math.Abs(got-tt.fmr) > 1e-12 {
			t.Errorf("FMR(%.2f) = %g, want %g", tt.t, got, tt.fmr)
		}
		if got := s.FNMR(tt.t); math.Abs(got-tt.fnmr) > 1e-12 {
			t.Errorf("FNMR(%.2f) = %g, want %g", tt.t, got, tt.fnmr)
		}
	}
	// FMR 0 allows no impostor: the threshold sits just below 0.25, where
	// two of four genuine scores are still accepted.
	if th := s.ThresholdAtFMR(0); th >= 0.25 || th < 0.2499 {
		t.Errorf("ThresholdAtFMR(0) = %g", th)
	}
	if got := s.FNMRAtFMR(0); got != 0.5 {
		t.Errorf("FNMRAtFMR(0) = %g, want 0.5", got)
	}
	if got := s.FNMRAtFMR(0.2); got != 0.25 {
		t.Errorf("FNMRAtFMR(0.2) = %g, want 0.25 (threshold just below 0.35)", got)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name     string
		gen, imp []float64
		eer      float64
		dprime   float64
	}{
		{"separated", []float64{0.1, 0.2}, []float64{0.4, 0.5}, 0, 0.3 / 0.05},
		{"overlap", []float64{0.1, 0.2, 0.3, 0.4}, []float64{0.25, 0.35, 0.45, 0.55}, 0.25, 0.15 / math.Sqrt(0.0125)},
		{"identical", []float64{0.3, 0.3}, []float64{0.3, 0.3}, 0.5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := New(tt.gen, tt.imp).Summary()
			if math.Abs(sum.EER-tt.eer) > 1e-9 {
				t.Errorf("EER %g, want %g", sum.EER, tt.eer)
			}
			if math.Abs(sum.DPrime-tt.dprime) > 1e-9 {
				t.Errorf("d' %g, want %g", sum.DPrime, tt.dprime)
			}
			if sum.Genuine != len(tt.gen) || sum.Impostors != len(tt.imp) {
				t.Errorf("counts %d/%d", sum.Genuine, sum.Impostors)
			}
		})
	}
}
