// Package biosrc is where simulators get biometric samples from: a Source
// interface shaped like the synthetic generators' API (simulators/synth), and
// Pattern, a cheap deterministic test pattern used until those generators
// are wired in. Pattern images are NOT realistic biometrics: they only have
// the statistics the device layer's quality proxy looks at (ridge-like
// contrast, contact area, separate fingers, wet/dry shifts).
package biosrc

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"time"
)

// FingerOptions varies one finger impression.
type FingerOptions struct {
	Wet, Dry, LowQuality bool
	// Fingers > 1 makes a slap image with that many fingers side by side.
	Fingers int
}

// PenSample is one point of a synthetic signature.
type PenSample struct {
	X, Y     float64 // millimetres from the top-left of the signing area
	Pressure float64 // 0..1
	PenDown  bool
	T        time.Duration
}

// Source supplies samples; the same (identity, ...) arguments always give
// the same sample.
type Source interface {
	// Finger returns a 500 dpi grey image.
	Finger(identity uint64, finger, impression int, opts FingerOptions) *image.Gray
	Iris(identity uint64, eye, impression int) *image.Gray
	Face(identity uint64, impression int) *image.RGBA
	Signature(identity uint64, impression int) []PenSample
}

// Pattern is the built-in deterministic test-pattern Source.
type Pattern struct{}

var _ Source = Pattern{}

func rng(parts ...uint64) *rand.Rand {
	var s uint64 = 0x9E3779B97F4A7C15
	for _, p := range parts {
		s = (s ^ p) * 0xBF58476D1CE4E5B9
		s ^= s >> 31
	}
	return rand.New(rand.NewPCG(s, s^0xD1B54A32D192ED03))
}

// Finger draws elliptical finger pads with concentric sinusoidal ridges
// (period 9-11 px ≈ 0.5 mm at 500 dpi) on white.
func (Pattern) Finger(identity uint64, finger, impression int, o FingerOptions) *image.Gray {
	n := max(1, o.Fingers)
	fw, fh := 320, 440
	img := image.NewGray(image.Rect(0, 0, fw*n, fh))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	id := rng(identity, uint64(finger))
	period := 9 + id.Float64()*2
	imp := rng(identity, uint64(finger), uint64(impression)+1)
	mean, amp := 128.0, 110.0
	switch {
	case o.Wet:
		mean, amp = 75, 28
	case o.Dry:
		mean, amp = 195, 28
	case o.LowQuality:
		amp = 26
	}
	for k := 0; k < n; k++ {
		cx := float64(k*fw+fw/2) + imp.Float64()*16 - 8
		cy := float64(fh/2) + imp.Float64()*16 - 8
		coreX := cx + id.Float64()*40 - 20
		coreY := cy + id.Float64()*40 - 20
		rx, ry := 115.0, 180.0
		if o.LowQuality {
			rx, ry = 80, 110 // partial contact
		}
		for y := 0; y < fh; y++ {
			for x := k * fw; x < (k+1)*fw; x++ {
				dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
				if dx*dx+dy*dy > 1 {
					continue
				}
				r := math.Hypot(float64(x)-coreX, (float64(y)-coreY)*0.8)
				v := mean + amp*math.Sin(2*math.Pi*r/period) + imp.NormFloat64()*6
				img.Pix[y*img.Stride+x] = clamp(v)
			}
		}
	}
	return img
}

// Iris draws a dark pupil, a radially textured iris and a light sclera.
func (Pattern) Iris(identity uint64, eye, impression int) *image.Gray {
	const w, h = 640, 480
	img := image.NewGray(image.Rect(0, 0, w, h))
	id := rng(identity, uint64(eye)+100)
	imp := rng(identity, uint64(eye)+100, uint64(impression)+1)
	spokes := 30 + id.IntN(30)
	pupil := 40 + imp.Float64()*15
	cx, cy := float64(w/2)+imp.Float64()*10-5, float64(h/2)+imp.Float64()*10-5
	rot := imp.Float64() * 0.2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			r := math.Hypot(dx, dy)
			var v float64
			switch {
			case r < pupil:
				v = 20
			case r < 120:
				a := math.Atan2(dy, dx) + rot
				v = 110 + 40*math.Sin(float64(spokes)*a)*math.Cos(r/6)
			default:
				v = 200
			}
			img.Pix[y*w+x] = clamp(v + imp.NormFloat64()*4)
		}
	}
	return img
}

// Face draws a flat background, a skin-toned oval with two eyes and a mouth.
func (Pattern) Face(identity uint64, impression int) *image.RGBA {
	const w, h = 480, 640
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	id := rng(identity, 200)
	skin := color.RGBA{uint8(150 + id.IntN(80)), uint8(110 + id.IntN(60)), uint8(80 + id.IntN(50)), 255}
	bg := color.RGBA{200, 30, 30, 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x-w/2)/130, float64(y-h/2+20)/175
			c := bg
			if dx*dx+dy*dy <= 1 {
				c = skin
				ex := math.Abs(float64(x-w/2)) - 50
				ey := float64(y - (h/2 - 60))
				if ex*ex+ey*ey < 14*14 {
					c = color.RGBA{30, 30, 30, 255}
				}
				if math.Abs(float64(x-w/2)) < 45 && math.Abs(float64(y-(h/2+80))) < 6 {
					c = color.RGBA{120, 40, 40, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// Signature draws a few connected loops with writer-specific shape and
// impression-specific jitter, sampled at 200 Hz.
func (Pattern) Signature(identity uint64, impression int) []PenSample {
	id := rng(identity, 300)
	imp := rng(identity, 300, uint64(impression)+1)
	loops := 3 + id.IntN(4)
	slant := id.Float64()*0.6 - 0.3
	var out []PenSample
	const dt = 5 * time.Millisecond
	t := time.Duration(0)
	for stroke := 0; stroke < 2; stroke++ {
		steps := 120 * loops / 2
		for i := 0; i < steps; i++ {
			u := float64(i) / float64(steps)
			a := u * 2 * math.Pi * float64(loops) / 2
			x := 10 + 60*u + float64(stroke)*8 + 4*math.Cos(a) + imp.NormFloat64()*0.1
			y := 20 + 8*math.Sin(a) + slant*(x-40)*0.2 + imp.NormFloat64()*0.1
			p := 0.3 + 0.5*math.Sin(math.Pi*u)
			out = append(out, PenSample{X: x, Y: y, Pressure: p, PenDown: true, T: t})
			t += dt
		}
		out = append(out, PenSample{X: out[len(out)-1].X, Y: out[len(out)-1].Y, T: t})
		t += 30 * dt
	}
	return out
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}

// Fit scales src (nearest neighbour, aspect kept) into a w×h white canvas,
// as a module with that sensor geometry would see it.
func Fit(src *image.Gray, w, h int) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for i := range dst.Pix {
		dst.Pix[i] = 255
	}
	sb := src.Bounds()
	if sb.Dx() == 0 || sb.Dy() == 0 {
		return dst
	}
	scale := math.Min(float64(w)/float64(sb.Dx()), float64(h)/float64(sb.Dy()))
	sw, sh := int(float64(sb.Dx())*scale), int(float64(sb.Dy())*scale)
	ox, oy := (w-sw)/2, (h-sh)/2
	for y := 0; y < sh; y++ {
		sy := sb.Min.Y + int(float64(y)/scale)
		for x := 0; x < sw; x++ {
			sx := sb.Min.X + int(float64(x)/scale)
			dst.Pix[(oy+y)*dst.Stride+ox+x] = src.Pix[(sy-src.Rect.Min.Y)*src.Stride+sx-src.Rect.Min.X]
		}
	}
	return dst
}
