package evalstat

import (
	"math"
	"testing"
)

func TestRates(t *testing.T) {
	tests := []struct {
		name                      string
		gen, imp                  []float64
		eer, fmr100, zero         float64
		fmr100Errors, zeroFMRErrs int
	}{
		{"separated", []float64{5, 6, 7, 8}, []float64{1, 2, 3, 4}, 0, 0, 0, 0, 0},
		{"one overlap", []float64{3, 6, 7, 8}, []float64{1, 2, 4, 5}, 0.25, 0.25, 0.25, 1, 1},
		{"identical", []float64{1, 1}, []float64{1, 1}, 0.5, 1, 1, 2, 2},
		{"all reversed", []float64{1, 2}, []float64{3, 4}, 1, 1, 1, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCurve(tt.gen, tt.imp)
			if err != nil {
				t.Fatal(err)
			}
			r := c.Rates()
			if math.Abs(r.EER-tt.eer) > 1e-9 {
				t.Errorf("EER %v, want %v (%+v)", r.EER, tt.eer, r)
			}
			if math.Abs(r.FMR100-tt.fmr100) > 1e-9 || r.FMR100Errors != tt.fmr100Errors {
				t.Errorf("FMR100 %v (%d), want %v (%d)", r.FMR100, r.FMR100Errors, tt.fmr100, tt.fmr100Errors)
			}
			if math.Abs(r.ZeroFMR-tt.zero) > 1e-9 || r.ZeroFMRErrors != tt.zeroFMRErrs {
				t.Errorf("ZeroFMR %v (%d), want %v (%d)", r.ZeroFMR, r.ZeroFMRErrors, tt.zero, tt.zeroFMRErrs)
			}
		})
	}
}

func TestFMR1000NeedsManyImpostors(t *testing.T) {
	// 2000 impostors at 0..1999 and genuine scores at 1995..2004: FMR ≤ 0.1 %
	// needs t ≥ 1998 (2 impostors ≥ 1998), so 3 genuine scores (1995–1997) fail.
	imp := make([]float64, 2000)
	for i := range imp {
		imp[i] = float64(i)
	}
	gen := []float64{1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004}
	c, err := NewCurve(gen, imp)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Rates()
	if r.FMR1000Errors != 3 || r.FMR1000Threshold != 1998 {
		t.Fatalf("FMR1000 %d errors at %v, want 3 at 1998", r.FMR1000Errors, r.FMR1000Threshold)
	}
}

func TestNewCurveRejects(t *testing.T) {
	if _, err := NewCurve(nil, []float64{1}); err == nil {
		t.Fatal("empty genuine accepted")
	}
	if _, err := NewCurve([]float64{math.NaN()}, []float64{1}); err == nil {
		t.Fatal("NaN accepted")
	}
}
