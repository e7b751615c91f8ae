package index

import (
	"math"
	"testing"
)

func TestCohortNormalise(t *testing.T) {
	nan := math.NaN()
	// cands builds candidates whose finger position 0 scores are given and
	// position 1 is not compared.
	cands := func(scores ...float64) []Candidate {
		out := make([]Candidate, len(scores))
		for j, s := range scores {
			for p := range out[j].Fingers {
				out[j].Fingers[p] = nan
			}
			out[j].Fingers[0] = s
		}
		return out
	}
	tests := []struct {
		name string
		in   []float64
		want []float64
	}{
		{"calibrated population keeps its scores",
			[]float64{12, 0.1, 0.3, 0, 0.2, 0.5, 1.1, 0, 0.3},
			[]float64{12, 0.1, 0.3, 0, 0.2, 0.5, 1.1, 0, 0.3}},
		{"a population scoring 2 higher is shifted down by 2",
			[]float64{12, 2.1, 2.30103, 2, 2.2, 2.5, 3.1, 2, 2.6},
			[]float64{10, 0.1, 0.30103, 0, 0.2, 0.5, 1.1, 0, 0.6}},
		{"too few compared: unchanged",
			[]float64{12, 3, 3, 3, 3},
			[]float64{12, 3, 3, 3, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := cands(tc.in...)
			cohortNormalise(out)
			for j, c := range out {
				if math.Abs(c.Fingers[0]-tc.want[j]) > 1e-4 {
					t.Errorf("candidate %d: %.4f, want %.4f", j, c.Fingers[0], tc.want[j])
				}
				if !math.IsNaN(c.Fingers[1]) {
					t.Errorf("candidate %d: an uncompared finger got score %.2f", j, c.Fingers[1])
				}
			}
		})
	}
}
