// Package tmplsynth synthesises biometric templates directly, without
// images, so that a 1:N gallery of hundreds of thousands of identities can
// be built in minutes for benchmarks. Fingers get minutiae laid on a
// zero-pole orientation field (loops, whorls, arches) at ridge-like spacing
// inside an elliptical contact area; irises get codes whose phase bits are
// smooth random processes along the angle (so neighbouring bits correlate
// as in real iris codes) with eyelid and reflection masks. The templates are
// only as realistic as these statistics: they serve as the many strangers of
// a gallery, never as the mated pairs whose hit rate is measured.
package tmplsynth

import (
	"math"
	"math/cmplx"
	"math/rand/v2"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

// rng returns a deterministic source for (seed, salt).
func rng(seed uint64, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed*0x9E3779B97F4A7C15+salt, salt^0xD1B54A32D192ED03))
}

// Finger returns a synthetic template for finger position pos (1–10) of
// identity seed. The same arguments always give the same template.
func Finger(seed uint64, pos int) *finger.Template {
	r := rng(seed, uint64(pos))
	const w, h = 300, 400
	cx, cy := 150+r.NormFloat64()*10, 200+r.NormFloat64()*15
	ax, ay := 115+r.NormFloat64()*10, 165+r.NormFloat64()*15
	// Zero-pole orientation model: cores add, deltas subtract half angles.
	var cores, deltas []complex128
	switch k := r.IntN(10); {
	case k < 6: // loop
		c := complex(cx+r.NormFloat64()*20, cy-40+r.NormFloat64()*20)
		side := 1.0
		if r.IntN(2) == 0 {
			side = -1
		}
		cores = []complex128{c}
		deltas = []complex128{c + complex(side*(70+r.Float64()*30), 90+r.Float64()*40)}
	case k < 9: // whorl
		c := complex(cx+r.NormFloat64()*15, cy-30+r.NormFloat64()*20)
		cores = []complex128{c - 12, c + 12}
		deltas = []complex128{c + complex(-90, 110), c + complex(90, 110)}
	default: // arch: a gentle bump
	}
	theta0 := r.NormFloat64() * 0.15
	orient := func(x, y float64) float64 {
		z := complex(x, y)
		a := theta0
		for _, c := range cores {
			a += 0.5 * cmplx.Phase(z-c)
		}
		for _, d := range deltas {
			a -= 0.5 * cmplx.Phase(z-d)
		}
		if len(cores) == 0 {
			a += 0.5 * math.Atan(0.02*(x-cx)) * math.Exp(-math.Pow((y-cy+40)/120, 2))
		}
		return a
	}
	n := 25 + r.IntN(31)
	t := &finger.Template{Width: w, Height: h, Quality: uint8(60 + r.IntN(36))}
	for tries := 0; len(t.Minutiae) < n && tries < 4000; tries++ {
		x := cx + (r.Float64()*2-1)*ax
		y := cy + (r.Float64()*2-1)*ay
		if ((x-cx)/ax)*((x-cx)/ax)+((y-cy)/ay)*((y-cy)/ay) > 0.85 || x < 8 || y < 8 || x > w-8 || y > h-8 {
			continue
		}
		ok := true
		for _, m := range t.Minutiae {
			if math.Hypot(float64(m.X)-x, float64(m.Y)-y) < 16 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		// Template angles are counter-clockwise with y up; the field is
		// computed in image axes (y down), so its sign flips.
		a := -orient(x, y) + r.NormFloat64()*0.12
		if r.IntN(2) == 0 {
			a += math.Pi
		}
		a = math.Mod(a, 2*math.Pi)
		if a < 0 {
			a += 2 * math.Pi
		}
		typ := finger.Ending
		if r.IntN(5) < 2 {
			typ = finger.Bifurcation
		}
		t.Minutiae = append(t.Minutiae, finger.Minutia{X: int(x), Y: int(y), Angle: a, Type: typ, Quality: uint8(30 + r.IntN(70))})
	}
	return t
}

// Iris returns a synthetic iris code for eye (0 right, 1 left) of identity
// seed. The same arguments always give the same template.
func Iris(seed uint64, eye int) *iris.Template {
	r := rng(seed, 100+uint64(eye))
	t := &iris.Template{}
	const rows, cols = iris.CodeRows, iris.CodeCols
	// Smooth processes along the angle, mixed with the row above so that
	// neighbouring rows correlate too.
	prevRe, prevIm := make([]float64, cols), make([]float64, cols)
	for row := 0; row < rows; row++ {
		re, im := smoothNoise(r, cols, 2), smoothNoise(r, cols, 2)
		for c := 0; c < cols; c++ {
			re[c] += 0.5 * prevRe[c]
			im[c] += 0.5 * prevIm[c]
			bit := row*cols + c
			if re[c] > 0 {
				t.Real[bit/64] |= 1 << (bit % 64)
			}
			if im[c] > 0 {
				t.Imag[bit/64] |= 1 << (bit % 64)
			}
			t.Mask[bit/64] |= 1 << (bit % 64)
		}
		prevRe, prevIm = re, im
	}
	// Eyelids cover the outer rows over an arc near the top (and sometimes
	// the bottom); a few reflections punch small holes.
	clear := func(row, c int) {
		c = ((c % cols) + cols) % cols
		bit := row*cols + c
		t.Mask[bit/64] &^= 1 << (bit % 64)
	}
	for lid := 0; lid < 1+r.IntN(2); lid++ {
		centre := cols/4 + lid*cols/2 + int(r.NormFloat64()*8)
		half := 20 + r.IntN(30)
		for c := centre - half; c <= centre+half; c++ {
			depth := int(float64(rows) * 0.6 * (1 - math.Abs(float64(c-centre))/float64(half)))
			for row := rows - depth; row < rows; row++ {
				clear(row, c)
			}
		}
	}
	for k := 0; k < r.IntN(4); k++ {
		row, c := r.IntN(rows), r.IntN(cols)
		for d := 0; d < 4; d++ {
			clear(row, c+d)
		}
	}
	return t
}

// smoothNoise returns n circular samples of white noise smoothed by two
// passes of a box filter of the given half-width (close to a Gaussian).
func smoothNoise(r *rand.Rand, n int, halfWidth int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = r.NormFloat64()
	}
	tmp := make([]float64, n)
	for pass := 0; pass < 2; pass++ {
		s := 0.0
		for d := -halfWidth; d <= halfWidth; d++ {
			s += w[(d+n)%n]
		}
		for i := 0; i < n; i++ {
			tmp[i] = s
			s += w[(i+halfWidth+1)%n] - w[(i-halfWidth+n)%n]
		}
		w, tmp = tmp, w
	}
	return w
}
