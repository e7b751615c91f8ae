package iris

import (
	"math"
	"math/bits"
	"math/cmplx"
	"sync"
)

// Log-Gabor filter along the angular direction (Masek's 1-D log-Gabor):
// G(f) = exp(−(ln(f/f0))² / (2·(ln(σ/f0))²)), wavelength in columns.
// Tuned on CASIA-IrisV1 (wavelength 11/14/18/24 px per 240 columns,
// σ/f0 0.3/0.4/0.5/0.65): a shorter, broader-band filter than Masek's
// 18 px and 0.5 gives more independent bits and more stable phase.
const (
	gaborWavelength = 14.0 * CodeCols / 240 // Masek used 18 px at 240 columns
	gaborSigmaOnF   = 0.4
	// fragileFraction masks the bits whose filter response is weakest
	// relative to the row's RMS response (Hollingsworth's fragile bits).
	fragileFraction = 0.0
	// minCellValid is the share of a code cell's polar samples that must be valid.
	minCellValid = 0.5
)

var (
	filterOnce sync.Once
	logGabor   []float64
)

func logGaborFilter() []float64 {
	filterOnce.Do(func() {
		logGabor = make([]float64, CodeCols)
		f0 := 1 / gaborWavelength
		den := 2 * math.Pow(math.Log(gaborSigmaOnF), 2)
		// Positive frequencies only: the response is the analytic signal.
		for k := 1; k <= CodeCols/2; k++ {
			f := float64(k) / CodeCols
			logGabor[k] = math.Exp(-math.Pow(math.Log(f/f0), 2) / den)
		}
	})
	return logGabor
}

// encode turns the normalised iris into an iris code and mask.
func encode(pol *polar) *Template {
	t := &Template{}
	g := logGaborFilter()
	row := make([]complex128, CodeCols)
	var cellOK [CodeCols]bool
	for cr := 0; cr < CodeRows; cr++ {
		// Radial average of rowGroup polar rows over valid samples.
		var sum float64
		nValid := 0
		for c := 0; c < CodeCols; c++ {
			var s float64
			n := 0
			for r := cr * rowGroup; r < (cr+1)*rowGroup; r++ {
				if pol.valid[r][c] {
					s += float64(pol.v[r][c])
					n++
				}
			}
			cellOK[c] = float64(n) >= minCellValid*rowGroup
			if n > 0 {
				row[c] = complex(s/float64(n), 0)
			}
			if cellOK[c] {
				sum += real(row[c])
				nValid++
			}
		}
		if nValid == 0 {
			continue
		}
		mean := sum / float64(nValid)
		// Invalid cells take the row mean so they do not ring into valid ones.
		for c := range row {
			if cellOK[c] {
				row[c] -= complex(mean, 0)
			} else {
				row[c] = 0
			}
		}
		fft(row, false)
		for k := range row {
			row[k] *= complex(g[k], 0)
		}
		fft(row, true)
		var rms float64
		for c, v := range row {
			if cellOK[c] {
				rms += real(v)*real(v) + imag(v)*imag(v)
			}
		}
		rms = math.Sqrt(rms / float64(2*nValid))
		weak := fragileFraction * rms
		for c, v := range row {
			if !cellOK[c] {
				continue
			}
			i := cr*CodeCols + c
			if real(v) > 0 {
				setBit(&t.Real, i)
			}
			if imag(v) > 0 {
				setBit(&t.Imag, i)
			}
			if math.Min(math.Abs(real(v)), math.Abs(imag(v))) >= weak {
				setBit(&t.Mask, i)
			}
		}
	}
	return t
}

// fft is an in-place radix-2 complex FFT; inverse scales by 1/n. len(a)
// must be a power of two.
func fft(a []complex128, inverse bool) {
	n := len(a)
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	for i := 0; i < n; i++ {
		j := int(bits.Reverse64(uint64(i)) >> shift)
		if j > i {
			a[i], a[j] = a[j], a[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, sign*2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
	if inverse {
		inv := complex(1/float64(n), 0)
		for i := range a {
			a[i] *= inv
		}
	}
}
