package finger

import (
	"math"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Class is the Henry-style pattern class of a finger.
type Class int

// The five classes SFinGe generates.
const (
	Arch Class = iota
	TentedArch
	LeftLoop
	RightLoop
	Whorl
)

// MarshalText makes the class name its JSON form.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// String returns the class name.
func (c Class) String() string {
	switch c {
	case Arch:
		return "arch"
	case TentedArch:
		return "tented-arch"
	case LeftLoop:
		return "left-loop"
	case RightLoop:
		return "right-loop"
	case Whorl:
		return "whorl"
	}
	return "unknown"
}

// Master canvas size in pixels at 500 dpi.
const (
	MasterWidth  = 400
	MasterHeight = 500
)

// fingerModel is everything drawn from (identity, finger) before growth.
type fingerModel struct {
	class  Class
	cores  []gen.Point
	deltas []gen.Point
	// silhouette: centre and half axes of the fingertip.
	cx, cy, ax, ay float64
	// perturbation of the orientation field and of the ridge period.
	orient *gen.Noise
	orAmp  float64
	period *gen.Noise
	meanP  float64
	// arch parameters (used when class is Arch).
	archAmp, archWidth float64
	// creases are white lines (flexion creases, scars) across the skin,
	// in master coordinates; a quarter of fingers have one to three.
	creases []crease
}

// crease is a straight skin crease from A to B, HalfWidth pixels wide.
type crease struct {
	a, b      gen.Point
	halfWidth float64
}

// creaseAt returns how strongly (0..1) the creases whiten master point (x, y).
func (m *fingerModel) creaseAt(x, y float64) float64 {
	var w float64
	for _, c := range m.creases {
		dx, dy := c.b.X-c.a.X, c.b.Y-c.a.Y
		t := gen.Clamp(((x-c.a.X)*dx+(y-c.a.Y)*dy)/(dx*dx+dy*dy), 0, 1)
		d := math.Hypot(x-c.a.X-t*dx, y-c.a.Y-t*dy)
		w = math.Max(w, gen.Clamp(c.halfWidth+0.5-d, 0, 1))
	}
	return w
}

// classOdds gives, per finger type (thumb … little), the probability of a
// whorl, an ulnar loop, a radial loop, an arch and a tented arch.
var classOdds = [5][5]float64{
	{0.45, 0.45, 0.03, 0.04, 0.03}, // thumb
	{0.33, 0.32, 0.15, 0.10, 0.10}, // index
	{0.25, 0.62, 0.03, 0.06, 0.04}, // middle
	{0.45, 0.50, 0.01, 0.02, 0.02}, // ring
	{0.15, 0.80, 0.01, 0.02, 0.02}, // little
}

// fingerHalfWidth is the nominal half width of each finger type in pixels.
var fingerHalfWidth = [5]float64{180, 160, 165, 158, 140}

// validFinger reports whether f is an ISO finger position 1–10.
func validFinger(f int) bool { return f >= 1 && f <= 10 }

// newFingerModel draws the class, singular points and fields of a finger.
func newFingerModel(identity uint64, finger int) *fingerModel {
	r := gen.Rand(gen.DomFingerClass, identity, uint64(finger))
	typ := (finger - 1) % 5
	rightHand := finger <= 5
	m := &fingerModel{}

	// Class from the per-finger odds; ulnar loops slope towards the little
	// finger: right loops on the right hand, left loops on the left hand.
	u := r.Float64()
	odds := classOdds[typ]
	k := 0
	for ; k < 4 && u >= odds[k]; k++ {
		u -= odds[k]
	}
	ulnar, radial := RightLoop, LeftLoop
	if !rightHand {
		ulnar, radial = LeftLoop, RightLoop
	}
	m.class = [5]Class{Whorl, ulnar, radial, Arch, TentedArch}[k]

	hw := fingerHalfWidth[typ] * gen.Uniform(r, 0.93, 1.07)
	m.ax = math.Min(hw, MasterWidth/2-8)
	m.ay = m.ax * gen.Uniform(r, 1.25, 1.45)
	m.cx = MasterWidth/2 + gen.Gauss(r, 0, 4)
	m.cy = MasterHeight*0.58 + gen.Gauss(r, 0, 6)

	core := gen.Point{X: m.cx + gen.Gauss(r, 0, 14), Y: m.cy - 0.15*m.ay + gen.Gauss(r, 0, 16)}
	switch m.class {
	case LeftLoop, RightLoop:
		side := 1.0 // a left loop has its delta on the right
		if m.class == RightLoop {
			side = -1
		}
		m.cores = []gen.Point{core}
		m.deltas = []gen.Point{{X: core.X + side*gen.Uniform(r, 85, 140), Y: core.Y + gen.Uniform(r, 110, 165)}}
	case Whorl:
		a := gen.Uniform(r, -0.6, 0.6) + math.Pi/2*float64(r.IntN(2))
		d := gen.Uniform(r, 12, 30)
		m.cores = []gen.Point{
			{X: core.X - d*math.Cos(a), Y: core.Y - d*math.Sin(a)},
			{X: core.X + d*math.Cos(a), Y: core.Y + d*math.Sin(a)},
		}
		m.deltas = []gen.Point{
			{X: core.X - gen.Uniform(r, 100, 150), Y: core.Y + gen.Uniform(r, 100, 160)},
			{X: core.X + gen.Uniform(r, 100, 150), Y: core.Y + gen.Uniform(r, 100, 160)},
		}
	case TentedArch:
		m.cores = []gen.Point{core}
		m.deltas = []gen.Point{{X: core.X + gen.Gauss(r, 0, 6), Y: core.Y + gen.Uniform(r, 60, 90)}}
	case Arch:
		m.archAmp = gen.Uniform(r, 1.0, 1.8)
		m.archWidth = gen.Uniform(r, 70, 120)
	}

	m.orient = gen.NewNoise(r, MasterWidth, MasterHeight, 140)
	m.orAmp = gen.Uniform(r, 0.06, 0.14)
	m.period = gen.NewNoise(r, MasterWidth, MasterHeight, 110)
	m.meanP = gen.Uniform(r, 8.4, 9.6) // ridge period in pixels at 500 dpi
	if r.IntN(4) == 0 {
		for n := 1 + r.IntN(3); n > 0; n-- {
			cy := m.cy + gen.Uniform(r, -0.6, 0.9)*m.ay
			ang := gen.Gauss(r, 0, 0.35)
			half := gen.Uniform(r, 0.3, 0.9) * m.ax
			cx := m.cx + gen.Gauss(r, 0, 0.3*m.ax)
			dx, dy := half*math.Cos(ang), half*math.Sin(ang)
			m.creases = append(m.creases, crease{
				a: gen.Point{X: cx - dx, Y: cy - dy}, b: gen.Point{X: cx + dx, Y: cy + dy},
				halfWidth: gen.Uniform(r, 0.8, 2.2),
			})
		}
	}
	return m
}

// orientation returns the local ridge direction (radians, modulo π) at (x, y)
// in master coordinates: the Sherlock–Monro zero-pole model, or a smooth
// bump for plain arches, plus low-frequency perturbation.
func (m *fingerModel) orientation(x, y float64) float64 {
	var th float64
	if m.class == Arch {
		dx := x - m.cx
		s := m.archWidth
		// Ridges follow y = −A(y)·exp(−dx²/2s²): flatter towards the crease.
		w := m.archAmp * gen.Clamp(1.2-(y-(m.cy-m.ay))/(1.6*m.ay), 0.1, 1.2)
		slope := w * dx / s * math.Exp(-dx*dx/(2*s*s))
		th = math.Atan(slope)
	} else {
		for _, c := range m.cores {
			th += 0.5 * math.Atan2(y-c.Y, x-c.X)
		}
		for _, d := range m.deltas {
			th -= 0.5 * math.Atan2(y-d.Y, x-d.X)
		}
	}
	// The perturbation fades near singular points so they stay sharp.
	return th + m.orAmp*m.orient.At(x, y)
}

// ridgePeriod returns the ridge period in pixels at (x, y): ~9 px at 500 dpi,
// varying smoothly, a little wider towards the finger's lower part.
func (m *fingerModel) ridgePeriod(x, y float64) float64 {
	p := m.meanP + 0.55*m.period.At(x, y) + 0.6*(y-m.cy)/m.ay
	return gen.Clamp(p, 7.2, 11.8)
}

// inside returns how far (x, y) lies inside the fingertip silhouette:
// 1 well inside, 0 outside, with a soft rim of a few pixels.
func (m *fingerModel) inside(x, y float64) float64 {
	dx := (x - m.cx) / m.ax
	dy := 0.0
	if y < m.cy {
		dy = (y - m.cy) / m.ay
	}
	d := math.Sqrt(dx*dx+dy*dy) - 1 // <0 inside, in units of the half axis
	// The print fades out towards the first finger joint at the bottom.
	return gen.Clamp(-d*m.ax/6, 0, 1) * gen.Clamp((MasterHeight-12-y)/30, 0, 1)
}
