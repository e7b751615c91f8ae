package signature

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// DefaultThreshold is the global score threshold: a signature whose Score
// against a template is at most this value is accepted as genuine. It was
// set at the equal-error point for skilled forgeries on SVC2004 Task 2
// (`rekamctl eval signature`).
const DefaultThreshold = 4.04

// MinReferences is the least number of references Enroll accepts.
const MinReferences = 2

// stream is one DTW comparison: a feature group and how its distance is
// normalised.
type stream struct {
	feat featureSet
	// band is the Sakoe–Chiba band as a fraction of the longer series.
	band float64
	// alpha is the exponent of the reference spread in d / spread^alpha
	// (1 = full per-user normalisation, 0 = none).
	alpha float64
	// weight scales the stream's share of the score.
	weight float64
	// tilt marks a stream that needs pen tilt in the template and the
	// query; without it the stream is left out and the others are scaled up
	// to keep the score's range.
	tilt bool
}

// streams are summed into the score: shape (position and direction),
// dynamics (velocity and pressure), all of them together, and with a lower
// weight pen tilt (altitude, azimuth) and acceleration. Chosen on SVC2004
// Task 2; see README.md for what was tuned.
var streams = []stream{
	{feat: featureSet{pos: 1, angle: 1, deriv: 4}, band: 0.15, alpha: 0.75, weight: 1},
	{feat: featureSet{vel: 1, pres: 1, deriv: 4}, band: 0.15, alpha: 0.75, weight: 1},
	{feat: featureSet{pos: 0.5, vel: 1, pres: 1, angle: 0.5, deriv: 4}, band: 0.15, alpha: 0.75, weight: 1},
	{feat: featureSet{tilt: 1, deriv: 4}, band: 0.15, alpha: 0.75, weight: 0.2, tilt: true},
	{feat: featureSet{acc: 1, deriv: 4}, band: 0.15, alpha: 0.75, weight: 0.2},
}

// globalWeight weights the global-feature distance added to the score.
const globalWeight = 0.3

// streamRefs is a template's part for one stream.
type streamRefs struct {
	// used is false for a tilt stream whose references lack usable tilt.
	used bool
	refs []series
	// spread is the median pairwise DTW distance between the references.
	spread float64
}

// Template is a user's enrolment: per stream the feature series of the
// reference signatures and their spread, and the global-feature statistics.
type Template struct {
	parts            []streamRefs
	globMean, globSD []float64
}

// Enroll builds a template from the reference signatures (SVC2004 uses five).
func Enroll(refs []*Signature) (*Template, error) {
	if len(refs) < MinReferences {
		return nil, fmt.Errorf("signature: enrol needs at least %d references, got %d", MinReferences, len(refs))
	}
	for i, r := range refs {
		if r == nil {
			return nil, fmt.Errorf("signature: reference %d is nil", i+1)
		}
	}
	t := &Template{}
	tilt := true
	for _, r := range refs {
		tilt = tilt && r.HasTilt
	}
	for _, st := range streams {
		var p streamRefs
		if st.tilt && !tilt {
			t.parts = append(t.parts, p)
			continue
		}
		for i, r := range refs {
			s := st.feat.extract(r)
			if s.len() < 2 {
				return nil, fmt.Errorf("signature: reference %d has %d usable samples", i+1, s.len())
			}
			p.refs = append(p.refs, s)
		}
		var ds []float64
		for i := range p.refs {
			for j := i + 1; j < len(p.refs); j++ {
				ds = append(ds, dtw(p.refs[i], p.refs[j], st.band))
			}
		}
		sort.Float64s(ds)
		p.spread = ds[len(ds)/2]
		if st.tilt && p.spread <= 0 {
			// the pad reported a constant tilt: nothing to compare
			t.parts = append(t.parts, streamRefs{})
			continue
		}
		p.used = true
		if p.spread <= 0 || math.IsInf(p.spread, 0) {
			return nil, errors.New("signature: references are identical or empty; cannot set a spread")
		}
		t.parts = append(t.parts, p)
	}
	t.globMean, t.globSD = globalStats(refs)
	return t, nil
}

// Score returns the dissimilarity of sig to the template: per stream the
// mean DTW distance to the references divided by the references' spread
// (to the power alpha), weighted and summed, plus the weighted
// global-feature distance. Streams that need pen tilt are left out when the
// template or sig lacks it, and the others are scaled up by the missing
// weight. Lower is more similar; compare with a threshold such as
// DefaultThreshold.
func (t *Template) Score(sig *Signature) (float64, error) {
	if sig == nil {
		return 0, errors.New("signature: nil signature")
	}
	score, all, used := 0.0, 0.0, 0.0
	for k, st := range streams {
		all += st.weight
		if !t.parts[k].used || (st.tilt && !sig.HasTilt) {
			continue
		}
		used += st.weight
		q := st.feat.extract(sig)
		if q.len() < 2 {
			return 0, fmt.Errorf("signature: %d usable samples, need 2", q.len())
		}
		p := t.parts[k]
		d := 0.0
		for _, r := range p.refs {
			d += dtw(q, r, st.band)
		}
		d /= float64(len(p.refs))
		score += st.weight * d / math.Pow(p.spread, st.alpha)
	}
	return score*all/used + globalWeight*globalDistance(globalFeatures(sig), t.globMean, t.globSD), nil
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
