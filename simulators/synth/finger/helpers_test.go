package finger

import (
	"image"
	"math"
)

// dominantPeriod returns the ridge period (pixels) with the most spectral
// power in 64×64 blocks of g centred on the given points, from a radial
// average of their DFT power spectra (periods 4–20 px).
func dominantPeriod(g []float64, w int, centres []image.Point) float64 {
	const n = 64
	power := make([]float64, n/2+1) // by radius in cycles per block
	for _, c := range centres {
		blk := make([]complex128, n*n)
		var mean float64
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				mean += g[(c.Y-n/2+y)*w+c.X-n/2+x]
			}
		}
		mean /= n * n
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				// Hann window against edge leakage.
				win := 0.25 * (1 - math.Cos(2*math.Pi*float64(x)/n)) * (1 - math.Cos(2*math.Pi*float64(y)/n))
				blk[y*n+x] = complex((g[(c.Y-n/2+y)*w+c.X-n/2+x]-mean)*win, 0)
			}
		}
		spec := dft2(blk, n)
		for v := 0; v < n; v++ {
			for u := 0; u < n; u++ {
				fu, fv := u, v
				if fu > n/2 {
					fu -= n
				}
				if fv > n/2 {
					fv -= n
				}
				r := int(math.Round(math.Hypot(float64(fu), float64(fv))))
				if r <= n/2 {
					z := spec[v*n+u]
					power[r] += real(z)*real(z) + imag(z)*imag(z)
				}
			}
		}
	}
	best := 0
	for r := n / 20; r <= n/4; r++ { // periods 20 … 4 px
		if best == 0 || power[r] > power[best] {
			best = r
		}
	}
	// Refine with a parabola through the peak and its neighbours.
	a, b, c := power[best-1], power[best], power[best+1]
	off := 0.0
	if d := a - 2*b + c; d != 0 {
		off = 0.5 * (a - c) / d
	}
	return n / (float64(best) + off)
}

// dft2 is a plain separable 2-D DFT of an n×n block: rows, then columns.
func dft2(in []complex128, n int) []complex128 {
	tw := make([]complex128, n)
	for k := range tw {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		tw[k] = complex(c, s)
	}
	// pass transforms every line of src (lines start at i*lineStep, samples
	// are step apart) into dst at the same places.
	pass := func(src []complex128, lineStep, step int) []complex128 {
		dst := make([]complex128, n*n)
		for i := 0; i < n; i++ {
			for u := 0; u < n; u++ {
				var s complex128
				for x := 0; x < n; x++ {
					s += src[i*lineStep+x*step] * tw[(u*x)%n]
				}
				dst[i*lineStep+u*step] = s
			}
		}
		return dst
	}
	return pass(pass(in, n, 1), 1, n)
}

// grayFloats returns the pixels of g as float64.
func grayFloats(g *image.Gray) []float64 {
	out := make([]float64, len(g.Pix))
	for i, v := range g.Pix {
		out[i] = float64(v)
	}
	return out
}
