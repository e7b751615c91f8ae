package iris_test

import (
	"image"
	"math"
	"math/rand/v2"
)

// synthEye describes one synthetic near-infrared eye: the iris texture is
// drawn from seed, so the same seed is the same eye.
type synthEye struct {
	seed             uint64
	px, py, pr       float64 // pupil
	ix, iy, ir       float64 // limbus (not concentric with the pupil)
	upperLid         float64 // y of the upper eyelid apex
	lowerLid         float64 // y of the lower eyelid apex
	highlight        bool    // specular reflections in the pupil
	flatPupil        bool    // pupil filled with one grey level (as CASIA-IrisV1)
	blur             int     // box blur radius applied at the end
	rotateDeg, noise float64
}

func defaultEye(seed uint64) synthEye {
	return synthEye{seed: seed, px: 162, py: 142, pr: 34, ix: 158, iy: 139, ir: 96,
		upperLid: 58, lowerLid: 232, highlight: true, noise: 4}
}

// texture is a sum of angular waves localised in radius plus dark crypts:
// a stand-in for iris stroma with structure at the scales the encoder uses.
type texture struct {
	waves  []wave
	crypts []crypt
}

type wave struct{ n, phase, rho, width, amp float64 }
type crypt struct{ theta, rho, size float64 }

func newTexture(seed uint64) *texture {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t := &texture{}
	for i := 0; i < 60; i++ {
		t.waves = append(t.waves, wave{
			n: float64(4 + r.IntN(36)), phase: r.Float64() * 2 * math.Pi,
			rho: r.Float64(), width: 0.08 + 0.2*r.Float64(), amp: 0.5 + r.Float64(),
		})
	}
	for i := 0; i < 40; i++ {
		t.crypts = append(t.crypts, crypt{theta: r.Float64() * 2 * math.Pi, rho: 0.1 + 0.8*r.Float64(), size: 0.03 + 0.05*r.Float64()})
	}
	return t
}

func (t *texture) at(rho, theta float64) float64 {
	var v float64
	for _, w := range t.waves {
		d := (rho - w.rho) / w.width
		v += w.amp * math.Cos(w.n*theta+w.phase+3*rho) * math.Exp(-d*d)
	}
	for _, c := range t.crypts {
		dt := math.Remainder(theta-c.theta, 2*math.Pi) * (0.4 + rho)
		dr := rho - c.rho
		if q := (dt*dt + dr*dr) / (c.size * c.size); q < 4 {
			v -= 4 * math.Exp(-q)
		}
	}
	return v
}

// render draws the eye as an 8-bit grey image of 320×280, rotated by
// rotateDeg about the pupil centre (head tilt), with sensor noise.
func (e synthEye) render() *image.Gray {
	const w, h = 320, 280
	tex := newTexture(e.seed)
	noise := rand.New(rand.NewPCG(e.seed+1000, uint64(e.rotateDeg*1000)+7))
	img := image.NewGray(image.Rect(0, 0, w, h))
	rot := e.rotateDeg * math.Pi / 180
	cr, sr := math.Cos(rot), math.Sin(rot)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Rotate the sampling point back into the eye's own frame.
			dx, dy := float64(x)-e.px, float64(y)-e.py
			ex, ey := e.px+cr*dx+sr*dy, e.py-sr*dx+cr*dy
			v := e.shade(tex, ex, ey) + noise.NormFloat64()*e.noise
			img.Pix[y*img.Stride+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	if e.blur > 0 {
		img = boxBlurGray(img, e.blur)
	}
	return img
}

// shade is the noise-free grey level of the eye at (x, y) in its own frame.
func (e synthEye) shade(tex *texture, x, y float64) float64 {
	// Eyelids: parabolas; skin above the upper and below the lower.
	dxl := x - e.ix
	upper := e.upperLid + 0.0025*dxl*dxl
	lower := e.lowerLid - 0.002*dxl*dxl
	if y < upper {
		if y > upper-10 && int(x)%7 < 2 {
			return 45 // eyelashes along the margin
		}
		return 205
	}
	if y > lower {
		return 195
	}
	dp := math.Hypot(x-e.px, y-e.py)
	if dp < e.pr {
		if e.flatPupil {
			return 30
		}
		v := 28 + 8*math.Sin(x*0.3)*math.Cos(y*0.2) // a pupil that is not flat
		// Two LED reflections, as NIR cameras with two illuminators make.
		if e.highlight && (math.Hypot(x-(e.px+8), y-(e.py-6)) < 5 || math.Hypot(x-(e.px-8), y-(e.py-6)) < 5) {
			v = 252
		}
		return v
	}
	di := math.Hypot(x-e.ix, y-e.iy)
	if di > e.ir {
		return 185 // sclera
	}
	// Rubber-sheet coordinate between pupil and limbus along the ray from
	// the pupil centre.
	theta := math.Atan2(y-e.py, x-e.px)
	rho := (dp - e.pr) / math.Max(1, limbusDistance(e, theta)-e.pr)
	return 110 + 12*tex.at(rho, theta)
}

// limbusDistance is the distance from the pupil centre to the limbus along
// direction theta.
func limbusDistance(e synthEye, theta float64) float64 {
	ux, uy := math.Cos(theta), math.Sin(theta)
	ox, oy := e.px-e.ix, e.py-e.iy
	b := ox*ux + oy*uy
	c := ox*ox + oy*oy - e.ir*e.ir
	return -b + math.Sqrt(b*b-c)
}

func boxBlurGray(img *image.Gray, r int) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			s, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < b.Dx() && yy < b.Dy() {
						s += int(img.Pix[yy*img.Stride+xx])
						n++
					}
				}
			}
			out.Pix[y*out.Stride+x] = uint8(s / n)
		}
	}
	return out
}
