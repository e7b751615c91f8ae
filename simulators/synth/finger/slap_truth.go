package finger

import (
	"image"
	"math"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// SlapContactCentres is the truth of where each finger of a slap touched:
// the centroid of the ink (pixels darker than mid-grey) inside the
// finger's tile as lay places it, a pixel inside two tiles going to the
// nearer tile centre. img and lay come from SlapImage and SlapLayout with
// the same arguments; the result follows lay's order (a finger with no ink
// gets its tile centre).
func SlapContactCentres(img *image.Gray, lay []SlapFinger) []gen.Point {
	sx, sy, n := make([]float64, len(lay)), make([]float64, len(lay)), make([]float64, len(lay))
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.Pix[(y-b.Min.Y)*img.Stride+x-b.Min.X] >= 128 {
				continue
			}
			best, bestD := -1, math.Inf(1)
			for i, f := range lay {
				if !image.Pt(x, y).In(f.Box) {
					continue
				}
				dx, dy := float64(x)-f.Centre.X, float64(y)-f.Centre.Y
				s, c := math.Sincos(f.Rotation)
				if math.Abs(c*dx+s*dy) > slapTileW/2 || math.Abs(-s*dx+c*dy) > slapTileH/2 {
					continue
				}
				if d := math.Hypot(dx, dy); d < bestD {
					best, bestD = i, d
				}
			}
			if best >= 0 {
				sx[best] += float64(x)
				sy[best] += float64(y)
				n[best]++
			}
		}
	}
	out := make([]gen.Point, len(lay))
	for i, f := range lay {
		out[i] = f.Centre
		if n[i] > 0 {
			out[i] = gen.Point{X: sx[i] / n[i], Y: sy[i] / n[i]}
		}
	}
	return out
}
