package finger

import (
	"image"
	"math"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Slap selects which fingers a slap (plain multi-finger) capture shows.
type Slap int

// Slap kinds, as captured by a 4-4-2 enrolment.
const (
	RightFour Slap = iota // right index, middle, ring, little (ISO 2–5)
	LeftFour              // left index, middle, ring, little (ISO 7–10)
	Thumbs                // both thumbs (ISO 6 left, 1 right)
)

// Default slap image size: a 3.2 × 3.0 inch platen at 500 dpi.
const (
	DefaultSlapWidth  = 1600
	DefaultSlapHeight = 1500
)

// SlapOptions controls a slap image. The zero value is a normal capture of
// every finger of the slap at the default size.
type SlapOptions struct {
	Condition Condition
	// Width and Height in pixels at 500 dpi; 0 means the default.
	Width, Height int
	// Missing lists ISO finger positions left out (amputated, bandaged, or
	// a wrong finger count).
	Missing []int
}

// SlapFinger is where one finger lies in a slap image.
type SlapFinger struct {
	Finger int `json:"finger"`
	// Centre of the finger's tile and the tile's rotation (radians,
	// clockwise on screen); Box bounds the rotated tile.
	Centre   gen.Point       `json:"centre"`
	Rotation float64         `json:"rotation_rad"`
	Box      image.Rectangle `json:"box"`
}

// slapTile is the size of each finger's impression inside a slap.
const slapTileW, slapTileH = 330, 460

// slapFingers lists the fingers of a slap from the image's left to right.
func slapFingers(s Slap) []int {
	switch s {
	case LeftFour:
		return []int{10, 9, 8, 7}
	case Thumbs:
		return []int{6, 1}
	}
	return []int{2, 3, 4, 5}
}

// SlapLayout returns where each present finger lies in the slap image that
// SlapImage draws with the same arguments, from the image's left to right.
func SlapLayout(identity uint64, slap Slap, impression int, opts SlapOptions) []SlapFinger {
	w, h := gen.OrDefault(opts.Width, DefaultSlapWidth), gen.OrDefault(opts.Height, DefaultSlapHeight)
	r := gen.Rand(gen.DomFingerImpression, identity, uint64(slap), uint64(impression), 0x51A9)
	fingers := slapFingers(slap)
	n := float64(len(fingers))
	handRot := gen.Gauss(r, 0, 0.06)
	var out []SlapFinger
	for i, f := range fingers {
		u := (float64(i) + 0.5) / n // 0..1 across the hand
		x := float64(w) * (0.5 + (u-0.5)*0.82*n/4)
		if slap == Thumbs {
			x = float64(w) * (0.27 + 0.46*float64(i))
		}
		// Fingertips on an arc: the middle fingers reach highest.
		y := float64(h) * (0.36 + 0.22*math.Pow(2*u-1, 2))
		if slap == Thumbs {
			y = float64(h) * 0.45
		}
		rot := handRot + 0.22*(u-0.5) + gen.Gauss(r, 0, 0.04)
		if slap == LeftFour {
			rot = handRot - 0.22*(u-0.5) + gen.Gauss(r, 0, 0.04)
		}
		c := gen.Point{X: x + gen.Gauss(r, 0, 12), Y: y + gen.Gauss(r, 0, 12)}
		missing := false
		for _, m := range opts.Missing {
			missing = missing || m == f
		}
		if missing {
			continue
		}
		s, co := math.Abs(math.Sin(rot)), math.Abs(math.Cos(rot))
		hw := (slapTileW*co + slapTileH*s) / 2
		hh := (slapTileW*s + slapTileH*co) / 2
		box := image.Rect(int(c.X-hw), int(c.Y-hh), int(c.X+hw)+1, int(c.Y+hh)+1).Intersect(image.Rect(0, 0, w, h))
		out = append(out, SlapFinger{Finger: f, Centre: c, Rotation: rot, Box: box})
	}
	return out
}

// SlapImage returns a plain multi-finger capture: each present finger
// (the same master as Impression uses, with the pose of impression number
// impression and a larger contact) placed, fanned and tilted like a hand on
// a platen.
func SlapImage(identity uint64, slap Slap, impression int, opts SlapOptions) *image.Gray {
	w, h := gen.OrDefault(opts.Width, DefaultSlapWidth), gen.OrDefault(opts.Height, DefaultSlapHeight)
	img := image.NewGray(image.Rect(0, 0, w, h))
	r := gen.Rand(gen.DomFingerImpression, identity, uint64(slap), uint64(impression), 0x51AB)
	bg := gen.NewNoise(r, w, h, 90)
	paper := gen.Uniform(r, 236, 248)
	ink := make([]float64, w*h)
	for _, sf := range SlapLayout(identity, slap, impression, opts) {
		ms := masters.get(identity, sf.Finger)
		ip := newImpression(identity, sf.Finger, impression, slapTileW, slapTileH, opts.Condition, 0, ms.model)
		// A slap presses more of the finger: a larger, longer contact.
		ip.pose.ContactCentre = gen.Point{X: slapTileW / 2, Y: slapTileH * 0.55}
		ip.pose.ContactAxes = gen.Point{X: slapTileW * 0.46, Y: slapTileH * 0.5}
		tile := ip.ink(ms, slapTileW, slapTileH)
		s, c := math.Sincos(sf.Rotation)
		for y := sf.Box.Min.Y; y < sf.Box.Max.Y; y++ {
			for x := sf.Box.Min.X; x < sf.Box.Max.X; x++ {
				dx, dy := float64(x)-sf.Centre.X, float64(y)-sf.Centre.Y
				tx, ty := c*dx+s*dy+slapTileW/2, -s*dx+c*dy+slapTileH/2
				if tx < 0 || ty < 0 || tx >= slapTileW-1 || ty >= slapTileH-1 {
					continue
				}
				ix, iy := int(tx), int(ty)
				fx, fy := tx-float64(ix), ty-float64(iy)
				p, q := tile[iy*slapTileW+ix:], tile[(iy+1)*slapTileW+ix:]
				v := (p[0]*(1-fx)+p[1]*fx)*(1-fy) + (q[0]*(1-fx)+q[1]*fx)*fy
				ink[y*w+x] = math.Max(ink[y*w+x], v)
			}
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*w+x] = gen.Grey8(paper + 3*bg.At(float64(x), float64(y)) - ink[y*w+x] + 3*r.NormFloat64())
		}
	}
	return img
}
