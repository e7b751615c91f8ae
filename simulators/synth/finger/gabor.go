package finger

import (
	"math"
	"sync"
)

// Quantisation of the Gabor filter bank used to grow master prints.
const (
	bankOrients = 24   // orientations over [0, π)
	bankPeriods = 12   // ridge periods, full-resolution pixels
	bankPMin    = 7.0  // shortest period in the bank
	bankPStep   = 0.45 // step between periods
)

// gaborKernel is one even-symmetric Gabor filter on a (2r+1)² grid.
type gaborKernel struct {
	r int
	w []float32
}

// gaborBank holds the filters for one sampling scale.
type gaborBank struct {
	scale float64 // pixels of this grid per full-resolution pixel
	k     [bankOrients * bankPeriods]gaborKernel
}

var (
	bankOnce sync.Once
	halfBank *gaborBank
)

// growthBank returns the half-resolution filter bank, built once.
func growthBank() *gaborBank {
	bankOnce.Do(func() { halfBank = newGaborBank(0.5) })
	return halfBank
}

// newGaborBank builds filters for a grid sampled at scale × 500 dpi. Each
// filter has zero mean and unit gain on a sinusoid of its own orientation and
// period, so iterating filter-and-clip grows ridges without fading.
func newGaborBank(scale float64) *gaborBank {
	b := &gaborBank{scale: scale}
	for o := 0; o < bankOrients; o++ {
		th := float64(o) * math.Pi / bankOrients
		// Unit normal to the ridge direction.
		nx, ny := -math.Sin(th), math.Cos(th)
		for p := 0; p < bankPeriods; p++ {
			lambda := (bankPMin + bankPStep*float64(p)) * scale
			sx := 0.45 * lambda // across ridges
			sy := 0.55 * lambda // along ridges
			r := int(math.Ceil(2.2 * sy))
			n := 2*r + 1
			w := make([]float64, n*n)
			var mean float64
			for j := -r; j <= r; j++ {
				for i := -r; i <= r; i++ {
					u := float64(i)*nx + float64(j)*ny  // across
					v := -float64(i)*ny + float64(j)*nx // along
					e := math.Exp(-0.5 * (u*u/(sx*sx) + v*v/(sy*sy)))
					g := e * math.Cos(2*math.Pi*u/lambda)
					w[(j+r)*n+i+r] = g
					mean += g
				}
			}
			mean /= float64(n * n)
			var gain float64
			for j := -r; j <= r; j++ {
				for i := -r; i <= r; i++ {
					u := float64(i)*nx + float64(j)*ny
					k := (j+r)*n + i + r
					w[k] -= mean
					gain += w[k] * math.Cos(2*math.Pi*u/lambda)
				}
			}
			kk := gaborKernel{r: r, w: make([]float32, n*n)}
			for k := range w {
				kk.w[k] = float32(w[k] / gain)
			}
			b.k[o*bankPeriods+p] = kk
		}
	}
	return b
}

// index returns the filter index for a ridge direction and period.
func (b *gaborBank) index(theta, period float64) int32 {
	t := math.Mod(theta, math.Pi)
	if t < 0 {
		t += math.Pi
	}
	o := int(t/math.Pi*bankOrients+0.5) % bankOrients
	p := int((period-bankPMin)/bankPStep + 0.5)
	if p < 0 {
		p = 0
	} else if p >= bankPeriods {
		p = bankPeriods - 1
	}
	return int32(o*bankPeriods + p)
}

// maxRadius is the largest filter radius in the bank.
func (b *gaborBank) maxRadius() int {
	m := 0
	for i := range b.k {
		m = max(m, b.k[i].r)
	}
	return m
}
