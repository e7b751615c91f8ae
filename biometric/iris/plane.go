package iris

import (
	"image"
	"image/color"
	"math"
)

// plane is a grey-level image stored as float32 samples, row-major.
type plane struct {
	w, h int
	p    []float32
}

func newPlane(w, h int) *plane { return &plane{w: w, h: h, p: make([]float32, w*h)} }

// planeFromImage converts any image to grey levels 0..255.
func planeFromImage(img image.Image) *plane {
	b := img.Bounds()
	pl := newPlane(b.Dx(), b.Dy())
	switch g := img.(type) {
	case *image.Gray:
		for y := 0; y < pl.h; y++ {
			row := g.Pix[y*g.Stride : y*g.Stride+pl.w]
			for x, v := range row {
				pl.p[y*pl.w+x] = float32(v)
			}
		}
	default:
		for y := 0; y < pl.h; y++ {
			for x := 0; x < pl.w; x++ {
				c := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
				pl.p[y*pl.w+x] = float32(c.Y)
			}
		}
	}
	return pl
}

func (pl *plane) clone() *plane {
	c := newPlane(pl.w, pl.h)
	copy(c.p, pl.p)
	return c
}

// bilinear samples the plane at (x, y); ok is false outside the image.
func (pl *plane) bilinear(x, y float64) (float32, bool) {
	if x < 0 || y < 0 || x > float64(pl.w-1) || y > float64(pl.h-1) {
		return 0, false
	}
	x0, y0 := int(x), int(y)
	x1, y1 := x0+1, y0+1
	if x1 >= pl.w {
		x1 = x0
	}
	if y1 >= pl.h {
		y1 = y0
	}
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := pl.p[y0*pl.w+x0]*(1-fx) + pl.p[y0*pl.w+x1]*fx
	b := pl.p[y1*pl.w+x0]*(1-fx) + pl.p[y1*pl.w+x1]*fx
	return a*(1-fy) + b*fy, true
}

// boxBlur returns the plane averaged over a (2r+1)² window, clamped at the
// borders, in O(w·h) with running sums (rows, then columns kept as a row
// of running sums so memory is read in order).
func (pl *plane) boxBlur(r int) *plane {
	if r <= 0 {
		return pl.clone()
	}
	w, h := pl.w, pl.h
	tmp := newPlane(w, h)
	out := newPlane(w, h)
	for y := 0; y < h; y++ {
		boxLine(pl.p[y*w:(y+1)*w], tmp.p[y*w:(y+1)*w], r)
	}
	sum := make([]float32, w)
	cnt := 0
	for y := 0; y <= r && y < h; y++ {
		row := tmp.p[y*w : (y+1)*w]
		for x, v := range row {
			sum[x] += v
		}
		cnt++
	}
	for y := 0; y < h; y++ {
		inv := 1 / float32(cnt)
		o := out.p[y*w : (y+1)*w]
		for x, v := range sum {
			o[x] = v * inv
		}
		if j := y + r + 1; j < h {
			for x, v := range tmp.p[j*w : (j+1)*w] {
				sum[x] += v
			}
			cnt++
		}
		if j := y - r; j >= 0 {
			for x, v := range tmp.p[j*w : (j+1)*w] {
				sum[x] -= v
			}
			cnt--
		}
	}
	return out
}

// boxLine writes the running mean of radius r of in to out (borders clamped).
func boxLine(in, out []float32, r int) {
	n := len(in)
	var s float64
	cnt := 0
	for i := 0; i <= r && i < n; i++ {
		s += float64(in[i])
		cnt++
	}
	for i := 0; i < n; i++ {
		out[i] = float32(s / float64(cnt))
		if j := i + r + 1; j < n {
			s += float64(in[j])
			cnt++
		}
		if j := i - r; j >= 0 {
			s -= float64(in[j])
			cnt--
		}
	}
}

// gaussBlur approximates a Gaussian of standard deviation sigma with three
// box passes.
func (pl *plane) gaussBlur(sigma float64) *plane {
	if sigma <= 0 {
		return pl.clone()
	}
	// Radius of each of three boxes whose variance sums to sigma².
	r := int(math.Round((math.Sqrt(4*sigma*sigma+1) - 1) / 2))
	if r < 1 {
		r = 1
	}
	return pl.boxBlur(r).boxBlur(r).boxBlur(r)
}

// downsample averages f×f blocks.
func (pl *plane) downsample(f int) *plane {
	w, h := pl.w/f, pl.h/f
	out := newPlane(w, h)
	inv := 1 / float32(f*f)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for dy := 0; dy < f; dy++ {
				row := pl.p[(y*f+dy)*pl.w+x*f:]
				for dx := 0; dx < f; dx++ {
					s += row[dx]
				}
			}
			out.p[y*w+x] = s * inv
		}
	}
	return out
}
