package iris

import "math"

// Rubber-sheet grid: polarRows radial samples (grouped into CodeRows code
// rows) × CodeCols angular samples, between rhoInner and rhoOuter of the
// way from the pupil boundary to the limbus.
const (
	polarRows = CodeRows * rowGroup
	rowGroup  = 4
	rhoInner  = 0.0
	rhoOuter  = 0.7
)

// polar is the normalised iris: values and a validity flag per sample.
type polar struct {
	v     [polarRows][CodeCols]float32
	valid [polarRows][CodeCols]bool
}

// normalize maps the iris annulus onto a fixed rectangle (Daugman's rubber
// sheet) between the pupil contour and the limbus circle, which need not be
// concentric. Samples off the image, beyond an eyelid, on a reflection or
// darker/brighter than the iris (eyelashes, skin) are marked invalid.
func normalize(img *plane, s *Segmentation) *polar {
	pol := &polar{}
	for c := 0; c < CodeCols; c++ {
		a := 2 * math.Pi * float64(c) / CodeCols
		px, py := s.pupilPoint(a)
		lx, ly := s.Iris.X+s.Iris.R*math.Cos(a), s.Iris.Y+s.Iris.R*math.Sin(a)
		for r := 0; r < polarRows; r++ {
			rho := rhoInner + (rhoOuter-rhoInner)*(float64(r)+0.5)/polarRows
			x, y := px+(lx-px)*rho, py+(ly-py)*rho
			v, ok := img.bilinear(x, y)
			if !ok {
				continue
			}
			pol.v[r][c] = v
			if s.Upper.Found && y < s.Upper.At(x) || s.Lower.Found && y > s.Lower.At(x) {
				continue
			}
			if v < s.lashDark || v > s.lashBright {
				continue
			}
			xi, yi := int(x+0.5), int(y+0.5)
			if s.specular[yi*s.Width+xi] != 0 {
				continue
			}
			pol.valid[r][c] = true
		}
	}
	return pol
}

// validFraction is the share of valid samples.
func (p *polar) validFraction() float64 {
	n := 0
	for r := range p.valid {
		for _, ok := range p.valid[r] {
			if ok {
				n++
			}
		}
	}
	return float64(n) / (polarRows * CodeCols)
}
