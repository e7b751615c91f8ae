package finger

import "math"

// Score calibration. The raw similarity (the best pairing's edge support
// times its pair evidence, both weighted by minutia quality; see compare)
// is mapped to
// −log10(estimated false match rate), so a threshold names its FMR:
// 2 ≈ 1/100, 3 ≈ 1/1000, 4 ≈ 1/10,000, 5 ≈ 1/100,000.
//
// The map was measured on 23,040 impostor comparisons (both directions of
// the 2,880 cross-finger pairs of each FVC2002 DB1–DB4 "B" set, native
// templates, extractor and matcher of this version): an empirical table
// down to FMR 1 %, then an exponential tail FMR(s) = 0.01·exp(−(s−s0)/β)
// with β the larger of the fits through the observed 1/1,000 and 1/5,000
// points (0.599 and 0.589), so at both points it predicts at least the
// observed rate (1.0/1,000 and 1.1/5,000), i.e. errs on the safe side.
// Below 1/5,000 the rates are extrapolated; recalibrate on a larger
// impostor set (e.g. NIST SD collections) before relying on 1/100,000.
var calibTable = []struct{ raw, fmr float64 }{
	{0, 1}, {0.845, 0.5}, {1.790, 0.1}, {2.181, 0.05}, {3.133, 0.01},
}

const (
	calibTailStart = 3.133
	calibTailFMR   = 0.01
	calibTailBeta  = 0.599
)

// calibrate maps a raw similarity to −log10(FMR); it is strictly increasing.
func calibrate(raw float64) float64 {
	if raw <= 0 {
		return 0
	}
	if raw >= calibTailStart {
		return -math.Log10(calibTailFMR) + (raw-calibTailStart)/calibTailBeta/math.Ln10
	}
	for i := 1; i < len(calibTable); i++ {
		a, b := calibTable[i-1], calibTable[i]
		if raw <= b.raw {
			t := (raw - a.raw) / (b.raw - a.raw)
			la, lb := -math.Log10(a.fmr), -math.Log10(b.fmr)
			return la + t*(lb-la)
		}
	}
	return -math.Log10(calibTailFMR)
}

// ThresholdForFMR returns the score threshold whose estimated false match
// rate is fmr (e.g. 0.001 → 3). Scores at or above it count as a match.
func ThresholdForFMR(fmr float64) float64 {
	if fmr >= 1 {
		return 0
	}
	if fmr <= 0 {
		return math.Inf(1)
	}
	return -math.Log10(fmr)
}
