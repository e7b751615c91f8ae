package finger

import (
	"image"
	"math"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Condition is the skin and capture condition of a fingerprint impression.
type Condition int

// Conditions a simulated scanner can be asked for.
const (
	Normal     Condition = iota
	Wet                  // thick, merged ridges, smudges, low valley contrast
	Dry                  // thin, broken ridges, faint contact
	LowQuality           // strong noise, blur, poor and uneven contrast
)

// MarshalText makes the condition's name its JSON form.
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// String returns the condition's name.
func (c Condition) String() string {
	switch c {
	case Normal:
		return "normal"
	case Wet:
		return "wet"
	case Dry:
		return "dry"
	case LowQuality:
		return "low-quality"
	}
	return "unknown"
}

// Default impression size: a flat optical sensor at 500 dpi.
const (
	DefaultWidth  = 300
	DefaultHeight = 400
)

// Options controls one impression. The zero value is a normal
// 300×400 impression.
type Options struct {
	Condition Condition
	// Width and Height of the image in pixels at 500 dpi; 0 means the default.
	Width, Height int
	// Lift shrinks the contact region for live-preview frames of a finger
	// being placed: 0 fully placed, 0.5 half the contact size, 1 (or more)
	// no contact at all (an empty platen).
	Lift float64
}

// size returns the image size, applying the defaults.
func (o Options) size() (int, int) {
	return gen.OrDefault(o.Width, DefaultWidth), gen.OrDefault(o.Height, DefaultHeight)
}

// MasterTruth is the ground truth of a master fingerprint, in master
// coordinates (MasterWidth × MasterHeight at 500 dpi, x right, y down).
type MasterTruth struct {
	Identity uint64      `json:"identity"`
	Finger   int         `json:"finger"`
	Class    Class       `json:"class"`
	Cores    []gen.Point `json:"cores"`
	Deltas   []gen.Point `json:"deltas"`
	// Minutiae of the master print, found by thinning the grown ridges.
	Minutiae []Minutia `json:"minutiae"`
	// MeanPeriod is the mean ridge period in pixels.
	MeanPeriod float64 `json:"mean_period"`
}

// Pose is the rigid placement of the master in one impression:
// master point MasterCentre lands on image point ImageCentre after a
// rotation by Rotation radians (clockwise on screen for positive values).
// Elastic distortion, a few pixels away from the contact centre, comes on top.
type Pose struct {
	Rotation     float64   `json:"rotation_rad"`
	MasterCentre gen.Point `json:"master_centre"`
	ImageCentre  gen.Point `json:"image_centre"`
	// ContactCentre and ContactAxes describe the elliptical contact region
	// in image coordinates.
	ContactCentre gen.Point `json:"contact_centre"`
	ContactAxes   gen.Point `json:"contact_axes"`
}

// ToImage maps a master point into the impression (ignoring elastic distortion).
func (p Pose) ToImage(m gen.Point) gen.Point {
	s, c := math.Sincos(p.Rotation)
	dx, dy := m.X-p.MasterCentre.X, m.Y-p.MasterCentre.Y
	return gen.Point{X: p.ImageCentre.X + c*dx - s*dy, Y: p.ImageCentre.Y + s*dx + c*dy}
}

// ToMaster maps an impression point back into the master (ignoring elastic distortion).
func (p Pose) ToMaster(q gen.Point) gen.Point {
	s, c := math.Sincos(p.Rotation)
	dx, dy := q.X-p.ImageCentre.X, q.Y-p.ImageCentre.Y
	return gen.Point{X: p.MasterCentre.X + c*dx + s*dy, Y: p.MasterCentre.Y - s*dx + c*dy}
}

// Master returns the class, singular points and minutiae of
// (identity, finger). It panics if finger is not 1–10.
func Master(identity uint64, finger int) MasterTruth {
	mustFinger(finger)
	ms := masters.get(identity, finger)
	m := ms.model
	t := MasterTruth{Identity: identity, Finger: finger, Class: m.class, MeanPeriod: m.meanP}
	t.Cores = append([]gen.Point(nil), m.cores...)
	t.Deltas = append([]gen.Point(nil), m.deltas...)
	t.Minutiae = append([]Minutia(nil), ms.minutiae...)
	return t
}

// mustFinger panics on a finger position outside 1–10: a programming error.
func mustFinger(finger int) {
	if !validFinger(finger) {
		panic("finger: finger position must be 1–10")
	}
}

// impression holds the drawn parameters of one impression.
type impression struct {
	pose              Pose
	distT             gen.Point // translation of the distorted periphery
	distRot           float64   // rotation of the distorted periphery
	distR1, distR2    float64   // radii where distortion starts and saturates
	threshold         float64   // ridge threshold: > 0 thinner, < 0 thicker ridges
	ridgeInk, valley  float64   // darkness of ridges and of valleys in contact
	paper             float64   // background grey level
	noise             float64   // per-pixel noise sd
	blur              bool
	dropout, smudge   float64 // dry breaks and wet blotches (0 none)
	rimNoise, bgNoise *gen.Noise
	texNoise          *gen.Noise
	// Ridge-level irregularity: thickness and contrast vary over the
	// contact, edges are rough, pores show more or less.
	thick, contrast, rough *gen.Noise
	poreVis                float64
}

// newImpression draws the pose and condition of one impression.
func newImpression(identity uint64, finger, imp int, w, h int, cond Condition, lift float64, m *fingerModel) *impression {
	r := gen.Rand(gen.DomFingerImpression, identity, uint64(finger), uint64(imp))
	ip := &impression{}
	rot := gen.Gauss(r, 0, 0.12)
	mc := gen.Point{X: m.cx + gen.Gauss(r, 0, 20), Y: m.cy - 0.12*m.ay + gen.Gauss(r, 0, 24)}
	ic := gen.Point{X: float64(w) / 2, Y: float64(h) / 2}
	cc := gen.Point{X: ic.X + gen.Gauss(r, 0, 0.05*float64(w)), Y: ic.Y + gen.Gauss(r, 0, 0.05*float64(h))}
	ax := gen.Uniform(r, 0.40, 0.52) * float64(w)
	ay := gen.Uniform(r, 0.40, 0.52) * float64(h)
	if r.IntN(6) == 0 { // partial contact: a smaller, off-centre ellipse
		ax *= gen.Uniform(r, 0.7, 0.85)
		ay *= gen.Uniform(r, 0.7, 0.85)
		cc.X += gen.Gauss(r, 0, 0.07*float64(w))
		cc.Y += gen.Gauss(r, 0, 0.07*float64(h))
	}
	placed := gen.Clamp(1-lift, 0, 1)
	ip.pose = Pose{Rotation: rot, MasterCentre: mc, ImageCentre: ic, ContactCentre: cc, ContactAxes: gen.Point{X: ax * placed, Y: ay * placed}}
	ip.distT = gen.Point{X: gen.Gauss(r, 0, 3), Y: gen.Gauss(r, 0, 3)}
	ip.distRot = gen.Gauss(r, 0, 0.03)
	ip.distR1 = gen.Uniform(r, 50, 80)
	ip.distR2 = ip.distR1 + gen.Uniform(r, 80, 140)
	pressure := gen.Gauss(r, 0, 0.1)
	ip.rimNoise = gen.NewNoise(r, w, h, 70)
	ip.bgNoise = gen.NewNoise(r, w, h, 60)

	// The condition changes only the rendering, drawn from its own stream.
	rc := gen.Rand(gen.DomFingerImpression, identity, uint64(finger), uint64(imp), uint64(cond)+1)
	ip.texNoise = gen.NewNoise(rc, w, h, 12)
	ip.thick = gen.NewNoise(rc, w, h, 45)
	ip.contrast = gen.NewNoise(rc, w, h, 70)
	ip.rough = gen.NewNoise(rc, w, h, 3)
	ip.poreVis = gen.Uniform(rc, 0.4, 0.9)
	ip.threshold = -pressure
	ip.ridgeInk, ip.valley = gen.Uniform(rc, 190, 215), gen.Uniform(rc, 15, 35)
	ip.paper = gen.Uniform(rc, 236, 250)
	ip.noise = gen.Uniform(rc, 3, 6)
	switch cond {
	case Wet:
		ip.threshold -= gen.Uniform(rc, 0.35, 0.5)
		ip.valley += 40
		ip.smudge = gen.Uniform(rc, 0.5, 0.8)
		ip.blur = true
	case Dry:
		ip.threshold += gen.Uniform(rc, 0.2, 0.3)
		ip.ridgeInk -= 40
		ip.dropout = gen.Uniform(rc, 0.35, 0.55)
	case LowQuality:
		ip.threshold += gen.Gauss(rc, 0, 0.3)
		ip.ridgeInk -= 60
		ip.valley += 30
		ip.noise = gen.Uniform(rc, 12, 18)
		ip.dropout = gen.Uniform(rc, 0.3, 0.5)
		ip.smudge = gen.Uniform(rc, 0.3, 0.5)
		ip.blur = true
	}
	return ip
}

// Impression returns impression number impression (≥ 0) of the finger at ISO
// position finger (1 right thumb … 5 right little, 6 left thumb … 10 left
// little) of the given identity, as a 500 dpi grey image with dark ridges on
// a light background. The same arguments always give the same image. It
// panics if finger is not 1–10 or impression is negative.
func Impression(identity uint64, finger int, impression int, opts Options) *image.Gray {
	mustFinger(finger)
	if impression < 0 {
		panic("finger: impression must be ≥ 0")
	}
	w, h := opts.size()
	ms := masters.get(identity, finger)
	ip := newImpression(identity, finger, impression, w, h, opts.Condition, opts.Lift, ms.model)
	return ip.render(ms, w, h, identity, finger, impression, opts.Condition)
}

// PoseOf returns the rigid placement used by the impression,
// to map master ground truth into image coordinates.
func PoseOf(identity uint64, finger, impression int, opts Options) Pose {
	mustFinger(finger)
	w, h := opts.size()
	m := newFingerModel(identity, finger)
	return newImpression(identity, finger, impression, w, h, opts.Condition, opts.Lift, m).pose
}

// ImpressionTruth is the ground truth of one impression in image
// coordinates: the master's minutiae and singular points mapped through the
// pose and the elastic distortion, keeping those that fall well inside the
// contact region and the image.
type ImpressionTruth struct {
	Pose     Pose        `json:"pose"`
	Minutiae []Minutia   `json:"minutiae"`
	Cores    []gen.Point `json:"cores"`
	Deltas   []gen.Point `json:"deltas"`
}

// Visible returns the ground truth of the impression that
// Impression draws with the same arguments.
func Visible(identity uint64, finger, impression int, opts Options) ImpressionTruth {
	mustFinger(finger)
	w, h := opts.size()
	ms := masters.get(identity, finger)
	ip := newImpression(identity, finger, impression, w, h, opts.Condition, opts.Lift, ms.model)
	t := ImpressionTruth{Pose: ip.pose}
	visible := func(q gen.Point) bool {
		if q.X < 8 || q.Y < 8 || q.X >= float64(w-8) || q.Y >= float64(h-8) {
			return false
		}
		mx, my := ip.toMaster(q.X, q.Y)
		_, fg, _ := sampleMaster(ms, mx, my)
		return fg > 0.99 && ip.contactAt(q.X, q.Y) > 0.99
	}
	for _, m := range ms.minutiae {
		q := ip.toImage(gen.Point{X: m.X, Y: m.Y})
		if !visible(q) {
			continue
		}
		s, c := math.Sincos(m.Angle)
		q2 := ip.toImage(gen.Point{X: m.X + 6*c, Y: m.Y + 6*s})
		t.Minutiae = append(t.Minutiae, Minutia{X: q.X, Y: q.Y, Angle: math.Atan2(q2.Y-q.Y, q2.X-q.X), Kind: m.Kind})
	}
	for _, c := range ms.model.cores {
		if q := ip.toImage(c); visible(q) {
			t.Cores = append(t.Cores, q)
		}
	}
	for _, d := range ms.model.deltas {
		if q := ip.toImage(d); visible(q) {
			t.Deltas = append(t.Deltas, q)
		}
	}
	return t
}

// render draws the impression: inverse-map every pixel into the master
// (rigid pose plus elastic distortion of the periphery), sample the ridge
// field, threshold it softly by pressure, and add contact, noise and the
// condition's artefacts.
func (ip *impression) render(ms *master, w, h int, identity uint64, finger, imp int, cond Condition) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	ink := ip.ink(ms, w, h)
	rn := gen.Rand(gen.DomFingerImpression, identity, uint64(finger), uint64(imp), 0xA0+uint64(cond))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := ip.paper + 3*ip.bgNoise.At(float64(x), float64(y)) - ink[y*w+x]
			img.Pix[y*w+x] = gen.Grey8(g + ip.noise*rn.NormFloat64())
		}
	}
	return img
}

// ink returns how much each pixel of a w×h impression is darkened by the
// finger: ridges and valleys in contact, pores, the condition's artefacts.
func (ip *impression) ink(ms *master, w, h int) []float64 {
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			mx, my := ip.toMaster(fx, fy)
			v, fg, pore := sampleMaster(ms, mx, my)
			contact := fg * ip.contactAt(fx, fy)
			if contact == 0 {
				continue
			}
			th := ip.threshold + 0.12*ip.thick.At(fx, fy) + 0.1*ip.rough.At(fx, fy)
			ridge := gen.Clamp(0.5+1.6*(v-th), 0, 1) * (1 - ip.poreVis*pore)
			if ms.model.creases != nil {
				ridge *= 1 - 0.9*ms.model.creaseAt(mx, my)
			}
			ink := ip.ridgeInk * gen.Clamp(1+0.12*ip.contrast.At(fx, fy), 0.6, 1.2)
			if ip.dropout > 0 {
				t := ip.texNoise.At(fx, fy)
				ink *= gen.Clamp(1-ip.dropout*gen.Clamp(0.3-t, 0, 1.5), 0, 1)
			}
			dark := ip.valley + (ink-ip.valley)*ridge
			if ip.smudge > 0 {
				s := gen.Clamp(ip.bgNoise.At(fx, fy)-0.3, 0, 1)
				dark += ip.smudge * s * (ip.ridgeInk - dark)
			}
			out[y*w+x] = contact * dark
		}
	}
	if ip.blur {
		out = gen.BoxBlur3(out, w, h)
	}
	return out
}

// contactAt is the weight (0..1) of the elliptical contact region, with an
// irregular rim, at an image point.
func (ip *impression) contactAt(x, y float64) float64 {
	p := ip.pose
	ex := (x - p.ContactCentre.X) / p.ContactAxes.X
	ey := (y - p.ContactCentre.Y) / p.ContactAxes.Y
	e := math.Sqrt(ex*ex+ey*ey) + 0.035*ip.rimNoise.At(x, y)
	if math.IsNaN(e) { // a fully lifted finger has no contact region
		return 0
	}
	return gen.Clamp((1-e)*12, 0, 1)
}

// toMaster maps an image point to the master: elastic distortion of the
// periphery around the contact centre (Cappelli-style: none within distR1,
// a small rigid offset beyond distR2, blended between), then the rigid pose.
func (ip *impression) toMaster(x, y float64) (float64, float64) {
	p := ip.pose
	sr, cr := math.Sincos(p.Rotation)
	sd, cd := math.Sincos(ip.distRot)
	qx, qy := x-p.ContactCentre.X, y-p.ContactCentre.Y
	k := gen.Smoothstep(gen.Clamp((math.Hypot(qx, qy)-ip.distR1)/(ip.distR2-ip.distR1), 0, 1))
	ux := qx + k*(cd*qx-sd*qy-qx+ip.distT.X)
	uy := qy + k*(sd*qx+cd*qy-qy+ip.distT.Y)
	ix, iy := ux+p.ContactCentre.X-p.ImageCentre.X, uy+p.ContactCentre.Y-p.ImageCentre.Y
	return p.MasterCentre.X + cr*ix + sr*iy, p.MasterCentre.Y - sr*ix + cr*iy
}

// toImage inverts toMaster by fixed-point iteration from the rigid
// estimate; the distortion is mild, so a few steps reach well below a pixel.
func (ip *impression) toImage(m gen.Point) gen.Point {
	q := ip.pose.ToImage(m)
	s, c := math.Sincos(ip.pose.Rotation)
	for it := 0; it < 12; it++ {
		mx, my := ip.toMaster(q.X, q.Y)
		ex, ey := m.X-mx, m.Y-my
		q.X += c*ex - s*ey
		q.Y += s*ex + c*ey
	}
	return q
}

// sampleMaster bilinearly samples the ridge field, silhouette and pores at
// (x, y); outside the master it returns no ridge and no finger.
func sampleMaster(ms *master, x, y float64) (ridge, fg, pore float64) {
	if x < 0 || y < 0 || x >= MasterWidth-1 || y >= MasterHeight-1 {
		return 0, 0, 0
	}
	ix, iy := int(x), int(y)
	tx, ty := x-float64(ix), y-float64(iy)
	i := iy*MasterWidth + ix
	lerp := func(a []float32) float64 {
		top := float64(a[i]) + (float64(a[i+1])-float64(a[i]))*tx
		bot := float64(a[i+MasterWidth]) + (float64(a[i+MasterWidth+1])-float64(a[i+MasterWidth]))*tx
		return top + (bot-top)*ty
	}
	return lerp(ms.ridge), lerp(ms.fg), lerp(ms.pores)
}
