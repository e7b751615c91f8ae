package face

import (
	"image"
	"math"
)

// Eye openness without a trained model: an open eye shows the iris as a dark
// disc whose left and right rims (the limbus) meet the brighter sclera, so
// the lateral arcs of a circle of iris size around the pupil carry vertical
// edges; a closed eye is a horizontal lash line whose edges are horizontal.
// The measure is the best lateral limbus contrast over iris-sized circles
// near the located pupil (the weaker of the two sides) divided by the mean
// horizontal edge strength (|∂I/∂y|) of the eye region, both over the same
// step, so it is free of lighting level and contrast. Every length is a fraction of the
// inter-eye distance (IED), and the eye region is resampled to a fixed
// scale first so that the value does not drift with the camera distance.
const (
	// openCanonIED is the inter-eye distance, in pixels, of the resampled
	// eye region.
	openCanonIED = 54.0
	// openIrisMin and openIrisMax bound the iris radius searched: an adult
	// iris is 11–12.5 mm across and the pupils 58–68 mm apart, so the
	// radius is 0.085–0.105 IED; the range is widened for pose and
	// pupil-distance error.
	openIrisMin, openIrisMax = 0.07, 0.11
	// openCentreSearch is how far (IED) the iris centre may sit from the
	// located pupil.
	openCentreSearch = 0.04
	// openEdgeStep is the half-step (IED) of the radial difference across
	// the limbus.
	openEdgeStep = 0.03
	// openSector is the half-angle, in degrees, of the lateral arcs (the
	// lids cover the top and bottom of the iris).
	openSector = 20.0
	// openSmooth is the Gaussian σ (IED) applied before measuring.
	openSmooth = 0.02
	// openWinX and openWinY are the half-sizes (IED) of the region whose
	// horizontal edges normalise the measure.
	openWinX, openWinY = 0.25, 0.15
	// openLidPenalty weighs the vertical brightness step on the lateral
	// arcs (lid edges) against the horizontal one (limbus). Chosen among
	// 0, 0.25 and 0.5 on the ORL calibration set (README.md).
	openLidPenalty = 0.25
)

// EyeOpenThreshold is the default least EyeOpenness of the less open eye.
// It was set on a labelled set that is not used for evaluation (see
// README.md, `rekamctl eval eyes`): the 5th percentile of open eyes in the
// frontal ORL faces (roll and yaw checks passed), after the faces
// hand-labelled as closed, winking or looking down were set apart.
const EyeOpenThreshold = 0.21

// EyeOpenness returns the openness of the image-left and image-right eye of
// f (see the comment on openCanonIED's block): about 1 for a clearly open
// eye, near 0 or below for a closed one. Compare the smaller value with
// Thresholds.MinEyeOpen.
func EyeOpenness(img image.Image, f Face) [2]float64 {
	p := planeOf(Gray(img))
	// a closed eye can pull the pupil search off; the box size bounds it
	ied := math.Max(f.IED(), 0.33*f.Size)
	return [2]float64{eyeOpenness(p, f.EyeL, ied), eyeOpenness(p, f.EyeR, ied)}
}

// eyeOpenness measures one eye whose pupil was located at e.
func eyeOpenness(p plane, e Point, ied float64) float64 {
	if !(ied > 0) {
		return 0
	}
	q, c := canonicalEye(p, e, ied)
	s := gaussPlane(q, openSmooth*openCanonIED)
	d := openEdgeStep * openCanonIED
	best := math.Inf(-1)
	sr := int(math.Floor(openCentreSearch * openCanonIED))
	for cy := -sr; cy <= sr; cy++ {
		for cx := -sr; cx <= sr; cx++ {
			o := Point{c.X + float64(cx), c.Y + float64(cy)}
			for r := openIrisMin * openCanonIED; r <= openIrisMax*openCanonIED; r += 0.5 {
				v := math.Min(lateralContrast(s, o, r, d, 1), lateralContrast(s, o, r, d, -1))
				best = math.Max(best, v)
			}
		}
	}
	// mean horizontal edge strength over the eye region
	gy, n := 0.0, 0
	for y := int(c.Y - openWinY*openCanonIED); y <= int(c.Y+openWinY*openCanonIED); y++ {
		for x := int(c.X - openWinX*openCanonIED); x <= int(c.X+openWinX*openCanonIED); x++ {
			gy += math.Abs(s.at(x, y+1)-s.at(x, y-1)) / 2
			n++
		}
	}
	gy /= float64(n)
	if gy < 1e-6 {
		return 0 // a flat region: no eye to see
	}
	return best / (2 * d * gy)
}

// lateralContrast is the mean, over an arc of ±openSector degrees around
// the horizontal on one side (side +1: right, −1: left), of the horizontal
// brightness step across the arc (±d), signed so that a brighter outside is
// positive, less openLidPenalty times the vertical step there. A
// horizontal lash line adds nothing to the first term however it crosses
// the arc, and a slanted or curved one is charged by the second.
func lateralContrast(s plane, o Point, r, d, side float64) float64 {
	const steps = 8
	sum := 0.0
	for k := 0; k <= steps; k++ {
		th := (float64(k)/steps*2 - 1) * openSector * math.Pi / 180
		x, y := o.X+side*r*math.Cos(th), o.Y+r*math.Sin(th)
		gx := side * (s.bilinear(x+d, y) - s.bilinear(x-d, y))
		gy := math.Abs(s.bilinear(x, y+d) - s.bilinear(x, y-d))
		sum += gx - openLidPenalty*gy
	}
	return sum / (steps + 1)
}

// canonicalEye resamples the square of side one IED around e so that the
// IED becomes openCanonIED pixels (low-pass filtered first when shrinking);
// it returns the plane and the eye's position in it.
func canonicalEye(p plane, e Point, ied float64) (plane, Point) {
	k := openCanonIED / ied
	src := p
	if k < 1 {
		// crop before filtering: only the eye region is needed
		src = gaussPlane(cropPlane(p, e, 0.6*ied), 0.4/k)
		e = Point{e.X - math.Floor(e.X-0.6*ied), e.Y - math.Floor(e.Y-0.6*ied)}
	}
	half := openCanonIED / 2
	n := int(2*half) + 1
	out := plane{w: n, h: n, v: make([]float64, n*n)}
	for y := range n {
		for x := range n {
			out.v[y*n+x] = src.bilinear(e.X+(float64(x)-half)/k, e.Y+(float64(y)-half)/k)
		}
	}
	return out, Point{half, half}
}

// cropPlane returns the square of half-size r around c (clamped at the
// image border) with its origin at (floor(c.X−r), floor(c.Y−r)).
func cropPlane(p plane, c Point, r float64) plane {
	x0, y0 := int(math.Floor(c.X-r)), int(math.Floor(c.Y-r))
	n := int(math.Ceil(2*r)) + 2
	out := plane{w: n, h: n, v: make([]float64, n*n)}
	for y := range n {
		for x := range n {
			out.v[y*n+x] = p.at(x0+x, y0+y)
		}
	}
	return out
}

// bilinear samples p at a fractional position, clamped to the border.
func (p plane) bilinear(x, y float64) float64 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	return p.at(x0, y0)*(1-fx)*(1-fy) + p.at(x0+1, y0)*fx*(1-fy) + p.at(x0, y0+1)*(1-fx)*fy + p.at(x0+1, y0+1)*fx*fy
}

// gaussPlane returns p smoothed with a separable Gaussian of the given σ
// in pixels (a copy of p for σ ≤ 0).
func gaussPlane(p plane, sigma float64) plane {
	out := plane{w: p.w, h: p.h, v: append([]float64(nil), p.v...)}
	if sigma <= 0 {
		return out
	}
	k := int(math.Ceil(3 * sigma))
	ker := make([]float64, 2*k+1)
	sum := 0.0
	for i := range ker {
		d := float64(i - k)
		ker[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += ker[i]
	}
	for i := range ker {
		ker[i] /= sum
	}
	tmp := plane{w: p.w, h: p.h, v: make([]float64, len(p.v))}
	for y := range p.h {
		for x := range p.w {
			v := 0.0
			for i, w := range ker {
				v += w * p.at(x+i-k, y)
			}
			tmp.v[y*p.w+x] = v
		}
	}
	for y := range p.h {
		for x := range p.w {
			v := 0.0
			for i, w := range ker {
				v += w * tmp.at(x, y+i-k)
			}
			out.v[y*p.w+x] = v
		}
	}
	return out
}
