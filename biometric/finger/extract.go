package finger

import (
	"fmt"
	"math"
	"slices"
)

// MinutiaType tells ridge endings from bifurcations.
type MinutiaType uint8

// Minutia types.
const (
	Ending      MinutiaType = 1
	Bifurcation MinutiaType = 2
)

// Minutia is one minutia at 500 dpi.
type Minutia struct {
	// X and Y are pixel coordinates at RefDPI, origin top left.
	X, Y int
	// Angle is the direction in radians in [0, 2π), counter-clockwise from
	// the x axis (y up), in the ISO/IEC 19794-2 sense: for an ending it
	// points from the ending along the ridge, for a bifurcation from the
	// stem into the valley between the branches (checked against the
	// SecuGen ISO templates beside FVC2002: median difference under 15°).
	Angle float64
	// Type is ending or bifurcation.
	Type MinutiaType
	// Quality is 1..100 (local orientation clarity and distance from the
	// print's edge).
	Quality uint8
}

// cand is a minutia candidate during extraction.
type cand struct {
	x, y    int
	typ     MinutiaType
	angle   float64 // image coordinates (y down)
	removed bool
}

// clusterRadius is the distance, in ridge periods, under which two minutiae
// are taken for noise and both dropped.
const clusterRadius = 0.6

// borderMargin is how far, in ridge periods, a minutia must stay from the
// background; nearer ones are mostly where ridges are cut by the print's edge.
const borderMargin = 1.5

// bifBorderMargin is borderMargin for bifurcations. The print's edge cuts
// ridges into false endings but does not fork them, so a bifurcation near
// the edge is mostly real; half a period keeps it off the blocky mask's
// own corners. (1.5, 1.25, 1.0, 0.75, 0.5, 0.25 and 0 tried over the four
// FVC2002 sets together: 0.25-0.75 alike, all better than 1.0 and up.)
const bifBorderMargin = 0.5

// endShift is how far, in ridge periods, an ending is moved from the end
// of its skeleton line into the gap. Thinning eats the rounded tip of a
// ridge, so the skeleton stops short of the ridge's end: against the
// SecuGen templates beside FVC2002, our endings sat 2–3 px (0.3–0.35
// period) inside the ridge along their direction, bifurcations within
// 1.5 px; at 0.35 the mean offset of the endings over the four sets is
// under 0.1 px. Checked on the four FVC2002 sets together (0.25–0.5
// tried; 0.3–0.4 alike).
const endShift = 0.35

// blockClarity returns, per block, the mean magnitude of the ridge filter
// response over the 3×3 blocks around it relative to the print's strong
// blocks (80th percentile), clipped to 1: low where ridges are broken up by
// noise, scars or poor contact.
func blockClarity(f *field, resp []float32, stride int) []float64 {
	m := make([]float64, len(f.fg))
	var vals []float64
	for by := 0; by < f.bh; by++ {
		for bx := 0; bx < f.bw; bx++ {
			k := by*f.bw + bx
			if !f.fg[k] {
				continue
			}
			var s float64
			for y := by * blockSize; y < (by+1)*blockSize; y += 2 {
				row := (y + pad) * stride
				for x := bx * blockSize; x < (bx+1)*blockSize; x++ {
					v := resp[row+x+pad]
					if v < 0 {
						v = -v
					}
					s += float64(v)
				}
			}
			m[k] = s
			vals = append(vals, s)
		}
	}
	out := make([]float64, len(m))
	if len(vals) == 0 {
		return out
	}
	slices.Sort(vals)
	ref := vals[len(vals)*8/10]
	for by := 0; by < f.bh; by++ {
		for bx := 0; bx < f.bw; bx++ {
			var s, n float64
			for j := max(0, by-1); j <= min(f.bh-1, by+1); j++ {
				for i := max(0, bx-1); i <= min(f.bw-1, bx+1); i++ {
					if f.fg[j*f.bw+i] {
						s += m[j*f.bw+i]
						n++
					}
				}
			}
			if n > 0 && ref > 0 {
				out[by*f.bw+bx] = math.Min(1, s/n/ref)
			}
		}
	}
	return out
}

// maxMinutiae bounds a template; the lowest-quality minutiae go first.
const maxMinutiae = 96

// Extract finds the minutiae of im and scores its quality. An image with
// too little usable print returns ErrNoPrint.
func Extract(im *Image) (*Template, error) {
	if err := im.check(); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	im = resampleTo500(im)
	f := computeField(im)
	fgCount := 0
	for _, v := range f.fg {
		if v {
			fgCount++
		}
	}
	if fgCount*blockSize*blockSize < 64*64 {
		return nil, fmt.Errorf("extract: %w (%d foreground blocks)", ErrNoPrint, fgCount)
	}
	f.estimatePeriods(im)
	resp, rstride := enhance(im, f)
	sk := binarize(resp, rstride, im.Width, im.Height, f)
	sk.thin()
	period := medianPeriod(f)
	cands := findMinutiae(sk, f, period)
	clarity := blockClarity(f, resp, rstride)
	t := &Template{Width: im.Width, Height: im.Height}
	for _, c := range cands {
		if c.removed {
			continue
		}
		k := f.at(c.x, c.y)
		// Minutia quality: ridge clarity around it. (Dropping low-clarity
		// minutiae was tried and lost more genuine pairings than it saved.)
		q := clarity[k]
		x, y := c.x, c.y
		if c.typ == Ending {
			// c.angle points from the ridge into the gap.
			x = clampInt(x+int(math.Round(endShift*period*math.Cos(c.angle))), 0, im.Width-1)
			y = clampInt(y+int(math.Round(endShift*period*math.Sin(c.angle))), 0, im.Height-1)
		}
		t.Minutiae = append(t.Minutiae, Minutia{
			X: x, Y: y, Type: c.typ,
			// Image y points down; template angles use y up and the ISO sense
			// (see Minutia.Angle), opposite to the traced direction.
			Angle:   normAngle(math.Pi - c.angle),
			Quality: uint8(clampInt(int(math.Round(q*100)), 1, 100)),
		})
	}
	if len(t.Minutiae) > maxMinutiae {
		slices.SortStableFunc(t.Minutiae, func(a, b Minutia) int { return int(b.Quality) - int(a.Quality) })
		t.Minutiae = t.Minutiae[:maxMinutiae]
	}
	slices.SortFunc(t.Minutiae, func(a, b Minutia) int {
		if a.Y != b.Y {
			return a.Y - b.Y
		}
		return a.X - b.X
	})
	t.Quality = imageQuality(f, resp, rstride, len(t.Minutiae))
	return t, nil
}

func medianPeriod(f *field) float64 {
	var ps []float64
	for k, v := range f.fg {
		if v {
			ps = append(ps, f.period[k])
		}
	}
	if len(ps) == 0 {
		return defaultPeriod
	}
	slices.Sort(ps)
	return ps[len(ps)/2]
}

func normAngle(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a
}

// angDiff returns the absolute difference of two angles in [0, π].
func angDiff(a, b float64) float64 {
	d := math.Abs(math.Mod(a-b, 2*math.Pi))
	if d > math.Pi {
		d = 2*math.Pi - d
	}
	return d
}

// trace follows the skeleton from padded index start through first and
// returns the index where it stopped, the number of steps, whether it
// stopped on a minutia or junction, and the index reached after dirSteps.
func (s *skel) trace(start, first int, maxSteps, dirSteps int, isMin []bool) (end, steps int, hit bool, dirIdx int) {
	prev, cur := start, first
	dirIdx = first
	st := s.stride
	offs := [8]int{-st, -st + 1, 1, st + 1, st, st - 1, -1, -st - 1}
	for steps = 1; steps < maxSteps; steps++ {
		if steps == dirSteps {
			dirIdx = cur
		}
		if isMin[cur] {
			return cur, steps, true, dirIdx
		}
		next := -1
		for _, o := range offs {
			n := cur + o
			if n == prev || s.px[n] == 0 {
				continue
			}
			// Skip a pixel that touches prev: it is a corner of the same step.
			if adjacent(n, prev, st) {
				continue
			}
			if next >= 0 {
				return cur, steps, true, dirIdx // junction without a marked minutia
			}
			next = n
		}
		if next < 0 {
			return cur, steps, true, dirIdx
		}
		prev, cur = cur, next
	}
	if steps <= dirSteps {
		dirIdx = cur
	}
	return cur, steps, false, dirIdx
}

func adjacent(a, b, st int) bool {
	d := a - b
	return d == 1 || d == -1 || d == st || d == -st || d == st+1 || d == st-1 || d == -st+1 || d == -st-1
}

// findMinutiae detects endings and bifurcations on the skeleton, measures
// their direction and removes the artefacts of noise and segmentation.
func findMinutiae(s *skel, f *field, period float64) []cand {
	isMin := make([]bool, len(s.px))
	index := map[int]int{}
	var cs []cand
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			i := s.idx(x, y)
			if s.px[i] == 0 {
				continue
			}
			m := s.pattern(i)
			var typ MinutiaType
			switch {
			case crossing[m] == 1:
				typ = Ending
			case crossing[m] == 3:
				typ = Bifurcation
			default:
				if crossing[m] >= 4 {
					isMin[i] = true // crossing: stop traces here, do not report
				}
				continue
			}
			isMin[i] = true
			index[i] = len(cs)
			cs = append(cs, cand{x: x, y: y, typ: typ})
		}
	}
	st := s.stride
	offs := [8]int{-st, -st + 1, 1, st + 1, st, st - 1, -1, -st - 1}
	dirSteps := int(math.Round(1.2 * period))
	maxSteps := int(math.Round(2.5 * period))
	xy := func(i int) (float64, float64) { return float64(i%st - 1), float64(i/st - 1) }
	for ci := range cs {
		c := &cs[ci]
		i := s.idx(c.x, c.y)
		// One start per run of set neighbours around the ring, preferring
		// a 4-neighbour.
		m := s.pattern(i)
		var starts []int
		for r := 0; r < 8; r++ {
			if m&(1<<r) == 0 || m&(1<<((r+7)%8)) != 0 {
				continue
			}
			best := r
			for q := r; m&(1<<(q%8)) != 0 && q < r+8; q++ {
				if q%2 == 0 {
					best = q % 8
					break
				}
			}
			starts = append(starts, i+offs[best])
		}
		var dirs []float64
		for _, n := range starts {
			end, steps, hit, di := s.trace(i, n, maxSteps, dirSteps, isMin)
			dx, dy := xy(di)
			dirs = append(dirs, math.Atan2(dy-float64(c.y), dx-float64(c.x)))
			if !hit {
				continue
			}
			j, ok := index[end]
			if !ok || j == ci {
				continue
			}
			o := &cs[j]
			l := float64(steps)
			switch {
			case c.typ == Ending && o.typ == Ending && l < 2*period,
				c.typ != o.typ && l < period,
				c.typ == Bifurcation && o.typ == Bifurcation && l < period:
				c.removed, o.removed = true, true
			}
		}
		c.angle = minutiaAngle(c.typ, dirs)
	}
	// Snap directions to the smoothed orientation field.
	for ci := range cs {
		c := &cs[ci]
		t := f.theta[f.at(c.x, c.y)]
		if angDiff(t, c.angle) < angDiff(t+math.Pi, c.angle) {
			c.angle = t
		} else {
			c.angle = normAngle(t + math.Pi)
		}
	}
	// Broken ridges: two endings facing each other across a short gap.
	for a := range cs {
		if cs[a].removed || cs[a].typ != Ending {
			continue
		}
		for b := a + 1; b < len(cs); b++ {
			ca, cb := &cs[a], &cs[b]
			if cb.removed || cb.typ != Ending {
				continue
			}
			dx, dy := float64(cb.x-ca.x), float64(cb.y-ca.y)
			d := math.Hypot(dx, dy)
			if d > 1.5*period {
				continue
			}
			if angDiff(ca.angle, cb.angle) > 2.4 && angDiff(math.Atan2(dy, dx), ca.angle) < 0.8 {
				ca.removed, cb.removed = true, true
			}
		}
	}
	// Clusters: minutiae closer than half a ridge period.
	for a := range cs {
		for b := a + 1; b < len(cs); b++ {
			if cs[a].removed || cs[b].removed {
				continue
			}
			if math.Hypot(float64(cs[b].x-cs[a].x), float64(cs[b].y-cs[a].y)) < clusterRadius*period {
				cs[a].removed, cs[b].removed = true, true
			}
		}
	}
	// Border: drop minutiae whose surroundings leave the foreground (nearer
	// for bifurcations, see bifBorderMargin).
	for ci := range cs {
		c := &cs[ci]
		r := borderMargin * period
		if c.typ == Bifurcation {
			r = bifBorderMargin * period
		}
		for k := 0; k < 8 && !c.removed; k++ {
			a := float64(k) * math.Pi / 4
			x := c.x + int(math.Round(r*math.Cos(a)))
			y := c.y + int(math.Round(r*math.Sin(a)))
			if !f.isFG(x, y) {
				c.removed = true
			}
		}
	}
	return cs
}

// minutiaAngle turns the traced branch directions into the minutia
// direction: away from the ridge into the gap for an ending, from the fork
// towards the stem for a bifurcation (the direction of the valley ending
// there), so a bifurcation seen as an ending keeps its angle.
func minutiaAngle(t MinutiaType, dirs []float64) float64 {
	if len(dirs) == 0 {
		return 0
	}
	if t == Ending || len(dirs) < 3 {
		return normAngle(dirs[0] + math.Pi)
	}
	stem, best := 0, -1.0
	for i := range dirs {
		m := math.Inf(1)
		for j := range dirs {
			if i != j {
				m = math.Min(m, angDiff(dirs[i], dirs[j]))
			}
		}
		if m > best {
			stem, best = i, m
		}
	}
	return normAngle(dirs[stem])
}
