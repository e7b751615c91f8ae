package signature

import "math"

// dtw returns the dynamic-time-warping distance between a and b with L1
// local cost, restricted to a Sakoe–Chiba band of the given fraction of the
// longer series (widened to cover the length difference), divided by the
// sum of the lengths. It returns +Inf for an empty series.
func dtw(a, b series, band float64) float64 {
	n, m := a.len(), b.len()
	if n == 0 || m == 0 || a.dim != b.dim {
		return math.Inf(1)
	}
	d := a.dim
	w := int(band * float64(max(n, m)))
	w = max(w, abs(n-m)+1)
	inf := math.Inf(1)
	prev := make([]float64, m+1)
	cur := make([]float64, m+1)
	for j := range prev {
		prev[j] = inf
	}
	prev[0] = 0
	for i := 1; i <= n; i++ {
		for j := range cur {
			cur[j] = inf
		}
		// the band follows the diagonal scaled to the lengths
		c := int(float64(i) * float64(m) / float64(n))
		lo, hi := max(1, c-w), min(m, c+w)
		ai := a.v[(i-1)*d : i*d]
		for j := lo; j <= hi; j++ {
			bj := b.v[(j-1)*d : j*d]
			cost := 0.0
			for k := range ai {
				cost += math.Abs(ai[k] - bj[k])
			}
			best := prev[j-1]
			if prev[j] < best {
				best = prev[j]
			}
			if cur[j-1] < best {
				best = cur[j-1]
			}
			cur[j] = cost + best
		}
		prev, cur = cur, prev
	}
	return prev[m] / float64(n+m)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
