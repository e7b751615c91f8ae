package finger

import (
	"math"
	"testing"
)

func TestCalibrate(t *testing.T) {
	tests := []struct {
		raw, want float64
	}{
		{-1, 0}, {0, 0}, {1.790, 1}, {3.133, 2}, {3.133 + 0.599*math.Ln10, 3}, {3.133 + 2*0.599*math.Ln10, 4},
	}
	for _, tt := range tests {
		if got := calibrate(tt.raw); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("calibrate(%v) = %v, want %v", tt.raw, got, tt.want)
		}
	}
	prev := -1.0
	for raw := 0.0; raw < 20; raw += 0.01 {
		c := calibrate(raw)
		if c < prev {
			t.Fatalf("calibrate not increasing at %v", raw)
		}
		prev = c
	}
	if th := ThresholdForFMR(0.001); th != 3 {
		t.Errorf("ThresholdForFMR(1/1000) = %v, want 3", th)
	}
	if !math.IsInf(ThresholdForFMR(0), 1) || ThresholdForFMR(1) != 0 {
		t.Error("ThresholdForFMR edge cases")
	}
}
