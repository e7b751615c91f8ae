package face

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
)

// Backdrop is a KTP-el photo background colour.
type Backdrop string

// The KTP-el background colours: red for odd birth years, blue for even,
// orange for foreign residents (Dukcapil).
const (
	BackdropRed    Backdrop = "red"
	BackdropBlue   Backdrop = "blue"
	BackdropOrange Backdrop = "orange"
)

// Colors are the reference sRGB colours of the backdrops used for the check
// and for replacement.
var Colors = map[Backdrop]color.NRGBA{
	BackdropRed:    {R: 0xD0, G: 0x1C, B: 0x1F, A: 0xFF},
	BackdropBlue:   {R: 0x1E, G: 0x5A, B: 0xC8, A: 0xFF},
	BackdropOrange: {R: 0xF2, G: 0x8C, B: 0x28, A: 0xFF},
}

// BackdropFor returns the required background for a resident born in
// birthYear; foreign residents (WNA) always get orange.
func BackdropFor(birthYear int, foreigner bool) Backdrop {
	switch {
	case foreigner:
		return BackdropOrange
	case birthYear%2 != 0:
		return BackdropRed
	default:
		return BackdropBlue
	}
}

// BackdropCheck is the result of checking a portrait's background colour.
type BackdropCheck struct {
	// Want is the required backdrop and Got the nearest reference colour to
	// the measured one.
	Want, Got Backdrop
	// Mean is the measured mean backdrop colour.
	Mean color.NRGBA
	// Distance is the RGB distance of Mean to the required colour, 0..441.
	Distance float64
	// SD is the spread (RGB distance standard deviation) of the backdrop.
	SD float64
	// Pass reports Got == Want, Distance ≤ MaxDistance and SD ≤ MaxSD.
	Pass bool
	// ID and EN are the operator messages.
	ID, EN string
}

// BackdropLimits bound the colour check.
type BackdropLimits struct {
	// MaxDistance is the largest RGB distance to the reference colour.
	MaxDistance float64
	// MaxSD is the largest spread of the backdrop colour.
	MaxSD float64
}

// DefaultBackdropLimits accept ordinary cloth and paper backdrops.
var DefaultBackdropLimits = BackdropLimits{MaxDistance: 90, MaxSD: 25}

// portraitMask reports, for a crop made with pt, whether output pixel (x, y)
// is backdrop: outside the head ellipse and above the shoulders.
func portraitMask(pt Portrait) func(x, y int) bool {
	h := float64(pt.Height)
	head := pt.HeadHeight * h
	ied := head / 3.6
	cx, cy := float64(pt.Width)/2, pt.EyeLine*h-0.1*ied
	a, b := 1.5*ied, 2.1*ied
	chin := pt.EyeLine*h + 1.8*ied
	return func(x, y int) bool {
		if float64(y) >= chin {
			return false
		}
		dx, dy := (float64(x)+0.5-cx)/a, (float64(y)+0.5-cy)/b
		return dx*dx+dy*dy > 1
	}
}

// CheckBackdrop measures the backdrop of a portrait made by Crop with pt
// and compares it with want.
func CheckBackdrop(portrait image.Image, pt Portrait, want Backdrop, lim BackdropLimits) (BackdropCheck, error) {
	ref, ok := Colors[want]
	if !ok {
		return BackdropCheck{}, fmt.Errorf("face: unknown backdrop %q", want)
	}
	if err := pt.validate(); err != nil {
		return BackdropCheck{}, err
	}
	mask := portraitMask(pt)
	r, g, b, n := rgbMean(portrait, mask)
	if n == 0 {
		return BackdropCheck{}, errors.New("face: portrait has no backdrop pixels")
	}
	m := color.NRGBA{uint8(math.Round(r)), uint8(math.Round(g)), uint8(math.Round(b)), 0xFF}
	c := BackdropCheck{Want: want, Mean: m, Distance: rgbDist(m, ref), SD: colourSpread(portrait, mask, m)}
	best := math.Inf(1)
	for k, v := range Colors {
		if d := rgbDist(m, v); d < best {
			best, c.Got = d, k
		}
	}
	c.Pass = c.Got == want && c.Distance <= lim.MaxDistance && c.SD <= lim.MaxSD
	names := map[Backdrop]string{BackdropRed: "merah", BackdropBlue: "biru", BackdropOrange: "oranye"}
	switch {
	case c.Pass:
		c.ID, c.EN = "Warna latar sesuai ("+names[want]+")", "Background colour correct ("+string(want)+")"
	case c.SD > lim.MaxSD:
		c.ID, c.EN = "Latar belakang tidak rata", "Background not uniform"
	default:
		c.ID = "Warna latar harus " + names[want] + " (terdeteksi: " + names[c.Got] + ")"
		c.EN = "Background must be " + string(want) + " (found: " + string(c.Got) + ")"
	}
	return c, nil
}

func rgbDist(a, b color.NRGBA) float64 {
	dr, dg, db := float64(a.R)-float64(b.R), float64(a.G)-float64(b.G), float64(a.B)-float64(b.B)
	return math.Sqrt(dr*dr + dg*dg + db*db)
}

// colourSpread is the RMS colour distance of the masked pixels to m.
func colourSpread(img image.Image, mask func(x, y int) bool, m color.NRGBA) float64 {
	bd := img.Bounds()
	s, n := 0.0, 0
	for y := 0; y < bd.Dy(); y++ {
		for x := 0; x < bd.Dx(); x++ {
			if mask(x, y) {
				d := rgbDist(color.NRGBAModel.Convert(img.At(bd.Min.X+x, bd.Min.Y+y)).(color.NRGBA), m)
				s += d * d
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(s / float64(n))
}

// ErrNotSeparable is returned by ReplaceBackdrop when the subject cannot be
// told apart from a uniform backdrop.
var ErrNotSeparable = errors.New("face: subject not separable from the backdrop")

// ReplaceBackdrop repaints the backdrop of a portrait made by Crop with pt
// in the colour of want. The backdrop must be uniform: its colour is
// measured in the mask region (head ellipse excluded), and every pixel
// connected to the image border whose colour lies within tol of it (RGB
// distance) is repainted, with a soft edge over the band tol..2·tol. It
// returns ErrNotSeparable when the backdrop is not uniform or when the fill
// would eat into the face.
func ReplaceBackdrop(portrait image.Image, pt Portrait, want Backdrop, tol float64) (*image.NRGBA, error) {
	ref, ok := Colors[want]
	if !ok {
		return nil, fmt.Errorf("face: unknown backdrop %q", want)
	}
	if err := pt.validate(); err != nil {
		return nil, err
	}
	src := toNRGBA(portrait)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if w != pt.Width || h != pt.Height {
		return nil, fmt.Errorf("face: portrait is %dx%d, geometry wants %dx%d", w, h, pt.Width, pt.Height)
	}
	mask := portraitMask(pt)
	r, g, b, n := rgbMean(src, mask)
	if n == 0 {
		return nil, errors.New("face: portrait has no backdrop pixels")
	}
	bg := color.NRGBA{uint8(math.Round(r)), uint8(math.Round(g)), uint8(math.Round(b)), 0xFF}
	if sd := colourSpread(src, mask, bg); sd > tol {
		return nil, fmt.Errorf("%w: backdrop spread %.1f above tolerance %.1f", ErrNotSeparable, sd, tol)
	}
	dist := make([]float64, w*h)
	for i := range dist {
		p := src.Pix[i*4 : i*4+4]
		dist[i] = rgbDist(color.NRGBA{p[0], p[1], p[2], 0xFF}, bg)
	}
	// flood from the border through pixels within 2·tol
	alpha := make([]float64, w*h) // 1 = backdrop
	var stack []int
	push := func(i int) {
		if alpha[i] == 0 && dist[i] <= 2*tol {
			alpha[i] = math.Max(1e-6, math.Min(1, (2*tol-dist[i])/tol))
			stack = append(stack, i)
		}
	}
	for x := range w {
		push(x)
	}
	for y := range h {
		push(y * w)
		push(y*w + w - 1)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if alpha[i] < 1 {
			continue // soft edge: do not grow through it
		}
		x, y := i%w, i/w
		if x > 0 {
			push(i - 1)
		}
		if x < w-1 {
			push(i + 1)
		}
		if y > 0 {
			push(i - w)
		}
		if y < h-1 {
			push(i + w)
		}
	}
	// the fill must leave the face (the inner head ellipse) alone
	ied := pt.HeadHeight * float64(h) / 3.6
	fx, fy := float64(w)/2, pt.EyeLine*float64(h)+0.4*ied
	eaten, total := 0, 0
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-fx)/(0.9*ied), (float64(y)-fy)/(1.3*ied)
			if dx*dx+dy*dy <= 1 {
				total++
				if alpha[y*w+x] >= 0.5 {
					eaten++
				}
			}
		}
	}
	if total > 0 && float64(eaten) > 0.02*float64(total) {
		return nil, fmt.Errorf("%w: the backdrop colour reaches into the face", ErrNotSeparable)
	}
	out := image.NewNRGBA(src.Rect)
	copy(out.Pix, src.Pix)
	for i, a := range alpha {
		if a == 0 {
			continue
		}
		p := out.Pix[i*4 : i*4+4]
		p[0] = uint8(math.Round(float64(p[0])*(1-a) + float64(ref.R)*a))
		p[1] = uint8(math.Round(float64(p[1])*(1-a) + float64(ref.G)*a))
		p[2] = uint8(math.Round(float64(p[2])*(1-a) + float64(ref.B)*a))
	}
	return out, nil
}
