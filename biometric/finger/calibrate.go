package finger

import "math"

// Score calibration. The raw similarity (edge support of the best pairing,
// normalised by the two minutiae counts) is mapped to
// −log10(estimated false match rate), so a threshold names its FMR:
// 2 ≈ 1/100, 3 ≈ 1/1000, 4 ≈ 1/10,000, 5 ≈ 1/100,000.
//
// The map was measured on 23,040 impostor comparisons (both directions of
// the 2,880 cross-finger pairs of each FVC2002 DB1–DB4 "B" set, native
// templates): an empirical table down to FMR 2 %, then the exponential tail
// fitted to the top 2 % of impostor scores (FMR(s) = 0.02·exp(−(s−s0)/β)).
// Below 1/1000 the rates are extrapolated from that fit; recalibrate on a
// larger impostor set before relying on 1/100,000.
var calibTable = []struct{ raw, fmr float64 }{
	{0, 1}, {3.569, 0.5}, {5.891, 0.1}, {6.800, 0.05}, {8.082, 0.02},
}

const (
	calibTailStart = 8.082
	calibTailFMR   = 0.02
	calibTailBeta  = 1.431
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
