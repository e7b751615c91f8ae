package face

import (
	"image"
	"image/color"
	"math"
	"sort"
)

// plane is a float grey image used by the measures.
type plane struct {
	w, h int
	v    []float64
}

func planeOf(g *image.Gray) plane {
	p := plane{w: g.Rect.Dx(), h: g.Rect.Dy(), v: make([]float64, g.Rect.Dx()*g.Rect.Dy())}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			p.v[y*p.w+x] = float64(g.Pix[y*g.Stride+x])
		}
	}
	return p
}

// at returns the value at (x, y), clamped to the border.
func (p plane) at(x, y int) float64 {
	x = max(0, min(p.w-1, x))
	y = max(0, min(p.h-1, y))
	return p.v[y*p.w+x]
}

// rect is a half-open pixel rectangle in float coordinates.
type rect struct{ x0, y0, x1, y1 float64 }

// values returns the pixels of r that lie inside the image.
func (p plane) values(r rect) []float64 {
	var out []float64
	for y := max(0, int(math.Floor(r.y0))); y < min(p.h, int(math.Ceil(r.y1))); y++ {
		for x := max(0, int(math.Floor(r.x0))); x < min(p.w, int(math.Ceil(r.x1))); x++ {
			out = append(out, p.v[y*p.w+x])
		}
	}
	return out
}

// mean returns the mean of v (0 for none).
func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// stddev returns the standard deviation of v.
func stddev(v []float64) float64 {
	m := mean(v)
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / math.Max(1, float64(len(v))))
}

// percentile returns the q-quantile (0..1) of v (sorted copy).
func percentile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(math.Round(q*float64(len(s)-1)))]
}

// faceRect returns the inner face region: between the outer eye corners
// widened a little, from the brows to the mouth.
func faceRect(f Face) rect {
	ied := f.IED()
	m := f.EyeMid()
	return rect{m.X - 0.95*ied, m.Y - 0.45*ied, m.X + 0.95*ied, m.Y + 1.45*ied}
}

// rgbMean returns the mean colour of img over the pixels for which keep is true.
func rgbMean(img image.Image, keep func(x, y int) bool) (r, g, b float64, n int) {
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if !keep(x-bd.Min.X, y-bd.Min.Y) {
				continue
			}
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			r += float64(c.R)
			g += float64(c.G)
			b += float64(c.B)
			n++
		}
	}
	if n > 0 {
		r, g, b = r/float64(n), g/float64(n), b/float64(n)
	}
	return
}
