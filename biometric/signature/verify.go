package signature

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// DefaultThreshold is the global score threshold: a signature whose Score
// against a template is at most this value is accepted as genuine. It was
// set at the equal-error point for skilled forgeries on SVC2004 Task 2.
const DefaultThreshold = 1.37

// scoring holds the tuned parameters of the score; see defaultScoring.
type scoring struct {
	feat featureSet
	// band is the Sakoe–Chiba band as a fraction of the longer series.
	band float64
	// agg chooses how distances to the references combine: "min", "mean".
	agg string
	// durW weights |ln(duration / mean reference duration)|.
	durW float64
	// globW weights the distance of the global features to the references'.
	globW float64
	// perRef divides each reference distance by that reference's own mean
	// distance to the other references instead of the common spread.
	perRef bool
	// alpha is the exponent of the spread in the normalisation d / spread^alpha.
	alpha float64
}

var defaultScoring = scoring{feat: defaultFeatures, band: 0.15, agg: "mean", globW: 0.15, alpha: 0.75}

// Template is a user's enrolment: the feature series of the reference
// signatures and their spread.
type Template struct {
	refs []series
	// spread is the mean pairwise DTW distance between references.
	spread float64
	// durMean is the mean reference duration in milliseconds.
	durMean float64
	// refSpread is each reference's mean distance to the other references.
	refSpread []float64
	// globMean and globSD are the references' global-feature statistics.
	globMean, globSD []float64
	sc               scoring
}

// MinReferences is the least number of references Enroll accepts.
const MinReferences = 2

// Enroll builds a template from the reference signatures (SVC2004 uses five).
func Enroll(refs []*Signature) (*Template, error) {
	return defaultScoring.enroll(refs)
}

func (sc scoring) enroll(refs []*Signature) (*Template, error) {
	if len(refs) < MinReferences {
		return nil, fmt.Errorf("signature: enrol needs at least %d references, got %d", MinReferences, len(refs))
	}
	t := &Template{sc: sc}
	for i, r := range refs {
		if r == nil {
			return nil, fmt.Errorf("signature: reference %d is nil", i+1)
		}
		s := sc.feat.extract(r)
		if s.len() < 2 {
			return nil, fmt.Errorf("signature: reference %d has %d usable samples", i+1, s.len())
		}
		t.refs = append(t.refs, s)
		t.durMean += float64(max(r.Duration(), 1))
	}
	t.durMean /= float64(len(refs))
	sum, n := 0.0, 0
	t.refSpread = make([]float64, len(t.refs))
	for i := range t.refs {
		for j := i + 1; j < len(t.refs); j++ {
			d := dtw(t.refs[i], t.refs[j], sc.band)
			sum += d
			n++
			t.refSpread[i] += d / float64(len(t.refs)-1)
			t.refSpread[j] += d / float64(len(t.refs)-1)
		}
	}
	t.spread = sum / float64(n)
	t.globMean, t.globSD = globalStats(refs)
	if t.spread <= 0 || math.IsInf(t.spread, 0) {
		return nil, errors.New("signature: references are identical or empty; cannot set a spread")
	}
	return t, nil
}

// Score returns the dissimilarity of sig to the template: the DTW distance to
// the references divided by the references' own spread. Lower is more
// similar; compare with a threshold such as DefaultThreshold.
func (t *Template) Score(sig *Signature) (float64, error) {
	if sig == nil {
		return 0, errors.New("signature: nil signature")
	}
	q := t.sc.feat.extract(sig)
	if q.len() < 2 {
		return 0, fmt.Errorf("signature: %d usable samples, need 2", q.len())
	}
	ds := make([]float64, len(t.refs))
	for i, r := range t.refs {
		ds[i] = dtw(q, r, t.sc.band)
		if t.sc.perRef {
			ds[i] *= t.spread / t.refSpread[i]
		}
	}
	var d float64
	switch t.sc.agg {
	case "min":
		d = slicesMin(ds)
	case "median":
		sort.Float64s(ds)
		d = ds[len(ds)/2]
	default:
		for _, x := range ds {
			d += x
		}
		d /= float64(len(ds))
	}
	s := d / math.Pow(t.spread, t.sc.alpha)
	if t.sc.durW != 0 {
		s += t.sc.durW * math.Abs(math.Log(float64(max(sig.Duration(), 1))/t.durMean))
	}
	if t.sc.globW != 0 {
		s += t.sc.globW * globalDistance(globalFeatures(sig), t.globMean, t.globSD)
	}
	return s, nil
}

func slicesMin(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}

// Result is the outcome of one verification.
type Result struct {
	// Score is the template score (lower is more similar).
	Score float64
	// Threshold is the threshold the decision used.
	Threshold float64
	// Match is Score <= Threshold.
	Match bool
}

// Verify scores sig against t and decides with threshold (use
// DefaultThreshold unless a site policy sets another).
func Verify(t *Template, sig *Signature, threshold float64) (Result, error) {
	s, err := t.Score(sig)
	if err != nil {
		return Result{}, fmt.Errorf("signature: verify: %w", err)
	}
	return Result{Score: s, Threshold: threshold, Match: s <= threshold}, nil
}
