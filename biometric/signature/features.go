package signature

import "math"

// featureSet selects and weights the per-sample features used by DTW.
type featureSet struct {
	// pos, vel, pres and angle weight position, velocity, pressure and path
	// direction (cosine and sine); acc weights acceleration (the derivative
	// of the velocity) and tilt the pen's altitude and azimuth; 0 leaves a
	// feature out.
	pos, vel, pres, angle, acc, tilt float64
	// deriv is the half-window of the regression derivative.
	deriv int
}

// series is a feature matrix: n rows of dim columns, row-major.
type series struct {
	v   []float64
	dim int
}

func (s series) len() int { return len(s.v) / max(s.dim, 1) }

// derivative returns the regression slope of v over ±k samples.
func derivative(v []float64, k int) []float64 {
	n := len(v)
	out := make([]float64, n)
	den := 0.0
	for j := 1; j <= k; j++ {
		den += 2 * float64(j*j)
	}
	for i := range v {
		num := 0.0
		for j := 1; j <= k; j++ {
			a, b := min(n-1, i+j), max(0, i-j)
			num += float64(j) * (v[a] - v[b])
		}
		out[i] = num / den
	}
	return out
}

// znorm shifts v to zero mean and unit standard deviation (in place).
func znorm(v []float64) {
	if len(v) == 0 {
		return
	}
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	sd := 0.0
	for _, x := range v {
		sd += (x - m) * (x - m)
	}
	sd = math.Sqrt(sd / float64(len(v)))
	if sd < 1e-9 {
		sd = 1
	}
	for i := range v {
		v[i] = (v[i] - m) / sd
	}
}

// extract computes the z-normalised, weighted feature series of sig.
func (fs featureSet) extract(sig *Signature) series {
	xs := make([]float64, len(sig.Samples))
	ys := make([]float64, len(sig.Samples))
	ps := make([]float64, len(sig.Samples))
	for i, s := range sig.Samples {
		xs[i], ys[i], ps[i] = s.X, s.Y, s.Pressure
	}
	var cols [][]float64
	var ws []float64
	add := func(w float64, c []float64) {
		if w == 0 {
			return
		}
		c = append([]float64(nil), c...)
		znorm(c)
		cols, ws = append(cols, c), append(ws, w)
	}
	dx, dy := derivative(xs, fs.deriv), derivative(ys, fs.deriv)
	add(fs.pos, xs)
	add(fs.pos, ys)
	add(fs.vel, dx)
	add(fs.vel, dy)
	add(fs.pres, ps)
	if fs.acc != 0 {
		add(fs.acc, derivative(dx, 2))
		add(fs.acc, derivative(dy, 2))
	}
	if fs.tilt != 0 {
		al, az := make([]float64, len(xs)), make([]float64, len(xs))
		for i, s := range sig.Samples {
			al[i], az[i] = s.Altitude, s.Azimuth
		}
		add(fs.tilt, al)
		add(fs.tilt, unwrapDegrees(az))
	}
	if fs.angle != 0 {
		cs, sn := make([]float64, len(xs)), make([]float64, len(xs))
		for i := range xs {
			a := math.Atan2(dy[i], dx[i])
			cs[i], sn[i] = math.Cos(a), math.Sin(a)
		}
		add(fs.angle, cs)
		add(fs.angle, sn)
	}
	d := len(cols)
	out := series{v: make([]float64, len(xs)*d), dim: d}
	for j, c := range cols {
		for i, x := range c {
			out.v[i*d+j] = ws[j] * x
		}
	}
	return out
}

// unwrapDegrees removes the 360° jumps of an angle series (an azimuth
// crossing north), so that z-normalisation sees a continuous signal.
func unwrapDegrees(a []float64) []float64 {
	out := append([]float64(nil), a...)
	off := 0.0
	for i := 1; i < len(a); i++ {
		switch d := a[i] - a[i-1]; {
		case d > 180:
			off -= 360
		case d < -180:
			off += 360
		}
		out[i] = a[i] + off
	}
	return out
}
