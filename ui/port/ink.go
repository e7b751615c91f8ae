package port

import (
	"image"
	"image/color"
	"math"
)

// RenderInk draws points as ink lines on white; a lifted pen breaks
// the line.
func RenderInk(pts []Point, w, h int) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if !a.Pen || !b.Pen {
			continue
		}
		steps := int(math.Max(math.Abs(float64(b.X-a.X)), math.Abs(float64(b.Y-a.Y)))) + 1
		for k := 0; k <= steps; k++ {
			x := a.X + (b.X-a.X)*k/steps
			y := a.Y + (b.Y-a.Y)*k/steps
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if image.Pt(x+dx, y+dy).In(img.Rect) {
						img.SetGray(x+dx, y+dy, color.Gray{Y: 20})
					}
				}
			}
		}
	}
	return img
}
