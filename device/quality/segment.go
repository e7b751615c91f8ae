package quality

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// segBlock is the side of the cells slap segmentation classifies: small
// enough to find the gap between two fingers on a slap scaled to a
// reader's platen, large enough to span a ridge and a valley.
const segBlock = 8

// segIterations bounds the mixture fit (it settles in a handful).
const segIterations = 12

// minShare is the smallest share of the mean finger area a finger may
// have: a smaller one is a fingertip grazing the glass or a split finger,
// and the slap's count does not hold.
const minShare = 0.3

// FingerSegment is one finger found on a slap image.
type FingerSegment struct {
	// Centre is the finger contact's centroid in the slap image's pixels.
	CX, CY float64
	// Angle is the finger's axis from the image's vertical, radians,
	// clockwise on screen (the fitted ellipse's major axis).
	Angle float64
	// Box bounds the finger in the slap image; Image is that part of the
	// slap with the other fingers' contact painted as background.
	Box   image.Rectangle
	Image *image.Gray
	// Blocks is the finger's foreground area in segmentation cells.
	Blocks int
}

// ErrSegment is returned when a slap does not split into the fingers
// asked for.
var ErrSegment = errors.New("slap segmentation failed")

// cell is one foreground cell's centre.
type cell struct{ x, y float64 }

// gauss is one finger's ellipse: mean and covariance of its cells.
type gauss struct {
	mx, my        float64
	sxx, sxy, syy float64
	n             int
}

// Segment splits a slap image into want single-finger images, ordered from
// the image's left to right across the hand. Each finger's contact is an
// ellipse: the foreground cells (local contrast, the same test Assess
// uses) are fitted with a mixture of want two-dimensional Gaussians,
// started from want equal shares of the foreground across the hand's
// axis, so fingers that touch still split along the valley between their
// ellipses. It fails with ErrSegment when the image has no foreground or a
// finger comes out much smaller than the others (the count is wrong).
func Segment(img *image.Gray, want int) ([]FingerSegment, error) {
	if want < 1 {
		return nil, fmt.Errorf("%w: %d fingers asked for", ErrSegment, want)
	}
	b := img.Bounds()
	bw, bh := b.Dx()/segBlock, b.Dy()/segBlock
	if bw == 0 || bh == 0 {
		return nil, fmt.Errorf("%w: image %dx%d too small", ErrSegment, b.Dx(), b.Dy())
	}
	fg, bgGrey := foreground(img, segBlock, bw, bh)
	var cells []cell
	var idx []int // cell index → block index
	for i, on := range fg {
		if on {
			cells = append(cells, cell{x: (float64(i%bw) + 0.5) * segBlock, y: (float64(i/bw) + 0.5) * segBlock})
			idx = append(idx, i)
		}
	}
	if len(cells) < want*4 {
		return nil, fmt.Errorf("%w: %d foreground cells for %d fingers", ErrSegment, len(cells), want)
	}
	label := fitMixture(cells, want)
	gs := make([]gauss, want)
	for k := range gs {
		gs[k] = fit(cells, label, k)
	}
	mean := float64(len(cells)) / float64(want)
	for k, g := range gs {
		if float64(g.n) < minShare*mean {
			return nil, fmt.Errorf("%w: finger %d of %d covers %d cells, the others %.0f on average", ErrSegment, k+1, want, g.n, mean)
		}
	}
	// Order across the hand: project the centres on the normal of the
	// hand's mean finger axis.
	var axis float64
	for _, g := range gs {
		axis += g.angle()
	}
	axis /= float64(want)
	ca, sa := math.Cos(axis), math.Sin(axis)
	order := make([]int, want)
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(i, j int) bool {
		gi, gj := gs[order[i]], gs[order[j]]
		return gi.mx*ca+gi.my*sa < gj.mx*ca+gj.my*sa
	})
	owner := make([]int, bw*bh)
	for i := range owner {
		owner[i] = -1
	}
	for c, k := range label {
		owner[idx[c]] = k
	}
	out := make([]FingerSegment, 0, want)
	for _, k := range order {
		g := gs[k]
		out = append(out, FingerSegment{CX: float64(b.Min.X) + g.mx, CY: float64(b.Min.Y) + g.my, Angle: g.angle(),
			Box: cropBox(owner, bw, bh, k, b), Blocks: g.n})
		s := &out[len(out)-1]
		s.Image = cropFinger(img, s.Box, owner, bw, k, bgGrey)
	}
	return out, nil
}

// foreground marks the cells (cell pixels square, bw × bh of them) with
// ridge contrast, dropping lone cells
// (dust, noise) with fewer than two foreground neighbours, and returns the
// background's grey (the median of the other cells' means).
func foreground(img *image.Gray, cell, bw, bh int) ([]bool, uint8) {
	b := img.Bounds()
	raw := make([]bool, bw*bh)
	var bgMeans []float64
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			m, std := cellStats(img, b.Min.X+bx*cell, b.Min.Y+by*cell, cell)
			if std >= fgStd {
				raw[by*bw+bx] = true
			} else {
				bgMeans = append(bgMeans, m)
			}
		}
	}
	bg := uint8(255)
	if len(bgMeans) > 0 {
		bg = uint8(math.Round(median(bgMeans)))
	}
	fg := make([]bool, len(raw))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			if !raw[by*bw+bx] {
				continue
			}
			n := 0
			for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				x, y := bx+d[0], by+d[1]
				if x >= 0 && y >= 0 && x < bw && y < bh && raw[y*bw+x] {
					n++
				}
			}
			fg[by*bw+bx] = n >= 2
		}
	}
	return fg, bg
}

// fitMixture labels each cell with one of k ellipses: equal shares across
// the image to start, then hard expectation-maximisation (each cell to the
// ellipse it is likeliest under, each ellipse refitted to its cells).
func fitMixture(cells []cell, k int) []int {
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return cells[order[i]].x < cells[order[j]].x })
	label := make([]int, len(cells))
	for r, c := range order {
		label[c] = r * k / len(cells)
	}
	for it := 0; it < segIterations; it++ {
		gs := make([]gauss, k)
		for j := range gs {
			gs[j] = fit(cells, label, j)
		}
		changed := false
		for c, p := range cells {
			best, bestLL := label[c], math.Inf(-1)
			for j, g := range gs {
				if g.n == 0 {
					continue
				}
				if ll := g.logLikelihood(p); ll > bestLL {
					best, bestLL = j, ll
				}
			}
			if best != label[c] {
				label[c], changed = best, true
			}
		}
		if !changed {
			break
		}
	}
	return label
}

// fit returns the mean and covariance of the cells labelled k, with a
// cell's own spread added so a thin group stays a proper ellipse.
func fit(cells []cell, label []int, k int) gauss {
	var g gauss
	for c, p := range cells {
		if label[c] == k {
			g.mx += p.x
			g.my += p.y
			g.n++
		}
	}
	if g.n == 0 {
		return g
	}
	g.mx /= float64(g.n)
	g.my /= float64(g.n)
	for c, p := range cells {
		if label[c] == k {
			dx, dy := p.x-g.mx, p.y-g.my
			g.sxx += dx * dx
			g.sxy += dx * dy
			g.syy += dy * dy
		}
	}
	reg := segBlock * segBlock / 12.0 // a uniform cell's own variance
	g.sxx = g.sxx/float64(g.n) + reg
	g.sxy /= float64(g.n)
	g.syy = g.syy/float64(g.n) + reg
	return g
}

// logLikelihood is the log density of p under the ellipse, up to a
// constant shared by all ellipses.
func (g gauss) logLikelihood(p cell) float64 {
	det := g.sxx*g.syy - g.sxy*g.sxy
	if det <= 0 {
		return math.Inf(-1)
	}
	dx, dy := p.x-g.mx, p.y-g.my
	m := (g.syy*dx*dx - 2*g.sxy*dx*dy + g.sxx*dy*dy) / det
	return -0.5*m - 0.5*math.Log(det)
}

// angle is the ellipse's major axis from the vertical (clockwise on
// screen, y pointing down), in (-π/2, π/2].
func (g gauss) angle() float64 {
	// Orientation of the major axis from the x axis, then turned to the
	// vertical.
	t := 0.5 * math.Atan2(2*g.sxy, g.sxx-g.syy)
	a := t - math.Pi/2
	for a <= -math.Pi/2 {
		a += math.Pi
	}
	for a > math.Pi/2 {
		a -= math.Pi
	}
	return a
}

// cropBox bounds the cells owned by k, one cell of margin, in image
// coordinates.
func cropBox(owner []int, bw, bh, k int, b image.Rectangle) image.Rectangle {
	x0, y0, x1, y1 := bw, bh, -1, -1
	for i, o := range owner {
		if o == k {
			x, y := i%bw, i/bw
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	r := image.Rect((x0-1)*segBlock, (y0-1)*segBlock, (x1+2)*segBlock, (y1+2)*segBlock).Add(b.Min)
	return r.Intersect(b)
}

// cropFinger copies box out of img, painting the cells other fingers own
// with the background grey.
func cropFinger(img *image.Gray, box image.Rectangle, owner []int, bw, k int, bg uint8) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, box.Dx(), box.Dy()))
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			v := img.Pix[(y-img.Rect.Min.Y)*img.Stride+x-img.Rect.Min.X]
			bx, by := (x-b.Min.X)/segBlock, (y-b.Min.Y)/segBlock
			if bx < bw && by < len(owner)/bw {
				if o := owner[by*bw+bx]; o >= 0 && o != k {
					v = bg
				}
			}
			out.Pix[(y-box.Min.Y)*out.Stride+x-box.Min.X] = v
		}
	}
	return out
}
