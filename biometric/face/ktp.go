package face

import (
	"errors"
	"fmt"
	"github.com/disintegration/imaging"
	"image"
	"image/color"
	"math"
)

// Portrait is the geometry of the card photo: the output size and where the
// eyes and head must fall in it.
type Portrait struct {
	// Width and Height are the output size in pixels.
	Width, Height int
	// EyeLine is the height of the eye line from the top, as a fraction of Height.
	EyeLine float64
	// HeadHeight is the chin-to-crown height as a fraction of Height
	// (ICAO: 0.70–0.80).
	HeadHeight float64
}

// CardPortrait is the KTP-el pas foto: 3 × 4 (portrait), 300 × 400 pixels
// (≈ 254 dpi over 30 × 40 mm), head 75 % of the height, eyes at 45 % from
// the top. The exact printing geometry of the card (Permendagri 72/2022
// annex) was not available; these follow ICAO 9303 and are configurable.
var CardPortrait = Portrait{Width: 300, Height: 400, EyeLine: 0.45, HeadHeight: 0.75}

// validate reports an unusable geometry.
func (pt Portrait) validate() error {
	if pt.Width < 16 || pt.Height < 16 || pt.Width > 4000 || pt.Height > 4000 ||
		pt.EyeLine <= 0 || pt.EyeLine >= 1 || pt.HeadHeight <= 0 || pt.HeadHeight > 1 {
		return fmt.Errorf("face: unusable portrait geometry %+v", pt)
	}
	return nil
}

// transform returns the similarity that maps output pixel (u, v) to source
// coordinates: scale s (source pixels per output pixel), rotation by the
// eye-line angle, eyes' midpoint onto (Width/2, EyeLine·Height).
func (pt Portrait) transform(eyeL, eyeR Point) func(u, v float64) (float64, float64) {
	ied := eyeL.Dist(eyeR)
	// head height in source pixels → HeadHeight·Height output pixels
	s := 3.6 * ied / (pt.HeadHeight * float64(pt.Height))
	ang := math.Atan2(eyeR.Y-eyeL.Y, eyeR.X-eyeL.X)
	cs, sn := math.Cos(ang)*s, math.Sin(ang)*s
	mx, my := (eyeL.X+eyeR.X)/2, (eyeL.Y+eyeR.Y)/2
	u0, v0 := float64(pt.Width)/2, pt.EyeLine*float64(pt.Height)
	return func(u, v float64) (float64, float64) {
		du, dv := u-u0, v-v0
		return mx + cs*du - sn*dv, my + sn*du + cs*dv
	}
}

// cropInside returns the fraction of the portrait crop of f that lies
// inside a w × h frame (sampled on a 20 × 20 grid).
func cropInside(f Face, pt Portrait, w, h float64) float64 {
	if f.IED() <= 0 {
		return 0
	}
	tr := pt.transform(f.EyeL, f.EyeR)
	in := 0
	const n = 20
	for i := range n {
		for j := range n {
			x, y := tr((float64(i)+0.5)*float64(pt.Width)/n, (float64(j)+0.5)*float64(pt.Height)/n)
			if x >= 0 && y >= 0 && x < w && y < h {
				in++
			}
		}
	}
	return float64(in) / (n * n)
}

// Crop cuts the card portrait out of img: it levels the eye line, scales
// the head to the portrait's head height and places the eyes on its eye
// line, with bilinear sampling. Parts outside the frame are filled with the
// nearest edge pixel; check head_position first to avoid them.
func Crop(img image.Image, eyeL, eyeR Point, pt Portrait) (*image.NRGBA, error) {
	if err := pt.validate(); err != nil {
		return nil, err
	}
	if eyeL.Dist(eyeR) < 4 {
		return nil, errors.New("face: crop: eyes closer than 4 pixels")
	}
	if eyeL.X > eyeR.X {
		eyeL, eyeR = eyeR, eyeL
	}
	src := toNRGBA(img)
	// A camera frame is often several times larger than the card portrait:
	// bilinear sampling alone would alias (moiré in hair and clothing), so
	// the frame is first shrunk with a Lanczos filter to about the output
	// scale, and the eye positions with it.
	if s := 3.6 * eyeL.Dist(eyeR) / (pt.HeadHeight * float64(pt.Height)); s > 1.5 {
		w := int(math.Round(float64(src.Rect.Dx()) / s))
		h := int(math.Round(float64(src.Rect.Dy()) / s))
		kx, ky := float64(w)/float64(src.Rect.Dx()), float64(h)/float64(src.Rect.Dy())
		src = imaging.Resize(src, w, h, imaging.Lanczos)
		eyeL = Point{X: eyeL.X * kx, Y: eyeL.Y * ky}
		eyeR = Point{X: eyeR.X * kx, Y: eyeR.Y * ky}
	}
	tr := pt.transform(eyeL, eyeR)
	out := image.NewNRGBA(image.Rect(0, 0, pt.Width, pt.Height))
	for v := 0; v < pt.Height; v++ {
		for u := 0; u < pt.Width; u++ {
			x, y := tr(float64(u)+0.5, float64(v)+0.5)
			out.SetNRGBA(u, v, bilinear(src, x-0.5, y-0.5))
		}
	}
	return out, nil
}

// toNRGBA returns img as an NRGBA image anchored at (0, 0).
func toNRGBA(img image.Image) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			n.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return n
}

// bilinear samples src at (x, y) with edge clamping.
func bilinear(src *image.NRGBA, x, y float64) color.NRGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	x = math.Max(0, math.Min(float64(w-1), x))
	y = math.Max(0, math.Min(float64(h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	var c [4]float64
	for k := range 4 {
		a := float64(src.Pix[y0*src.Stride+x0*4+k])
		b := float64(src.Pix[y0*src.Stride+x1*4+k])
		cc := float64(src.Pix[y1*src.Stride+x0*4+k])
		d := float64(src.Pix[y1*src.Stride+x1*4+k])
		c[k] = (a*(1-fx)+b*fx)*(1-fy) + (cc*(1-fx)+d*fx)*fy
	}
	return color.NRGBA{uint8(math.Round(c[0])), uint8(math.Round(c[1])), uint8(math.Round(c[2])), uint8(math.Round(c[3]))}
}
