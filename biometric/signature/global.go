package signature

import "math"

// globalFeatures returns whole-signature features: log duration, pen-down
// time ratio, stroke count, log mean pen speed, mean and spread of the
// pressure, and log aspect ratio of the pen-down box.
func globalFeatures(sig *Signature) []float64 {
	ss := sig.Samples
	dur := float64(max(sig.Duration(), 1))
	down := 0
	path := 0.0
	var pm, p2 float64
	for i, s := range ss {
		if !s.PenDown {
			continue
		}
		down++
		pm += s.Pressure
		p2 += s.Pressure * s.Pressure
		if i > 0 && ss[i-1].PenDown {
			path += math.Hypot(s.X-ss[i-1].X, s.Y-ss[i-1].Y)
		}
	}
	nd := float64(max(down, 1))
	pm /= nd
	psd := math.Sqrt(math.Max(0, p2/nd-pm*pm))
	x0, y0, x1, y1, _ := sig.Bounds()
	w, h := math.Max(x1-x0, 1), math.Max(y1-y0, 1)
	return []float64{
		math.Log(dur),
		float64(down) / float64(max(len(ss), 1)),
		float64(sig.Strokes()),
		math.Log(path/dur + 1e-3),
		pm,
		psd,
		math.Log(w / h),
	}
}

// globalFloor is the least standard deviation assumed per global feature, so
// five consistent references do not make a tiny difference look enormous.
var globalFloor = []float64{0.1, 0.05, 1, 0.1, 0.05, 0.03, 0.1}

// globalStats returns the mean and floored standard deviation of the global
// features of refs.
func globalStats(refs []*Signature) (mean, sd []float64) {
	k := len(globalFloor)
	mean, sd = make([]float64, k), make([]float64, k)
	fs := make([][]float64, len(refs))
	for i, r := range refs {
		fs[i] = globalFeatures(r)
		for j := range k {
			mean[j] += fs[i][j] / float64(len(refs))
		}
	}
	for _, f := range fs {
		for j := range k {
			sd[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / float64(len(refs))
		}
	}
	for j := range k {
		sd[j] = math.Max(math.Sqrt(sd[j]), globalFloor[j])
	}
	return mean, sd
}

// globalDistance is the mean absolute z-score of g against the statistics.
func globalDistance(g, mean, sd []float64) float64 {
	d := 0.0
	for j := range g {
		d += math.Abs(g[j]-mean[j]) / sd[j]
	}
	return d / float64(len(g))
}
