package synth

import "math"

// FingerClass is the Henry-style pattern class of a finger.
type FingerClass int

// The five classes SFinGe generates.
const (
	Arch FingerClass = iota
	TentedArch
	LeftLoop
	RightLoop
	Whorl
)

// String returns the class name.
func (c FingerClass) String() string {
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

// Point is a position in pixels at 500 dpi (x right, y down).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Master canvas size in pixels at 500 dpi.
const (
	MasterWidth  = 400
	MasterHeight = 500
)

// fingerModel is everything drawn from (identity, finger) before growth.
type fingerModel struct {
	class  FingerClass
	cores  []Point
	deltas []Point
	// silhouette: centre and half axes of the fingertip.
	cx, cy, ax, ay float64
	// perturbation of the orientation field and of the ridge period.
	orient *noiseField
	orAmp  float64
	period *noiseField
	meanP  float64
	// arch parameters (used when class is Arch).
	archAmp, archWidth float64
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
	r := newRand(domFingerClass, identity, uint64(finger))
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
	m.class = [5]FingerClass{Whorl, ulnar, radial, Arch, TentedArch}[k]

	hw := fingerHalfWidth[typ] * uniform(r, 0.93, 1.07)
	m.ax = math.Min(hw, MasterWidth/2-8)
	m.ay = m.ax * uniform(r, 1.25, 1.45)
	m.cx = MasterWidth/2 + gauss(r, 0, 4)
	m.cy = MasterHeight*0.58 + gauss(r, 0, 6)

	core := Point{m.cx + gauss(r, 0, 14), m.cy - 0.15*m.ay + gauss(r, 0, 16)}
	switch m.class {
	case LeftLoop, RightLoop:
		side := 1.0 // a left loop has its delta on the right
		if m.class == RightLoop {
			side = -1
		}
		m.cores = []Point{core}
		m.deltas = []Point{{core.X + side*uniform(r, 85, 140), core.Y + uniform(r, 110, 165)}}
	case Whorl:
		a := uniform(r, -0.6, 0.6) + math.Pi/2*float64(r.IntN(2))
		d := uniform(r, 12, 30)
		m.cores = []Point{
			{core.X - d*math.Cos(a), core.Y - d*math.Sin(a)},
			{core.X + d*math.Cos(a), core.Y + d*math.Sin(a)},
		}
		m.deltas = []Point{
			{core.X - uniform(r, 100, 150), core.Y + uniform(r, 100, 160)},
			{core.X + uniform(r, 100, 150), core.Y + uniform(r, 100, 160)},
		}
	case TentedArch:
		m.cores = []Point{core}
		m.deltas = []Point{{core.X + gauss(r, 0, 6), core.Y + uniform(r, 60, 90)}}
	case Arch:
		m.archAmp = uniform(r, 1.0, 1.8)
		m.archWidth = uniform(r, 70, 120)
	}

	m.orient = newNoiseField(r, MasterWidth, MasterHeight, 140)
	m.orAmp = uniform(r, 0.06, 0.14)
	m.period = newNoiseField(r, MasterWidth, MasterHeight, 110)
	m.meanP = uniform(r, 8.4, 9.6) // ridge period in pixels at 500 dpi
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
		w := m.archAmp * clamp(1.2-(y-(m.cy-m.ay))/(1.6*m.ay), 0.1, 1.2)
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
	return th + m.orAmp*m.orient.at(x, y)
}

// ridgePeriod returns the ridge period in pixels at (x, y): ~9 px at 500 dpi,
// varying smoothly, a little wider towards the finger's lower part.
func (m *fingerModel) ridgePeriod(x, y float64) float64 {
	p := m.meanP + 0.55*m.period.at(x, y) + 0.6*(y-m.cy)/m.ay
	return clamp(p, 7.2, 11.8)
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
	return clamp(-d*m.ax/6, 0, 1) * clamp((MasterHeight-12-y)/30, 0, 1)
}
