package synth

import "math/rand/v2"

// noiseField is smooth value noise: normal deviates on a coarse grid,
// interpolated with a smoothstep so the field and its gradient are continuous.
type noiseField struct {
	cell   float64
	gw, gh int
	v      []float64
}

// newNoiseField covers a w×h area with grid cells of the given size in pixels.
func newNoiseField(r *rand.Rand, w, h int, cell float64) *noiseField {
	gw, gh := int(float64(w)/cell)+3, int(float64(h)/cell)+3
	f := &noiseField{cell: cell, gw: gw, gh: gh, v: make([]float64, gw*gh)}
	for i := range f.v {
		f.v[i] = r.NormFloat64()
	}
	return f
}

// at samples the field at (x, y); points outside the area are clamped.
func (f *noiseField) at(x, y float64) float64 {
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
	tx, ty := smoothstep(gx-float64(ix)), smoothstep(gy-float64(iy))
	i := iy*f.gw + ix
	a := f.v[i] + (f.v[i+1]-f.v[i])*tx
	b := f.v[i+f.gw] + (f.v[i+f.gw+1]-f.v[i+f.gw])*tx
	return a + (b-a)*ty
}

// smoothstep is 3t²−2t³ on [0, 1].
func smoothstep(t float64) float64 { return t * t * (3 - 2*t) }

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// grey8 rounds and clamps a grey level to a byte.
func grey8(v float64) uint8 {
	return uint8(clamp(v+0.5, 0, 255))
}
