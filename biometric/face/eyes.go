package face

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// Eye patch geometry: each eye is sampled on a grid of eyeGridW × eyeGridH
// points at two scales around the pupil (0.7 × 0.45 and 0.9 × 0.6
// inter-eye distances), the second adding lids and brow.
const (
	eyeGridW = 12
	eyeGridH = 8
	// EyePatchLen is the length of one eye patch vector.
	EyePatchLen = 2 * eyeGridW * eyeGridH
)

var eyeSpans = [2][2]float64{{0.7, 0.45}, {0.9, 0.6}}

// EyePatches returns the normalised patches of the image-left and
// image-right eye of f; the right one is mirrored so that one model serves
// both. Each patch is bilinearly sampled and shifted/scaled to zero mean
// and unit spread, so lighting level and contrast drop out.
func EyePatches(img image.Image, f Face) [2][]float64 {
	p := planeOf(Gray(img))
	// a closed eye can pull the pupil search off; the box size bounds it
	ied := math.Max(f.IED(), 0.33*f.Size)
	return [2][]float64{eyePatch(p, f.EyeL, ied, false), eyePatch(p, f.EyeR, ied, true)}
}

func eyePatch(p plane, e Point, ied float64, mirror bool) []float64 {
	out := make([]float64, 0, EyePatchLen)
	for _, sp := range eyeSpans {
		v := make([]float64, 0, eyeGridW*eyeGridH)
		for j := range eyeGridH {
			for i := range eyeGridW {
				u := (float64(i)+0.5)/eyeGridW - 0.5
				if mirror {
					u = -u
				}
				x := e.X + u*sp[0]*ied
				y := e.Y + ((float64(j)+0.5)/eyeGridH-0.5)*sp[1]*ied
				x0, y0 := int(math.Floor(x)), int(math.Floor(y))
				fx, fy := x-float64(x0), y-float64(y0)
				v = append(v, p.at(x0, y0)*(1-fx)*(1-fy)+p.at(x0+1, y0)*fx*(1-fy)+p.at(x0, y0+1)*(1-fx)*fy+p.at(x0+1, y0+1)*fx*fy)
			}
		}
		m, s := mean(v), stddev(v)
		for i := range v {
			v[i] = (v[i] - m) / (s + 1)
		}
		out = append(out, v...)
	}
	return out
}

// EyeModel is a linear eye-state classifier over EyePatches: Openness is
// the log-odds that the eye is open (regularised Fisher discriminant with
// a Gaussian calibration of its projection and the training class priors).
type EyeModel struct {
	// W holds one weight per patch sample and B the offset.
	W []float64 `json:"w"`
	B float64   `json:"b"`
}

// Openness returns the log-odds that the eye of patch v is open (> 0: open).
func (m *EyeModel) Openness(v []float64) float64 {
	s := m.B
	for i := range min(len(v), len(m.W)) {
		s += v[i] * m.W[i]
	}
	return s
}

// LoadEyeModel parses a model stored as JSON ({"w": [...], "b": ...}).
func LoadEyeModel(b []byte) (*EyeModel, error) {
	var m struct {
		W []float64 `json:"w"`
		B float64   `json:"b"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("face: eye model: %w", err)
	}
	if len(m.W) != EyePatchLen {
		return nil, fmt.Errorf("face: eye model has %d weights, want %d", len(m.W), EyePatchLen)
	}
	for _, w := range append(m.W, m.B) {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, errors.New("face: eye model holds a non-finite weight")
		}
	}
	return &EyeModel{W: m.W, B: m.B}, nil
}

// EyeRidge is the ridge added to the within-class scatter, as a fraction of
// its mean diagonal.
const EyeRidge = 0.1

// TrainEyeModel fits an EyeModel to patches of open and closed eyes.
func TrainEyeModel(open, closed [][]float64) (*EyeModel, error) {
	n := EyePatchLen
	if len(open) < 2 || len(closed) < 2 {
		return nil, fmt.Errorf("face: eye model needs ≥ 2 open and ≥ 2 closed eyes, got %d and %d", len(open), len(closed))
	}
	for _, v := range append(append([][]float64{}, open...), closed...) {
		if len(v) != n {
			return nil, fmt.Errorf("face: eye patch of %d values, want %d", len(v), n)
		}
	}
	mo, mc := meanVec(open, n), meanVec(closed, n)
	s := make([]float64, n*n)
	scatter(s, open, mo, n)
	scatter(s, closed, mc, n)
	tr := 0.0
	for i := range n {
		tr += s[i*n+i]
	}
	for i := range n {
		s[i*n+i] += EyeRidge * tr / float64(n)
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = mo[i] - mc[i]
	}
	w, err := cholSolve(s, d, n)
	if err != nil {
		return nil, err
	}
	// calibrate: Gaussian classes with a shared variance along w
	proj := func(v []float64) float64 { return (&EyeModel{W: w}).Openness(v) }
	var po, pc []float64
	for _, v := range open {
		po = append(po, proj(v))
	}
	for _, v := range closed {
		pc = append(pc, proj(v))
	}
	mO, mC := mean(po), mean(pc)
	vv := 0.0
	for _, x := range po {
		vv += (x - mO) * (x - mO)
	}
	for _, x := range pc {
		vv += (x - mC) * (x - mC)
	}
	vv /= float64(len(po) + len(pc) - 2)
	if !(vv > 0) || mO <= mC {
		return nil, errors.New("face: eye model does not separate open from closed eyes")
	}
	k := (mO - mC) / vv
	for i := range w {
		w[i] *= k
	}
	return &EyeModel{W: w, B: -k*(mO+mC)/2 + math.Log(float64(len(open))/float64(len(closed)))}, nil
}

func meanVec(set [][]float64, n int) []float64 {
	m := make([]float64, n)
	for _, v := range set {
		for i := range v {
			m[i] += v[i] / float64(len(set))
		}
	}
	return m
}

// scatter adds Σ (v−m)(v−m)ᵀ over set to s.
func scatter(s []float64, set [][]float64, m []float64, n int) {
	d := make([]float64, n)
	for _, v := range set {
		for i := range v {
			d[i] = v[i] - m[i]
		}
		for i := range n {
			for j := range n {
				s[i*n+j] += d[i] * d[j]
			}
		}
	}
}

// cholSolve solves a x = b for a symmetric positive-definite n × n matrix.
func cholSolve(a, b []float64, n int) ([]float64, error) {
	l := make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for k := range j {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if s <= 0 {
					return nil, errors.New("face: eye model: scatter matrix not positive definite")
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	y := make([]float64, n)
	for i := range n {
		s := b[i]
		for k := range i {
			s -= l[i*n+k] * y[k]
		}
		y[i] = s / l[i*n+i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	return x, nil
}

// EyeTrainingPatches returns, for training an EyeModel, the patches of both
// eyes of f at the located pupils and shifted by ±4 % of the inter-eye
// distance in x and y, so the model tolerates pupil-location jitter.
func EyeTrainingPatches(img image.Image, f Face) [][]float64 {
	p := planeOf(Gray(img))
	ied := math.Max(f.IED(), 0.33*f.Size)
	var out [][]float64
	for _, d := range [][2]float64{{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
		dx, dy := 0.04*ied*d[0], 0.04*ied*d[1]
		out = append(out,
			eyePatch(p, Point{f.EyeL.X + dx, f.EyeL.Y + dy}, ied, false),
			eyePatch(p, Point{f.EyeR.X - dx, f.EyeR.Y + dy}, ied, true))
	}
	return out
}

// EyeSubject is one person's labelled eye material for training.
type EyeSubject struct {
	// Open and Closed are training patches (EyeTrainingPatches).
	Open, Closed [][]float64
	// OpenPairs are the two eye patches (EyePatches) of each of the
	// person's open-eyed images, used to calibrate the decision point.
	OpenPairs [][2][]float64
}

// TrainEyeModelCalibrated trains on every subject and then moves the
// decision point so that about falseAlarm of the open-eyed images of
// people the model has not seen are judged closed. The rate is estimated by
// leave-one-subject-out: each subject's open-eyed images are scored by a
// model trained on the others.
func TrainEyeModelCalibrated(subjects []EyeSubject, falseAlarm float64) (*EyeModel, error) {
	if falseAlarm <= 0 || falseAlarm >= 1 {
		return nil, fmt.Errorf("face: false-alarm target %v outside (0, 1)", falseAlarm)
	}
	if len(subjects) < 3 {
		return nil, fmt.Errorf("face: calibration needs ≥ 3 subjects, got %d", len(subjects))
	}
	pool := func(skip int) (open, closed [][]float64) {
		for i, s := range subjects {
			if i != skip {
				open = append(open, s.Open...)
				closed = append(closed, s.Closed...)
			}
		}
		return
	}
	var held []float64
	for i, s := range subjects {
		if len(s.OpenPairs) == 0 {
			continue
		}
		o, c := pool(i)
		m, err := TrainEyeModel(o, c)
		if err != nil {
			continue // this fold lacks closed eyes; skip it
		}
		for _, p := range s.OpenPairs {
			held = append(held, math.Min(m.Openness(p[0]), m.Openness(p[1])))
		}
	}
	if len(held) == 0 {
		return nil, errors.New("face: no open-eyed images to calibrate on")
	}
	o, c := pool(-1)
	m, err := TrainEyeModel(o, c)
	if err != nil {
		return nil, err
	}
	sort.Float64s(held)
	// the threshold 0 is moved to the falseAlarm quantile of unseen open eyes
	m.B -= held[int(falseAlarm*float64(len(held)))]
	return m, nil
}
