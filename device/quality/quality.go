// Package quality is a simple, fast image-quality proxy for captures
// (block contrast and coverage), used by drivers to gate captures and to
// classify poor images as wet, dry or small. The fingerprint engine provides
// the real quality measure; this one only has to be cheap and monotone.
package quality

import (
	"image"
	"math"
	"sort"

	"github.com/rekam-ktp/rekam/device"
)

// block is the side of the square cells statistics are taken over.
const block = 16

// Assessment is the measurement of one image.
type Assessment struct {
	Score    int     // 0..100
	Mean     float64 // median block grey of the foreground (0 black .. 255 white)
	Contrast float64 // median standard deviation of foreground blocks
	Coverage float64 // fraction of blocks with ridge texture
	Fingers  int     // separate foreground columns groups (finger count on a slap)
}

// fgStd is the block standard deviation above which a block is foreground.
const fgStd = 14

// Assess measures img.
func Assess(img *image.Gray) Assessment {
	b := img.Bounds()
	bw, bh := b.Dx()/block, b.Dy()/block
	if bw == 0 || bh == 0 {
		return Assessment{}
	}
	cols := make([]int, bw)
	var fg int
	var stds, means []float64
	minX, minY, maxX, maxY := bw, bh, -1, -1
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			mean, std := cellStats(img, b.Min.X+bx*block, b.Min.Y+by*block, block)
			if std >= fgStd {
				fg++
				stds = append(stds, std)
				means = append(means, mean)
				cols[bx]++
				minX, minY, maxX, maxY = min(minX, bx), min(minY, by), max(maxX, bx), max(maxY, by)
			}
		}
	}
	a := Assessment{Coverage: float64(fg) / float64(bw*bh)}
	if fg == 0 {
		a.Mean = mean(img)
		return a
	}
	a.Contrast = median(stds)
	a.Mean = median(means)
	a.Fingers = countRuns(cols, bh)
	// Contact fills its bounding box (a slap's fingers fill theirs about
	// half); a faint or smeared print lacks contrast; a wet (dark) or dry
	// (light) print drifts from mid-grey.
	fill := float64(fg) / float64((maxX-minX+1)*(maxY-minY+1))
	c := math.Min(1, a.Contrast/55)
	v := math.Min(1, fill/0.5)
	g := math.Max(0, 1-math.Max(0, math.Abs(a.Mean-128)-20)/60)
	a.Score = int(math.Round(100 * c * v * g))
	return a
}

// countRuns counts groups of columns holding foreground in at least a
// quarter of their height, separated by at least one empty column.
func countRuns(cols []int, height int) int {
	runs, in := 0, false
	for _, c := range cols {
		on := c*4 >= height
		if on && !in {
			runs++
		}
		in = on
	}
	return runs
}

// median is robust to the high-contrast blocks on the contact border.
func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

func mean(img *image.Gray) float64 {
	b := img.Bounds()
	var s float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			s += float64(img.GrayAt(x, y).Y)
		}
	}
	return s / float64(max(1, b.Dx()*b.Dy()))
}

// Reason classifies a poor image: dark and smeared is wet, light and faint
// is dry, little texture area is small, anything else is low.
func (a Assessment) Reason() device.QualityReason {
	switch {
	case a.Coverage < 0.08:
		return device.ReasonSmall
	case a.Contrast < 45 && a.Mean < 110:
		return device.ReasonWet
	case a.Contrast < 55 && a.Mean > 150:
		return device.ReasonDry
	}
	return device.ReasonLow
}

// CheckFinger assesses img against req and returns a *device.QualityError
// when it fails (wrong finger count on a slap, or below MinQuality). A
// slap's fingers are counted by CountFingers, which parts fingertips that
// touch.
func CheckFinger(op string, img *image.Gray, req device.FingerRequest) (Assessment, error) {
	a := Assess(img)
	if req.Position.IsSlap() {
		a.Fingers = CountFingers(img)
		want := req.Count
		if want == 0 {
			want = req.Position.SlapCount()
		}
		if a.Fingers != want {
			return a, &device.QualityError{Op: op, Reason: device.ReasonFingerCount, Quality: a.Score, Want: want, Got: a.Fingers}
		}
	}
	if a.Score < req.MinQuality {
		return a, &device.QualityError{Op: op, Reason: a.Reason(), Quality: a.Score, Want: req.MinQuality}
	}
	return a, nil
}

// cellStats returns the mean and standard deviation of the grey levels of
// the size×size cell of img whose top-left pixel is (x0, y0).
func cellStats(img *image.Gray, x0, y0, size int) (mean, std float64) {
	var s, ss float64
	for y := 0; y < size; y++ {
		row := img.Pix[(y0+y-img.Rect.Min.Y)*img.Stride+(x0-img.Rect.Min.X):]
		for x := 0; x < size; x++ {
			v := float64(row[x])
			s += v
			ss += v * v
		}
	}
	n := float64(size * size)
	mean = s / n
	return mean, math.Sqrt(math.Max(0, ss/n-mean*mean))
}
