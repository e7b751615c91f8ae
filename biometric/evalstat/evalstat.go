// Package evalstat computes verification error rates from genuine and
// impostor comparison scores following the FVC protocol
// (bias.csr.unibo.it/fvc2002/perfeval.asp): a score at or above the threshold
// is a match; EER, FMR100, FMR1000 and ZeroFMR are read off the set of
// candidate thresholds made of every distinct score plus the maximum plus one.
// Any engine with a similarity score (finger, iris, signature) can use it.
package evalstat

import (
	"errors"
	"math"
	"slices"
	"sort"
)

// Rates are the FVC indicators for one score set.
type Rates struct {
	// Genuine and Impostor are the numbers of scores.
	Genuine, Impostor int
	// EER is the equal error rate, (EERLow+EERHigh)/2 per FVC.
	EER, EERLow, EERHigh float64
	// EERThreshold is the threshold whose interval gave the EER.
	EERThreshold float64
	// FMR100, FMR1000 and ZeroFMR are the lowest false non-match rates at
	// any threshold whose false match rate is ≤ 1 %, ≤ 0.1 % and 0.
	FMR100, FMR1000, ZeroFMR float64
	// FMR100Errors, FMR1000Errors and ZeroFMRErrors are the numbers of
	// genuine scores rejected behind each rate.
	FMR100Errors, FMR1000Errors, ZeroFMRErrors int
	// FMR100Threshold, FMR1000Threshold and ZeroFMRThreshold are the
	// thresholds where those rates are reached.
	FMR100Threshold, FMR1000Threshold, ZeroFMRThreshold float64
}

// Curve holds sorted scores and answers rate queries.
type Curve struct {
	gen, imp []float64
}

// NewCurve copies and sorts the scores. Both sets must be non-empty and free
// of NaN.
func NewCurve(genuine, impostor []float64) (*Curve, error) {
	if len(genuine) == 0 || len(impostor) == 0 {
		return nil, errors.New("evalstat: need at least one genuine and one impostor score")
	}
	c := &Curve{gen: slices.Clone(genuine), imp: slices.Clone(impostor)}
	for _, s := range [][]float64{c.gen, c.imp} {
		for _, v := range s {
			if math.IsNaN(v) {
				return nil, errors.New("evalstat: NaN score")
			}
		}
		slices.Sort(s)
	}
	return c, nil
}

// FMRErrors returns how many impostor scores are ≥ t.
func (c *Curve) FMRErrors(t float64) int {
	return len(c.imp) - sort.SearchFloat64s(c.imp, t)
}

// FNMRErrors returns how many genuine scores are < t.
func (c *Curve) FNMRErrors(t float64) int {
	return sort.SearchFloat64s(c.gen, t)
}

// FMR returns the share of impostor scores ≥ t.
func (c *Curve) FMR(t float64) float64 { return float64(c.FMRErrors(t)) / float64(len(c.imp)) }

// FNMR returns the share of genuine scores < t.
func (c *Curve) FNMR(t float64) float64 { return float64(c.FNMRErrors(t)) / float64(len(c.gen)) }

// Thresholds returns the candidate thresholds in increasing order: every
// distinct score plus the maximum plus one.
func (c *Curve) Thresholds() []float64 {
	all := append(slices.Clone(c.gen), c.imp...)
	slices.Sort(all)
	all = slices.Compact(all)
	return append(all, all[len(all)-1]+1)
}

// ThresholdAtFMR returns the lowest candidate threshold whose false match
// rate is ≤ fmr (the most permissive threshold meeting the target).
func (c *Curve) ThresholdAtFMR(fmr float64) float64 {
	ts := c.Thresholds()
	i := sort.Search(len(ts), func(i int) bool { return c.FMR(ts[i]) <= fmr })
	return ts[i] // the last threshold has FMR 0, so i is in range
}

// Rates computes the FVC indicators.
func (c *Curve) Rates() Rates {
	r := Rates{Genuine: len(c.gen), Impostor: len(c.imp)}
	ts := c.Thresholds()
	// t1: largest t with FNMR ≤ FMR; t2: smallest t with FNMR ≥ FMR.
	i2 := sort.Search(len(ts), func(i int) bool { return c.FNMR(ts[i]) >= c.FMR(ts[i]) })
	i1 := i2
	if i1 == len(ts) || c.FNMR(ts[i1]) > c.FMR(ts[i1]) {
		i1--
	}
	interval := func(i int) (lo, hi float64) {
		a, b := c.FMR(ts[i]), c.FNMR(ts[i])
		return min(a, b), max(a, b)
	}
	switch {
	case i1 < 0:
		r.EERLow, r.EERHigh = interval(i2)
		r.EERThreshold = ts[i2]
	case i2 >= len(ts):
		r.EERLow, r.EERHigh = interval(i1)
		r.EERThreshold = ts[i1]
	default:
		lo1, hi1 := interval(i1)
		lo2, hi2 := interval(i2)
		if hi1+lo1 <= hi2+lo2 {
			r.EERLow, r.EERHigh, r.EERThreshold = lo1, hi1, ts[i1]
		} else {
			r.EERLow, r.EERHigh, r.EERThreshold = lo2, hi2, ts[i2]
		}
	}
	r.EER = (r.EERLow + r.EERHigh) / 2
	at := func(fmr float64) (float64, int, float64) {
		t := c.ThresholdAtFMR(fmr)
		n := c.FNMRErrors(t)
		return float64(n) / float64(len(c.gen)), n, t
	}
	r.FMR100, r.FMR100Errors, r.FMR100Threshold = at(0.01)
	r.FMR1000, r.FMR1000Errors, r.FMR1000Threshold = at(0.001)
	r.ZeroFMR, r.ZeroFMRErrors, r.ZeroFMRThreshold = at(0)
	return r
}
