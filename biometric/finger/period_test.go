package finger

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSignaturePeriod(t *testing.T) {
	wave := func(period, amp float64, mutate func(i int, v float64) float64) []float64 {
		sig := make([]float64, 2*sigHalf)
		for i := range sig {
			v := 128 + amp*math.Cos(2*math.Pi*float64(i)/period+0.7)
			if mutate != nil {
				v = mutate(i, v)
			}
			sig[i] = v
		}
		return sig
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name   string
		sig    []float64
		want   float64 // 0: no period
		minShr float64
	}{
		{"clean 6", wave(6, 40, nil), 6, 0.9},
		{"clean 9.3", wave(9.3, 40, nil), 9.3, 0.9},
		{"clean 12", wave(12, 40, nil), 12, 0.9},
		{"noisy 8", wave(8, 30, func(_ int, v float64) float64 { return v + 20*rng.NormFloat64() }), 8, 0.3},
		// A crest flattened by a blotch (a ridge blurred out) must not
		// stretch the period, as counting zero crossings would.
		{"blurred crest 8", wave(8, 40, func(i int, v float64) float64 {
			if i >= 12 && i < 20 {
				return 128
			}
			return v
		}), 8, 0.3},
		{"flat", wave(8, 0.1, nil), 0, 0},
		{"too long", wave(30, 40, nil), 0, 0},
		{"too short", wave(3, 40, nil), 0, 0},
		{"wrong length", make([]float64, 10), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, share := signaturePeriod(tt.sig)
			if tt.want == 0 {
				if p != 0 {
					t.Fatalf("period %.2f, want none", p)
				}
				return
			}
			if math.Abs(p-tt.want) > 0.05*tt.want {
				t.Fatalf("period %.2f, want %.2f", p, tt.want)
			}
			if share < tt.minShr || share > 1.05 {
				t.Fatalf("peak share %.2f, want %.2f..1", share, tt.minShr)
			}
		})
	}
}
