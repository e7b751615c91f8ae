package signature

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// RenderOptions sets the output image of Render.
type RenderOptions struct {
	// Width and Height are the image size in pixels.
	Width, Height int
	// Margin is the blank border in pixels on every side.
	Margin int
	// MinStroke and MaxStroke are the stroke widths in pixels at zero and
	// full pressure.
	MinStroke, MaxStroke float64
}

// CardRender is the signature box of the card at 300 dpi: 40 × 15 mm.
var CardRender = RenderOptions{Width: 472, Height: 177, Margin: 8, MinStroke: 1.2, MaxStroke: 4.0}

// Render draws the pen-down strokes of sig black on white, scaled to fit the
// image with its aspect ratio kept, anti-aliased, with the stroke width
// following the pen pressure.
func Render(sig *Signature, o RenderOptions) (*image.Gray, error) {
	if o.Width <= 2*o.Margin || o.Height <= 2*o.Margin || o.Width > 10000 || o.Height > 10000 {
		return nil, fmt.Errorf("signature: render size %dx%d margin %d is unusable", o.Width, o.Height, o.Margin)
	}
	if o.MinStroke <= 0 || o.MaxStroke < o.MinStroke {
		return nil, fmt.Errorf("signature: stroke widths %.2f–%.2f are unusable", o.MinStroke, o.MaxStroke)
	}
	x0, y0, x1, y1, ok := sig.Bounds()
	if !ok {
		return nil, errors.New("signature: nothing to render: no pen-down sample")
	}
	pad := o.MaxStroke/2 + 1
	aw, ah := float64(o.Width-2*o.Margin)-2*pad, float64(o.Height-2*o.Margin)-2*pad
	scale := math.Min(aw/math.Max(x1-x0, 1e-9), ah/math.Max(y1-y0, 1e-9))
	offX := float64(o.Width)/2 - scale*(x0+x1)/2
	offY := float64(o.Height)/2 - scale*(y0+y1)/2
	pt := func(s Sample) (float64, float64, float64) {
		y := scale*s.Y + offY
		if sig.YUp {
			y = float64(o.Height) - y
		}
		w := o.MinStroke + (o.MaxStroke-o.MinStroke)*math.Max(0, math.Min(1, s.Pressure))
		return scale*s.X + offX, y, w
	}
	// ink holds the coverage of each pixel, 0..1; strokes combine by max so
	// overlapping segments do not darken joints.
	ink := make([]float64, o.Width*o.Height)
	for i, s := range sig.Samples {
		if !s.PenDown {
			continue
		}
		ax, ay, aw := pt(s)
		bx, by, bw := ax, ay, aw
		if i+1 < len(sig.Samples) && sig.Samples[i+1].PenDown {
			bx, by, bw = pt(sig.Samples[i+1])
		}
		capsule(ink, o.Width, o.Height, ax, ay, aw/2, bx, by, bw/2)
	}
	img := image.NewGray(image.Rect(0, 0, o.Width, o.Height))
	for i, c := range ink {
		img.Pix[i] = uint8(math.Round(255 * (1 - c)))
	}
	return img, nil
}

// capsule paints a segment from (ax,ay) to (bx,by) whose half-width goes
// linearly from ra to rb, with round caps, using the pixel-centre distance
// for a one-pixel anti-aliased edge.
func capsule(ink []float64, w, h int, ax, ay, ra, bx, by, rb float64) {
	r := math.Max(ra, rb) + 1
	minX := max(0, int(math.Floor(math.Min(ax, bx)-r)))
	maxX := min(w-1, int(math.Ceil(math.Max(ax, bx)+r)))
	minY := max(0, int(math.Floor(math.Min(ay, by)-r)))
	maxY := min(h-1, int(math.Ceil(math.Max(ay, by)+r)))
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	for y := minY; y <= maxY; y++ {
		py := float64(y) + 0.5
		for x := minX; x <= maxX; x++ {
			px := float64(x) + 0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
			}
			cx, cy := ax+t*dx-px, ay+t*dy-py
			d := math.Sqrt(cx*cx + cy*cy)
			rad := ra + t*(rb-ra)
			c := math.Max(0, math.Min(1, rad-d+0.5))
			if k := y*w + x; c > ink[k] {
				ink[k] = c
			}
		}
	}
}
