package face

import (
	"image"
	"image/color"
	"math"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Default face image size: a 3:4 portrait.
const (
	DefaultWidth  = 480
	DefaultHeight = 640
)

// Options selects a variant of a face image. The zero value is a
// frontal, evenly lit face with open eyes on a light grey background.
type Options struct {
	// Width and Height in pixels; 0 means the default 480×640.
	Width, Height int
	// Background is the plain background colour; the zero value means a
	// light grey. KTP-el photos use red or blue.
	Background color.RGBA
	// EyesClosed draws closed eyelids.
	EyesClosed bool
	// Yaw turns the head, in radians (positive: the face turns to the
	// image's right).
	Yaw float64
	// SideLight moves the light source sideways: 0 frontal, ±1 from the
	// image's right or left at about 45°, casting the other half in shade.
	SideLight float64
	// Hijab covers hair, ears and neck with a head scarf, leaving the face
	// from forehead to chin visible (acceptable in a KTP-el photo).
	Hijab bool
	// Glasses draws spectacle frames; Glare adds reflections on the lenses.
	Glasses, Glare bool
}

// Truth gives landmark positions in image pixels.
type Truth struct {
	// LeftEye and RightEye are the pupil centres of the subject's left eye
	// (on the image's right) and right eye (on the image's left).
	LeftEye  gen.Point `json:"left_eye"`
	RightEye gen.Point `json:"right_eye"`
	// Nose is the nose tip and Mouth the centre of the mouth.
	Nose  gen.Point `json:"nose"`
	Mouth gen.Point `json:"mouth"`
	// FaceCentre, FaceHalfWidth and FaceHalfHeight describe the face oval
	// (chin to hairline) before any yaw.
	FaceCentre     gen.Point `json:"face_centre"`
	FaceHalfWidth  float64   `json:"face_half_width"`
	FaceHalfHeight float64   `json:"face_half_height"`
	// Crown is the top of the head (hair or scarf) and Chin the bottom of
	// the face, on the face's vertical axis; ICAO portraits want the
	// chin-to-crown distance at 70–80 % of the image height.
	Crown gen.Point `json:"crown"`
	Chin  gen.Point `json:"chin"`
	// Roll of the head in radians (positive clockwise on screen).
	Roll float64 `json:"roll_rad"`
}

// faceModel is a person's appearance plus one impression's pose.
type faceModel struct {
	skin, hair, cloth, lip, irisC [3]float64
	a, b                          float64 // face half axes
	cx, cy, roll, yaw             float64
	eyeDX, eyeY, eyeW, eyeH       float64 // in units of a (x) and b (y)
	browT, noseW, mouthW, mouthY  float64
	hairline, hairLong            float64
	scarf                         [3]float64
	hijab, glasses, glare         bool
	light                         [3]float64
	ambient                       float64
	// Projected feature positions (image-frame offsets) and foreshortening,
	// computed once per image; index 0 is the image-left side.
	eyeX, eyeF, earX, earF [2]float64
	midX, midF             float64
}

// sides are the image-left (−1) and image-right (+1) sides of the face.
var sides = [2]float64{-1, 1}

// skinTones spans light to dark brown skin (sRGB).
var skinTones = [][3]float64{{232, 190, 160}, {214, 165, 128}, {196, 142, 104}, {170, 117, 82}, {140, 92, 62}, {112, 72, 50}}

// newFaceModel draws the person (identity) and the impression's pose.
func newFaceModel(identity uint64, imp int, w, h int, o Options) *faceModel {
	r := gen.Rand(gen.DomFacePerson, identity)
	m := &faceModel{}
	t := gen.Uniform(r, 0, float64(len(skinTones)-1))
	i := int(t)
	for k := 0; k < 3; k++ {
		m.skin[k] = skinTones[i][k] + (skinTones[min(i+1, len(skinTones)-1)][k]-skinTones[i][k])*(t-float64(i))
	}
	hv := gen.Uniform(r, 12, 55)
	m.hair = [3]float64{hv * gen.Uniform(r, 1, 1.4), hv * gen.Uniform(r, 0.9, 1.1), hv * gen.Uniform(r, 0.7, 0.9)}
	m.cloth = [3]float64{gen.Uniform(r, 20, 230), gen.Uniform(r, 20, 230), gen.Uniform(r, 20, 230)}
	m.lip = [3]float64{m.skin[0] * 0.78, m.skin[1] * 0.55, m.skin[2] * 0.55}
	iv := gen.Uniform(r, 25, 60)
	m.irisC = [3]float64{iv * 1.4, iv, iv * 0.7}
	s := float64(min(w, h*3/4))
	m.a = s * gen.Uniform(r, 0.29, 0.32)
	m.b = m.a * gen.Uniform(r, 1.28, 1.42)
	m.eyeDX, m.eyeY = gen.Uniform(r, 0.38, 0.44), gen.Uniform(r, -0.12, -0.05)
	m.eyeW, m.eyeH = gen.Uniform(r, 0.17, 0.21), gen.Uniform(r, 0.065, 0.085)
	m.browT = gen.Uniform(r, 0.025, 0.045)
	m.noseW = gen.Uniform(r, 0.13, 0.19)
	m.mouthW, m.mouthY = gen.Uniform(r, 0.28, 0.36), gen.Uniform(r, 0.5, 0.58)
	m.hairline = gen.Uniform(r, -0.62, -0.5)
	m.hairLong = gen.Uniform(r, 0, 1)
	m.scarf = [3]float64{gen.Uniform(r, 30, 230), gen.Uniform(r, 30, 230), gen.Uniform(r, 30, 230)}
	m.hijab, m.glasses, m.glare = o.Hijab, o.Glasses || o.Glare, o.Glare

	ri := gen.Rand(gen.DomFaceImpression, identity, uint64(imp))
	m.cx = float64(w)/2 + gen.Gauss(ri, 0, 0.015*float64(w))
	m.cy = float64(h)*0.47 + gen.Gauss(ri, 0, 0.012*float64(h))
	zoom := gen.Gauss(ri, 1, 0.02)
	m.a, m.b = m.a*zoom, m.b*zoom
	m.roll = gen.Gauss(ri, 0, 0.03)
	m.yaw = o.Yaw + gen.Gauss(ri, 0, 0.02)
	lx := 0.6*o.SideLight + gen.Gauss(ri, 0, 0.05)
	l := [3]float64{lx, -0.35, 1}
	n := math.Sqrt(l[0]*l[0] + l[1]*l[1] + l[2]*l[2])
	m.light = [3]float64{l[0] / n, l[1] / n, l[2] / n}
	m.ambient = 0.45 - 0.12*math.Abs(o.SideLight)
	for i, sd := range sides {
		m.eyeX[i], m.eyeF[i] = m.featureX(sd * m.eyeDX)
		m.earX[i], m.earF[i] = m.featureX(sd * 0.92)
	}
	m.midX, m.midF = m.featureX(0)
	return m
}

// featureX projects a feature at horizontal position u (units of a, on a
// cylinder) through the yaw; it returns the image offset and the
// foreshortening factor.
func (m *faceModel) featureX(u float64) (float64, float64) {
	th := math.Asin(gen.Clamp(u, -1, 1)) + m.yaw
	return m.a * math.Sin(th), math.Max(math.Cos(th), 0.05)
}

// toImage maps a face-frame offset (pixels, before roll) to the image.
func (m *faceModel) toImage(dx, dy float64) gen.Point {
	s, c := math.Sincos(m.roll)
	return gen.Point{X: m.cx + c*dx - s*dy, Y: m.cy + s*dx + c*dy}
}

// truth returns the landmarks of the model.
func (m *faceModel) truth() Truth {
	return Truth{
		LeftEye:    m.toImage(m.eyeX[1], m.eyeY*m.b),
		RightEye:   m.toImage(m.eyeX[0], m.eyeY*m.b),
		Nose:       m.toImage(m.midX, 0.28*m.b),
		Mouth:      m.toImage(m.midX, m.mouthY*m.b),
		FaceCentre: gen.Point{X: m.cx, Y: m.cy}, FaceHalfWidth: m.a, FaceHalfHeight: m.b,
		Crown: m.toImage(0, -m.crown()), Chin: m.toImage(0, m.b),
		Roll: m.roll,
	}
}

// Image returns impression number impression (≥ 0) of the identity's face:
// frontal, evenly lit, eyes open, on a plain light background, 480×640.
func Image(identity uint64, impression int) *image.RGBA {
	return Variant(identity, impression, Options{})
}

// Landmarks returns the ground truth of Variant with the same arguments.
func Landmarks(identity uint64, impression int, o Options) Truth {
	w, h := faceSize(o)
	return newFaceModel(identity, impression, w, h, o).truth()
}

// faceSize applies the default size.
func faceSize(o Options) (int, int) {
	return gen.OrDefault(o.Width, DefaultWidth), gen.OrDefault(o.Height, DefaultHeight)
}

// cover is the anti-aliased coverage of a shape from a signed distance in
// pixels (negative inside).
func cover(sd float64) float64 { return gen.Clamp(0.5-sd, 0, 1) }

// ellipseSD approximates the signed distance in pixels from (x, y) to an
// axis-aligned ellipse centred at the origin.
func ellipseSD(x, y, ax, ay float64) float64 {
	f := math.Sqrt(x*x/(ax*ax) + y*y/(ay*ay))
	return (f - 1) * math.Min(ax, ay)
}

// over blends colour c with coverage k onto dst.
func over(dst *[3]float64, c [3]float64, k float64) {
	for i := range dst {
		dst[i] += (c[i] - dst[i]) * k
	}
}

// scale multiplies a colour by s.
func scale(c [3]float64, s float64) [3]float64 { return [3]float64{c[0] * s, c[1] * s, c[2] * s} }

// Variant returns a face image with the given options: background,
// eyes closed, head turned (yaw) or side lighting.
func Variant(identity uint64, impression int, o Options) *image.RGBA {
	w, h := faceSize(o)
	m := newFaceModel(identity, impression, w, h, o)
	bg := [3]float64{200, 203, 206}
	if o.Background != (color.RGBA{}) {
		bg = [3]float64{float64(o.Background.R), float64(o.Background.G), float64(o.Background.B)}
	}
	rn := gen.Rand(gen.DomFaceImpression, identity, uint64(impression), 1)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sr, cr := math.Sincos(-m.roll)
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			// Face frame: origin at the face centre, no roll.
			X0, Y0 := float64(px)+0.5-m.cx, float64(py)+0.5-m.cy
			X, Y := cr*X0-sr*Y0, sr*X0+cr*Y0
			c := bg
			c = scale(c, 1-0.04*float64(py)/float64(h))
			m.paintBody(&c, X, Y)
			m.paintFace(&c, X, Y, o.EyesClosed)
			n := 2 * rn.NormFloat64()
			i := img.PixOffset(px, py)
			img.Pix[i] = gen.Grey8(c[0] + n)
			img.Pix[i+1] = gen.Grey8(c[1] + n)
			img.Pix[i+2] = gen.Grey8(c[2] + n)
			img.Pix[i+3] = 255
		}
	}
	return img
}

// crown is the distance from the face centre up to the top of the head:
// the back hair's ellipse, or the scarf's.
func (m *faceModel) crown() float64 {
	if m.hijab {
		return 1.25 * m.b
	}
	return m.b * (1.18 + 0.25*m.hairLong)
}

// paintBody draws shoulders, neck, back hair and ears.
func (m *faceModel) paintBody(c *[3]float64, X, Y float64) {
	a, b := m.a, m.b
	// Neck, shaded under the chin.
	if k := cover(math.Max(math.Abs(X)-0.45*a, Y-1.6*b)); k > 0 && Y > 0 {
		sh := 0.7 + 0.15*gen.Clamp((Y-b)/(0.5*b), 0, 1)
		over(c, scale(m.skin, sh), k)
	}
	// Shoulders and clothing.
	if k := cover(ellipseSD(X, Y-2.35*b, 2.6*a, 1.0*b)); k > 0 {
		over(c, scale(m.cloth, 0.85+0.15*gen.Clamp(1-math.Abs(X)/(2.6*a), 0, 1)), k)
	}
	if m.hijab {
		// Scarf: around the head, draping over neck and shoulders.
		head := ellipseSD(X, Y+0.05*b, 1.22*a, m.crown()-0.05*b)
		drape := ellipseSD(X, Y-1.45*b, 1.7*a, 0.75*b)
		if k := cover(math.Min(head, drape)); k > 0 {
			fold := 0.9 + 0.1*math.Sin(X/(0.15*a)+Y/(0.4*b))
			over(c, scale(m.scarf, fold), k)
		}
		return
	}
	// Hair behind the head: fuller, longer for long hair.
	hb := m.crown() - 0.1*b
	if k := cover(ellipseSD(X, Y+0.1*b, 1.12*a, hb)); k > 0 && Y < b*(0.2+0.9*m.hairLong) {
		over(c, m.hair, k)
	}
	// Ears, hidden on the far side when the head turns.
	for i, side := range sides {
		if m.earF[i] < 0.3 {
			continue
		}
		if k := cover(ellipseSD(X-m.earX[i]-side*0.1*a, Y-0.02*b, 0.12*a*m.earF[i]/0.4, 0.22*b)); k > 0 {
			over(c, scale(m.skin, 0.8), k)
		}
	}
}

// paintFace draws the face oval with sphere shading, then the features.
func (m *faceModel) paintFace(c *[3]float64, X, Y float64, closed bool) {
	a, b := m.a, m.b
	// Slightly narrower chin: the half width shrinks below the eyes.
	ax := a * (1 - 0.12*gen.Clamp(Y/b, 0, 1))
	sd := ellipseSD(X, Y, ax, b)
	k := cover(sd)
	if k <= 0 {
		return
	}
	u, v := X/ax, Y/b
	nz := math.Sqrt(math.Max(1-u*u-v*v, 0))
	nx, ny := math.Sin(math.Asin(gen.Clamp(u, -1, 1))-m.yaw), v
	nl := nx*m.light[0] + ny*m.light[1] + nz*m.light[2]
	shade := m.ambient + (1-m.ambient)*math.Max(nl, 0)
	skin := scale(m.skin, 0.35+0.75*shade)

	// Nose: shading on both sides of the bridge, tip highlight, nostrils.
	dx := X - m.midX
	if Y > -0.05*b && Y < 0.34*b && math.Abs(dx) < 2*m.noseW*a {
		z := (math.Abs(dx) - m.noseW*a) / (0.05 * a)
		side := math.Exp(-z * z)
		skin = scale(skin, 1-0.22*side*gen.Clamp((Y+0.05*b)/(0.2*b), 0, 1))
	}
	if e := ellipseSD(dx, Y-0.26*b, 0.1*a, 0.06*b); e < 0 {
		skin = scale(skin, 1+0.08*gen.Clamp(-e/6, 0, 1))
	}
	for _, s := range []float64{-1, 1} {
		if kk := cover(ellipseSD(dx-s*0.07*a, Y-0.31*b, 0.04*a, 0.02*b)); kk > 0 {
			over(&skin, scale(m.skin, 0.3), kk)
		}
	}
	// Mouth: lips and the dark line between them.
	mx, mf := m.midX, m.midF
	if kk := cover(ellipseSD(X-mx, Y-m.mouthY*b, m.mouthW*a*mf, 0.065*b)); kk > 0 {
		over(&skin, scale(m.lip, 0.6+0.4*shade), kk)
	}
	if kk := cover(ellipseSD(X-mx, Y-m.mouthY*b, m.mouthW*a*mf*0.95, 0.008*b+1)); kk > 0 {
		over(&skin, scale(m.lip, 0.25), kk)
	}
	// Fringe over the forehead, or the scarf's edge framing the face.
	hl := m.hairline*b + 0.04*b*math.Sin(7*X/a)
	if m.hijab {
		hl = (m.hairline+0.06)*b + 0.1*b*math.Pow(X/a, 2)
		if e := ellipseSD(X, Y, ax*0.93, b*1.01); Y < hl || e > 0 {
			over(&skin, m.scarf, gen.Clamp(math.Max(hl-Y, e+1), 0, 1))
		}
	} else if Y < hl {
		over(&skin, m.hair, gen.Clamp(hl-Y, 0, 1))
	}
	for i := range sides {
		m.paintEye(&skin, X, Y, i, closed, shade)
		if m.glasses {
			m.paintLens(&skin, X, Y, i)
		}
	}
	over(c, skin, k)
}

// paintLens draws one spectacle rim (a rounded rectangle around eye i),
// the bridge, and with glare a bright reflection on the lens.
func (m *faceModel) paintLens(c *[3]float64, X, Y float64, i int) {
	a, b := m.a, m.b
	f := m.eyeF[i]
	x, y := X-m.eyeX[i], Y-m.eyeY*b
	hw, hh := 0.3*a*f, 0.16*b
	frame := [3]float64{25, 22, 20}
	// Bridge over the nose, drawn with the image-left lens.
	if i == 0 {
		bx := X - (m.eyeX[0]+m.eyeX[1])/2
		half := (m.eyeX[1]-m.eyeX[0])/2 - 0.3*a*(m.eyeF[0]+m.eyeF[1])/2
		if k := cover(math.Max(math.Abs(bx)-half, math.Abs(y+0.3*hh)-2)); k > 0 {
			over(c, frame, k)
		}
	}
	if math.Abs(x) > hw+4 || math.Abs(y) > hh+4 {
		return
	}
	// Signed distance to a rounded rectangle with corner radius r.
	r := 0.5 * hh
	qx, qy := math.Abs(x)-(hw-r), math.Abs(y)-(hh-r)
	sd := math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
	if k := cover(math.Abs(sd) - 2); k > 0 {
		over(c, frame, k)
	}
	if m.glare && sd < 0 {
		// A soft diagonal streak of reflected light across the lens.
		g := math.Exp(-math.Pow((x+y*0.8-0.2*hw)/(0.18*hw), 2))
		over(c, [3]float64{250, 250, 250}, 0.85*g)
	}
}

// paintEye draws one eye (0 image left, 1 image right) and its brow.
func (m *faceModel) paintEye(c *[3]float64, X, Y float64, i int, closed bool, shade float64) {
	a, b := m.a, m.b
	f := m.eyeF[i]
	ew, eh := m.eyeW*a*f, m.eyeH*b
	x, y := X-m.eyeX[i], Y-m.eyeY*b
	if math.Abs(x) > 1.6*ew || math.Abs(y) > 4.5*eh {
		return
	}
	// Eyebrow: a thick dark arc above the eye.
	by := -eh*2.6 - 0.18*eh*(1-math.Pow(x/(1.2*ew), 2))*4
	if math.Abs(x) < 1.25*ew {
		if kk := cover(math.Abs(y-by) - m.browT*b*(1-0.5*math.Abs(x)/(1.25*ew))); kk > 0 {
			over(c, m.hair, 0.9*kk)
		}
	}
	// Eye socket shadow.
	if e := ellipseSD(x, y+0.3*eh, 1.45*ew, 2.8*eh); e < 0 {
		*c = scale(*c, 1-0.36*gen.Clamp(-e/(1.5*eh), 0, 1))
	}
	// Almond-shaped opening: intersection of two arcs.
	open := math.Max(y-eh*(1-x*x/(ew*ew)), -eh*(1-x*x/(ew*ew))-y)
	if math.Abs(x) > ew {
		open = math.Max(open, math.Abs(x)-ew)
	}
	if closed {
		// Closed lid: skin with a dark lash line along the lower arc.
		if kk := cover(math.Abs(y-0.6*eh*(1-x*x/(ew*ew))) - 1.5); kk > 0 && math.Abs(x) < ew {
			over(c, scale(m.hair, 0.6), kk)
		}
		return
	}
	if kk := cover(open); kk > 0 {
		eye := scale([3]float64{215, 210, 205}, 0.55+0.45*shade)
		ir := 0.85 * eh
		if d := math.Hypot(x/f, y); d < ir+1 {
			over(&eye, m.irisC, cover(d-ir))
			over(&eye, [3]float64{8, 8, 8}, cover(d-0.45*ir))
			over(&eye, [3]float64{250, 250, 250}, cover(math.Hypot(x/f+0.3*ir, y+0.3*ir)-0.15*ir))
		}
		over(c, eye, kk)
	}
	// Upper lid line and lashes.
	if kk := cover(math.Abs(y+eh*(1-x*x/(ew*ew))) - 1.6); kk > 0 && math.Abs(x) < ew {
		over(c, [3]float64{20, 15, 12}, kk)
	}
}
