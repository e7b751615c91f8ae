// Package irisstat summarises a biometric evaluation from its genuine and
// impostor distance scores (lower = more similar): equal error rate, false
// non-match rate at a fixed false match rate, decidability (d′) and the
// thresholds behind them.
package irisstat

import (
	"math"
	"sort"
)

// Summary describes the two score distributions.
type Summary struct {
	Genuine, Impostors int
	// EER is the equal error rate and EERThreshold the distance at which
	// it is reached.
	EER, EERThreshold float64
	// GenuineMean, GenuineStd, ImpostorMean and ImpostorStd describe the
	// two distributions; DPrime is Daugman's decidability
	// |μI − μG| / √((σI² + σG²)/2).
	GenuineMean, GenuineStd, ImpostorMean, ImpostorStd, DPrime float64
}

// Scores holds sorted genuine and impostor distances.
type Scores struct {
	gen, imp []float64
}

// New sorts copies of the genuine and impostor distances.
func New(genuine, impostor []float64) *Scores {
	s := &Scores{gen: append([]float64(nil), genuine...), imp: append([]float64(nil), impostor...)}
	sort.Float64s(s.gen)
	sort.Float64s(s.imp)
	return s
}

// FMR is the share of impostor distances at or below t (accepted).
func (s *Scores) FMR(t float64) float64 {
	if len(s.imp) == 0 {
		return 0
	}
	return float64(sort.Search(len(s.imp), func(i int) bool { return s.imp[i] > t })) / float64(len(s.imp))
}

// FNMR is the share of genuine distances above t (rejected).
func (s *Scores) FNMR(t float64) float64 {
	if len(s.gen) == 0 {
		return 0
	}
	acc := sort.Search(len(s.gen), func(i int) bool { return s.gen[i] > t })
	return float64(len(s.gen)-acc) / float64(len(s.gen))
}

// ThresholdAtFMR returns the largest threshold whose FMR does not exceed
// fmr: just below the ⌊fmr·N⌋+1-th smallest impostor distance.
func (s *Scores) ThresholdAtFMR(fmr float64) float64 {
	if len(s.imp) == 0 {
		return math.Inf(1)
	}
	k := int(math.Floor(fmr * float64(len(s.imp))))
	if k >= len(s.imp) {
		return s.imp[len(s.imp)-1]
	}
	return math.Nextafter(s.imp[k], math.Inf(-1))
}

// FNMRAtFMR is the false non-match rate at ThresholdAtFMR(fmr).
func (s *Scores) FNMRAtFMR(fmr float64) float64 { return s.FNMR(s.ThresholdAtFMR(fmr)) }

// Summary computes the EER and the distribution moments.
func (s *Scores) Summary() Summary {
	sum := Summary{Genuine: len(s.gen), Impostors: len(s.imp)}
	sum.GenuineMean, sum.GenuineStd = moments(s.gen)
	sum.ImpostorMean, sum.ImpostorStd = moments(s.imp)
	if v := (sum.GenuineStd*sum.GenuineStd + sum.ImpostorStd*sum.ImpostorStd) / 2; v > 0 {
		sum.DPrime = math.Abs(sum.ImpostorMean-sum.GenuineMean) / math.Sqrt(v)
	}
	sum.EER, sum.EERThreshold = s.eer()
	return sum
}

// eer sweeps every observed distance as a threshold and returns the mean of
// FMR and FNMR where their difference is smallest.
func (s *Scores) eer() (float64, float64) {
	if len(s.gen) == 0 || len(s.imp) == 0 {
		return 0, 0
	}
	all := append(append([]float64{}, s.gen...), s.imp...)
	sort.Float64s(all)
	best, bestT, bestGap := 1.0, 0.0, math.Inf(1)
	for i, t := range all {
		if i+1 < len(all) && all[i+1] == t {
			continue
		}
		fmr, fnmr := s.FMR(t), s.FNMR(t)
		if gap := math.Abs(fmr - fnmr); gap < bestGap {
			bestGap, best, bestT = gap, (fmr+fnmr)/2, t
		}
	}
	return best, bestT
}

func moments(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return 0, 0
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}
