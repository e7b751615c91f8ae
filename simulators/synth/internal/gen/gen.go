// Package gen holds what the synthetic generators share: seeded random
// streams, smooth value noise, small image helpers and points.
package gen

import (
	"math/rand/v2"
)

// Dom* are domains that separate the random streams of the generators, so that for example
// the iris of identity 7 is unrelated to its fingerprints.
const (
	DomFingerClass uint64 = 0xF1 + iota
	DomFingerMaster
	DomFingerImpression
	DomIrisPerson
	DomIrisImpression
	DomFacePerson
	DomFaceImpression
	DomSignWriter
	DomSignImpression
	DomSignForger
)

// splitmix64 is one step of the SplitMix64 generator, used as a hash.
func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// seedOf hashes a domain and a list of values into one 64-bit seed.
func seedOf(domain uint64, vals ...uint64) uint64 {
	h := splitmix64(domain)
	for _, v := range vals {
		h = splitmix64(h ^ v)
	}
	return h
}

// Rand returns a PCG-backed generator seeded from the domain and values.
func Rand(domain uint64, vals ...uint64) *rand.Rand {
	s := seedOf(domain, vals...)
	return rand.New(rand.NewPCG(s, splitmix64(s^0xD1B54A32D192ED03)))
}

// Uniform returns a float64 uniformly drawn from [lo, hi).
func Uniform(r *rand.Rand, lo, hi float64) float64 {
	return lo + (hi-lo)*r.Float64()
}

// Gauss returns a normal deviate with the given mean and standard deviation,
// clipped to mean ± 3 sd so that no sample is absurd.
func Gauss(r *rand.Rand, mean, sd float64) float64 {
	z := r.NormFloat64()
	if z > 3 {
		z = 3
	} else if z < -3 {
		z = -3
	}
	return mean + sd*z
}

// Noise is smooth value noise: normal deviates on a coarse grid,
// interpolated with a Smoothstep so the field and its gradient are continuous.
type Noise struct {
	cell   float64
	gw, gh int
	v      []float64
}

// NewNoise covers a w×h area with grid cells of the given size in pixels.
func NewNoise(r *rand.Rand, w, h int, cell float64) *Noise {
	gw, gh := int(float64(w)/cell)+3, int(float64(h)/cell)+3
	f := &Noise{cell: cell, gw: gw, gh: gh, v: make([]float64, gw*gh)}
	for i := range f.v {
		f.v[i] = r.NormFloat64()
	}
	return f
}

// at samples the field at (x, y); points outside the area are clamped.
func (f *Noise) At(x, y float64) float64 {
	gx, gy := x/f.cell+1, y/f.cell+1
	if gx < 0 {
		gx = 0
	}
	if gy < 0 {
		gy = 0
	}
	ix, iy := int(gx), int(gy)
	if ix > f.gw-2 {
		ix, gx = f.gw-2, float64(f.gw-1)
	}
	if iy > f.gh-2 {
		iy, gy = f.gh-2, float64(f.gh-1)
	}
	tx, ty := Smoothstep(gx-float64(ix)), Smoothstep(gy-float64(iy))
	i := iy*f.gw + ix
	a := f.v[i] + (f.v[i+1]-f.v[i])*tx
	b := f.v[i+f.gw] + (f.v[i+f.gw+1]-f.v[i+f.gw])*tx
	return a + (b-a)*ty
}

// Smoothstep is 3t²−2t³ on [0, 1].
func Smoothstep(t float64) float64 { return t * t * (3 - 2*t) }

// Clamp limits v to [lo, hi].
func Clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Grey8 rounds and clamps a grey level to a byte.
func Grey8(v float64) uint8 {
	return uint8(Clamp(v+0.5, 0, 255))
}

// BoxBlur3 returns a 3×3 mean-filtered copy of p (edges replicated).
func BoxBlur3(p []float64, w, h int) []float64 {
	out := make([]float64, len(p))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float64
			for j := -1; j <= 1; j++ {
				yy := min(max(y+j, 0), h-1)
				for i := -1; i <= 1; i++ {
					xx := min(max(x+i, 0), w-1)
					s += p[yy*w+xx]
				}
			}
			out[y*w+x] = s / 9
		}
	}
	return out
}

// OrDefault returns v, or def when v is not positive.
func OrDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Point is a position in pixels at 500 dpi (x right, y down).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}
