package iris

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Circle is a circle in image pixel coordinates.
type Circle struct {
	X, Y, R float64
}

// Eyelid is an eyelid margin modelled as the parabola
// y = Y0 + Curv·(x − X0)² in image pixels. Found is false when no eyelid
// crosses the iris.
type Eyelid struct {
	X0, Y0, Curv float64
	Found        bool
}

// At returns the eyelid's y at column x.
func (e Eyelid) At(x float64) float64 { return e.Y0 + e.Curv*(x-e.X0)*(x-e.X0) }

// boundaryN is the number of angles at which the pupil contour is sampled.
const boundaryN = 64

// Segmentation is the geometry of one eye image.
type Segmentation struct {
	// Width and Height are the image size in pixels.
	Width, Height int
	// Pupil is the best circle for the pupil boundary; PupilRadii refines it
	// to a closed contour: the boundary's distance from the pupil centre at
	// angle 2πk/boundaryN (y grows downwards).
	Pupil      Circle
	PupilRadii [boundaryN]float64
	// Iris is the limbus circle; its centre need not be the pupil's.
	Iris Circle
	// Upper and Lower are the eyelid margins.
	Upper, Lower Eyelid
	// specular marks bright reflections, one byte per pixel (1 = noise).
	specular []byte
	// lashDark and lashBright are the grey levels outside which an iris
	// sample counts as eyelash/shadow or as reflection/skin.
	lashDark, lashBright float32
	// irisSigma is the robust spread of iris grey levels.
	irisSigma float64
}

// ErrNoEye is returned when no pupil and iris can be found.
var ErrNoEye = errors.New("iris: no pupil/iris found")

// Geometry limits, as fractions, from ISO/IEC 29794-6 and common practice.
const (
	minPupilIrisRatio = 0.2 // pupil/iris radius ratio lower bound
	maxPupilIrisRatio = 0.7 // upper bound
	minPupilContrast  = 15  // grey levels between pupil core and surround
)

// maxWorkingPupil is the largest coarse pupil radius, in pixels, the
// boundary search works at; larger eyes are segmented on a 2^k-times
// downsampled image and the geometry scaled back, so the cost stays that
// of a 320×280 image while normalisation still reads full resolution.
const maxWorkingPupil = 64

// segment finds pupil, limbus, eyelids and noise in the plane. When the
// geometry is implausible it returns the partial result with the error.
func segment(img *plane) (*Segmentation, *plane, error) {
	work := img.clone()
	specular := findSpecular(img)
	inpaint(work, specular)
	px, py, pr, err := coarsePupil(work)
	if err != nil {
		return nil, nil, err
	}
	f := 1
	for pr/float64(f) > maxWorkingPupil && img.w/(2*f) >= 64 && img.h/(2*f) >= 64 {
		f *= 2
	}
	small := work
	if f > 1 {
		small = work.downsample(f)
	}
	// Full-resolution coordinate of a small pixel centre: f·x + (f−1)/2.
	c := float64(f-1) / 2
	s, err := fitGeometry(small, (px-c)/float64(f), (py-c)/float64(f), pr/float64(f))
	if s != nil && f > 1 {
		s.scale(float64(f), c)
	}
	if s != nil {
		s.Width, s.Height, s.specular = img.w, img.h, specular
		s.noiseLevels(work)
	}
	return s, work, err
}

// scale maps geometry found on a downsampled image back to full resolution.
func (s *Segmentation) scale(f, c float64) {
	sc := func(ci Circle) Circle { return Circle{ci.X*f + c, ci.Y*f + c, ci.R * f} }
	s.Pupil, s.Iris = sc(s.Pupil), sc(s.Iris)
	for k := range s.PupilRadii {
		s.PupilRadii[k] *= f
	}
	for _, e := range []*Eyelid{&s.Upper, &s.Lower} {
		e.X0, e.Y0, e.Curv = e.X0*f+c, e.Y0*f+c, e.Curv/f
	}
}

// fitGeometry finds the pupil, its contour, the limbus and the eyelids
// around a coarse pupil estimate.
func fitGeometry(work *plane, px, py, pr float64) (*Segmentation, error) {
	img := work
	s := &Segmentation{Width: img.w, Height: img.h}
	smooth := work.gaussBlur(1.5)
	s.Pupil, _ = refineCircle(smooth, Circle{px, py, pr}, circleSearch{
		centre: math.Max(3, 0.25*pr), cstep: 2, rmin: 0.6 * pr, rmax: 1.5 * pr, rstep: 1,
		sectors: pupilSectors, minR: 4,
	})
	s.Pupil, _ = refineCircle(smooth, s.Pupil, circleSearch{
		centre: 2, cstep: 0.5, rmin: s.Pupil.R - 2, rmax: s.Pupil.R + 2, rstep: 0.25,
		sectors: pupilSectors, minR: 4,
	})
	s.pupilContour(smooth)
	wide := smooth.gaussBlur(2) // σ² adds: √(1.5² + 2²) = 2.5
	rp := s.Pupil.R
	// The limbus must be visible at both lateral ends (ISO/IEC 19794-6
	// margins): it cannot be wider than the pupil centre's distance to the
	// left and right borders, with a little slack.
	limit := math.Min(s.Pupil.X, float64(img.w)-1-s.Pupil.X) + 0.1*rp
	rmax := math.Min(rp/minPupilIrisRatio, limit)
	rmin := rp / maxPupilIrisRatio
	if rmin >= rmax {
		return nil, fmt.Errorf("%w: pupil radius %.0f px too large for the image", ErrNoEye, rp)
	}
	// Limbus centre within 0.15 pupil radii (at least 3 px) of the pupil
	// centre on a 9×9 grid, then refined by up to one grid step. Pupils sit
	// a few percent of the iris radius off the limbus centre; wider windows
	// let eyelid and skin edges pull the circle off the iris (on
	// CASIA-IrisV1 a 0.25 window raised the EER from 0.75% to 1.2%).
	off := math.Max(3, 0.15*rp)
	step := off / 4
	var found bool
	s.Iris, found = refineCircle(wide, Circle{s.Pupil.X, s.Pupil.Y, (rmin + rmax) / 2}, circleSearch{
		centre: off, cstep: step, rmin: rmin, rmax: rmax, rstep: 1, sectors: limbusSectors, minR: 2,
		inside: &s.Pupil, minEdge: 0.5,
	})
	if !found {
		return s, fmt.Errorf("%w: no limbus edge", ErrNoEye)
	}
	s.Iris, _ = refineCircle(wide, s.Iris, circleSearch{
		centre: math.Ceil(step), cstep: 0.5, rmin: math.Max(rmin, s.Iris.R-3), rmax: math.Min(rmax, s.Iris.R+3), rstep: 0.5,
		sectors: limbusSectors, minR: 2, inside: &s.Pupil,
	})
	s.noiseLevels(work) // for the eyelid edge threshold at this scale
	s.findEyelids(wide)
	return s, nil
}

// findSpecular marks small bright spots: pixels far brighter than their
// neighbourhood, grown by two pixels.
func findSpecular(img *plane) []byte {
	local := img.boxBlur(6)
	m := make([]byte, img.w*img.h)
	for i, v := range img.p {
		if v >= 200 && v-local.p[i] > 40 || v >= 250 {
			m[i] = 1
		}
	}
	return dilate(m, img.w, img.h, 2)
}

func dilate(m []byte, w, h, r int) []byte {
	out := make([]byte, len(m))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if m[y*w+x] == 0 {
				continue
			}
			for dy := -r; dy <= r; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -r; dx <= r; dx++ {
					xx := x + dx
					if xx >= 0 && xx < w {
						out[yy*w+xx] = 1
					}
				}
			}
		}
	}
	return out
}

// inpaint replaces masked pixels by the mean of unmasked pixels around them
// (normalised convolution), so reflections do not disturb boundary search.
func inpaint(img *plane, m []byte) {
	any := false
	for _, v := range m {
		if v != 0 {
			any = true
			break
		}
	}
	if !any {
		return
	}
	val := newPlane(img.w, img.h)
	wt := newPlane(img.w, img.h)
	for i, v := range img.p {
		if m[i] == 0 {
			val.p[i] = v
			wt.p[i] = 1
		}
	}
	for r := 4; r <= 32; r *= 2 {
		bv, bw := val.boxBlur(r), wt.boxBlur(r)
		done := true
		for i := range img.p {
			if m[i] == 0 {
				continue
			}
			if bw.p[i] > 0.05 {
				img.p[i] = bv.p[i] / bw.p[i]
			} else {
				done = false
			}
		}
		if done {
			return
		}
	}
}

// coarsePupil finds the darkest compact blob: the centre and radius that
// maximise the contrast between a surrounding ring and an inner square, on a
// 4× downsampled image, using an integral image. It does not assume a
// flat-filled pupil.
func coarsePupil(img *plane) (x, y, r float64, err error) {
	const f = 4
	d := img.downsample(f)
	w, h := d.w, d.h
	ii := make([]float64, (w+1)*(h+1))
	for yy := 0; yy < h; yy++ {
		var row float64
		for xx := 0; xx < w; xx++ {
			row += float64(d.p[yy*w+xx])
			ii[(yy+1)*(w+1)+xx+1] = ii[yy*(w+1)+xx+1] + row
		}
	}
	sum := func(x0, y0, x1, y1 int) (float64, int) { // [x0,x1) × [y0,y1), clamped
		x0, y0 = max(x0, 0), max(y0, 0)
		x1, y1 = min(x1, w), min(y1, h)
		if x1 <= x0 || y1 <= y0 {
			return 0, 0
		}
		return ii[y1*(w+1)+x1] - ii[y0*(w+1)+x1] - ii[y1*(w+1)+x0] + ii[y0*(w+1)+x0], (x1 - x0) * (y1 - y0)
	}
	minR := 2
	maxR := min(w, h) / 5
	best, contrast := math.Inf(-1), 0.0
	for rr := minR; rr <= maxR; rr++ {
		in := max(1, rr*7/10) // inner square half-size: inscribed in the circle
		out := rr * 3 / 2
		for cy := rr; cy < h-rr; cy++ {
			for cx := rr; cx < w-rr; cx++ {
				si, ni := sum(cx-in, cy-in, cx+in+1, cy+in+1)
				so, no := sum(cx-out, cy-out, cx+out+1, cy+out+1)
				sc, nc := sum(cx-rr, cy-rr, cx+rr+1, cy+rr+1)
				if no-nc <= 0 || ni == 0 {
					continue
				}
				ring := (so - sc) / float64(no-nc)
				inner := si / float64(ni)
				// A pupil is both darker than its surround and dark in
				// absolute terms: weighting the core three times keeps
				// small dark crypts and eyelash clumps on bright skin,
				// which have more contrast but lighter cores, from winning.
				score := ring - 3*inner
				if score > best {
					best, contrast, x, y, r = score, ring-inner, float64(cx), float64(cy), float64(rr)
				}
			}
		}
	}
	// A pupil stands out from the iris by far more than sensor noise.
	if math.IsInf(best, -1) || contrast < minPupilContrast {
		return 0, 0, 0, fmt.Errorf("%w: no dark blob", ErrNoEye)
	}
	return x*f + f/2 - 0.5, y*f + f/2 - 0.5, r * f, nil
}

// sector is an angular range in radians (y downwards, 0 = right).
type sector struct{ from, to float64 }

var (
	// pupilSectors leaves out the top, where the upper eyelid may cover the pupil.
	pupilSectors = []sector{{-math.Pi / 3, 4 * math.Pi / 3}}
	// limbusSectors are the lateral arcs, free of eyelids (Daugman, Masek).
	limbusSectors = []sector{{-math.Pi / 8, math.Pi / 6}, {5 * math.Pi / 6, 9 * math.Pi / 8}}
)

// circleSearch is one integro-differential search.
type circleSearch struct {
	centre, cstep     float64 // centre offsets ±centre in steps of cstep
	rmin, rmax, rstep float64 // radii
	sectors           []sector
	minR              float64 // smallest radius allowed
	// inside, when set, must lie within the circle with a margin of 10%
	// of its radius (the pupil inside the limbus).
	inside *Circle
	// minEdge is the smallest score, in grey levels per 2 px, that counts
	// as an edge for the found result.
	minEdge float64
}

// refineCircle runs Daugman's integro-differential operator: it returns the
// circle maximising the Gaussian-smoothed radial derivative of the mean
// intensity on arcs (outside brighter than inside). With several sectors
// every arc must rise outwards, so a limbus candidate with one arc on the
// iris edge and the other on a darkening skin fold is not taken. found is
// false, and c0 returned, when no candidate had such an edge.
func refineCircle(img *plane, c0 Circle, cs circleSearch) (c Circle, found bool) {
	dirs := make([][][2]float64, len(cs.sectors))
	for si, s := range cs.sectors {
		n := int(math.Ceil((s.to - s.from) / (math.Pi / 48)))
		for i := 0; i < n; i++ {
			a := s.from + (float64(i)+0.5)*(s.to-s.from)/float64(n)
			dirs[si] = append(dirs[si], [2]float64{math.Cos(a), math.Sin(a)})
		}
	}
	rmin := math.Max(cs.rmin, cs.minR)
	nr := int((cs.rmax-rmin)/cs.rstep) + 1
	if nr < 5 {
		return c0, false
	}
	means := make([][]float64, len(dirs))
	for i := range means {
		means[i] = make([]float64, nr)
	}
	score := make([]float64, nr)
	best, bestC := math.Inf(-1), c0
	steps := int(math.Round(cs.centre / cs.cstep))
	for iy := -steps; iy <= steps; iy++ {
		for ix := -steps; ix <= steps; ix++ {
			cx, cy := c0.X+float64(ix)*cs.cstep, c0.Y+float64(iy)*cs.cstep
			for k := 0; k < nr; k++ {
				r := rmin + float64(k)*cs.rstep
				excluded := cs.inside != nil && math.Hypot(cx-cs.inside.X, cy-cs.inside.Y)+1.1*cs.inside.R > r
				for si, ds := range dirs {
					means[si][k] = math.NaN()
					if excluded {
						continue
					}
					var s float64
					n := 0
					for _, d := range ds {
						if v, ok := img.bilinear(cx+r*d[0], cy+r*d[1]); ok {
							s += float64(v)
							n++
						}
					}
					if n*10 >= len(ds)*9 {
						means[si][k] = s / float64(n)
					}
				}
			}
			for k := 2; k < nr-2; k++ {
				score[k] = 0
				for _, m := range means {
					// Smoothed central difference: [1 2 1]/4 ∗ (m[k+1] − m[k−1]).
					v := 0.25*(m[k]-m[k-2]) + 0.5*(m[k+1]-m[k-1]) + 0.25*(m[k+2]-m[k])
					if !(v > 0) { // a dark-to-bright edge on every arc; NaN poisons
						score[k] = math.NaN()
						break
					}
					score[k] += v
				}
				if score[k] > best {
					best = score[k]
					bestC = Circle{cx, cy, rmin + float64(k)*cs.rstep}
				}
			}
		}
	}
	return bestC, best > cs.minEdge
}

// pupilContour refines the pupil circle into a closed contour: the strongest
// outward dark-to-bright edge along each ray, outliers replaced by the
// circle, then smoothed around the boundary.
func (s *Segmentation) pupilContour(img *plane) {
	p := s.Pupil
	var raw [boundaryN]float64
	var ok [boundaryN]bool
	for k := 0; k < boundaryN; k++ {
		a := 2 * math.Pi * float64(k) / boundaryN
		dx, dy := math.Cos(a), math.Sin(a)
		best, bestR := 0.0, p.R
		for r := 0.75 * p.R; r <= 1.3*p.R; r += 0.5 {
			v1, ok1 := img.bilinear(p.X+(r+1)*dx, p.Y+(r+1)*dy)
			v0, ok0 := img.bilinear(p.X+(r-1)*dx, p.Y+(r-1)*dy)
			if !ok0 || !ok1 {
				continue
			}
			g := float64(v1 - v0)
			if g > best {
				best, bestR = g, r
			}
		}
		raw[k] = bestR
		ok[k] = best > 0 && math.Abs(bestR-p.R) < 0.1*p.R+1
	}
	var filled [boundaryN]float64
	for k := range raw {
		if ok[k] {
			filled[k] = raw[k]
		} else {
			filled[k] = p.R
		}
	}
	// Median of 5 then mean of 5 around the ring.
	var med [boundaryN]float64
	win := make([]float64, 5)
	for k := range filled {
		for j := -2; j <= 2; j++ {
			win[j+2] = filled[(k+j+boundaryN)%boundaryN]
		}
		sort.Float64s(win)
		med[k] = win[2]
	}
	for k := range med {
		var sum float64
		for j := -2; j <= 2; j++ {
			sum += med[(k+j+boundaryN)%boundaryN]
		}
		s.PupilRadii[k] = sum / 5
	}
}

// pupilPoint returns the pupil boundary point at angle a (radians).
func (s *Segmentation) pupilPoint(a float64) (float64, float64) {
	t := a / (2 * math.Pi) * boundaryN
	t = math.Mod(t, boundaryN)
	if t < 0 {
		t += boundaryN
	}
	k := int(t)
	f := t - float64(k)
	r := s.PupilRadii[k]*(1-f) + s.PupilRadii[(k+1)%boundaryN]*f
	return s.Pupil.X + r*math.Cos(a), s.Pupil.Y + r*math.Sin(a)
}

// findEyelids fits the upper and lower eyelid parabolas by maximising the
// contrast between thin bands just outside and just inside the curve,
// measured only where the curve crosses the iris.
func (s *Segmentation) findEyelids(img *plane) {
	ir, p := s.Iris, s.Pupil
	band := math.Max(2, ir.R/25)
	score := func(y0, curv float64, sign float64) float64 {
		var sum float64
		n := 0
		for x := ir.X - ir.R; x <= ir.X+ir.R; x += 2 {
			y := y0 + curv*(x-p.X)*(x-p.X)
			dxi, dyi := x-ir.X, y-ir.Y
			if keep := ir.R - 2*band; dxi*dxi+dyi*dyi > keep*keep {
				continue // nor is the limbus
			}
			dxp, dyp := x-p.X, y-p.Y
			if keep := p.R + 2*band + 2; dxp*dxp+dyp*dyp < keep*keep {
				continue // the pupil edge is no eyelid
			}
			o, ok1 := img.bilinear(x, y-sign*band)
			i, ok2 := img.bilinear(x, y+sign*band)
			if !ok1 || !ok2 {
				continue
			}
			sum += float64(o - i)
			n++
		}
		if n < int(ir.R/4) {
			return 0
		}
		return math.Abs(sum / float64(n))
	}
	fit := func(sign float64, from, to float64) Eyelid {
		best := Eyelid{}
		bestScore := 0.0
		for y0 := from; sign*(to-y0) >= 0; y0 += sign {
			// An eyelid margin bends less than the limbus: curvature
			// radius ≥ iris radius, so Curv ≤ 1/(2·R).
			for c := 0.0; c <= 0.5; c += 0.05 {
				curv := sign * c / ir.R
				if v := score(y0, curv, sign); v > bestScore {
					bestScore = v
					best = Eyelid{X0: p.X, Y0: y0, Curv: curv, Found: true}
				}
			}
		}
		// An edge weaker than the iris texture is no eyelid.
		if bestScore < math.Max(8, 0.8*s.irisSigma) {
			return Eyelid{X0: p.X, Y0: ir.Y - sign*ir.R, Found: false}
		}
		return best
	}
	s.Upper = fit(1, ir.Y-ir.R, p.Y-p.R*0.5)
	s.Lower = fit(-1, ir.Y+ir.R, p.Y+p.R+band)
}

// noiseLevels estimates the iris grey-level distribution on the lateral
// sectors between pupil and limbus and sets the eyelash and reflection
// thresholds from its median and spread.
func (s *Segmentation) noiseLevels(img *plane) {
	var vals []float64
	for _, sec := range limbusSectors {
		for a := sec.from; a < sec.to; a += 0.05 {
			px, py := s.pupilPoint(a)
			lx, ly := s.Iris.X+s.Iris.R*math.Cos(a), s.Iris.Y+s.Iris.R*math.Sin(a)
			for t := 0.1; t < 0.9; t += 0.05 {
				if v, ok := img.bilinear(px+(lx-px)*t, py+(ly-py)*t); ok {
					vals = append(vals, float64(v))
				}
			}
		}
	}
	if len(vals) == 0 {
		s.lashDark, s.lashBright = 0, 255
		return
	}
	sort.Float64s(vals)
	med := vals[len(vals)/2]
	devs := make([]float64, len(vals))
	for i, v := range vals {
		devs[i] = math.Abs(v - med)
	}
	sort.Float64s(devs)
	sigma := 1.4826 * devs[len(devs)/2]
	sigma = math.Max(sigma, 4)
	s.irisSigma = sigma
	s.lashDark = float32(med - 3*sigma)
	s.lashBright = float32(med + 4*sigma)
}
