package face

import "math"

// eyesOpen returns the openness of the less open eye. An open eye shows a
// dark iris with brighter sclera on both sides along the eye line; a closed
// lid shows an even lash line. The score is the best relative dip of the
// iris window below the darker of its two flanks, searched around the
// located pupil.
func eyesOpen(p plane, f Face) float64 {
	ied := f.IED()
	if ied <= 0 {
		return 0
	}
	return math.Min(eyeDip(p, f.EyeL, ied), eyeDip(p, f.EyeR, ied))
}

func eyeDip(p plane, e Point, ied float64) float64 {
	vh := 0.08 * ied
	box := func(cx, cy, x0, x1 float64) float64 {
		return mean(p.values(rect{cx + x0, cy - vh, cx + x1, cy + vh + 1}))
	}
	best := -1.0
	for dy := -0.06 * ied; dy <= 0.06*ied; dy++ {
		for dx := -0.08 * ied; dx <= 0.08*ied; dx++ {
			cx, cy := e.X+dx, e.Y+dy
			c := box(cx, cy, -0.07*ied, 0.07*ied)
			s := math.Min(box(cx, cy, -0.28*ied, -0.14*ied), box(cx, cy, 0.14*ied, 0.28*ied))
			best = math.Max(best, (s-c)/(s+1))
		}
	}
	return best
}
