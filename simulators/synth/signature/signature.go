package signature

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Signature pad geometry and sampling, in the manner of a Wacom STU-class pad.
const (
	// PadWidthMM and PadHeightMM bound the writing area; X and Y of every
	// sample lie inside it.
	PadWidthMM  = 100.0
	PadHeightMM = 50.0
	// Rate is the sampling rate in samples per second.
	Rate = 200
)

// PenSample is one pen report. X and Y are millimetres from the writing
// area's top-left corner (x right, y down); Pressure is the normalised tip
// force, 0 (none) to 1 (the pad's maximum); T is the time since the first
// sample; PenDown tells whether the tip touches the pad. Samples with the
// pen up are the pen hovering in proximity between strokes (Pressure 0).
type PenSample struct {
	X, Y     float64
	Pressure float64
	T        time.Duration
	PenDown  bool
}

// PadUnits converts a sample to integer pad units: unitsPerMM for X and Y
// (100 for a Wacom STU or ISDV4 pad) and a pressure scale of maxPressure
// (1023 for a 10-bit pad).
func (s PenSample) PadUnits(unitsPerMM float64, maxPressure int) (x, y, pressure int) {
	return int(math.Round(s.X * unitsPerMM)), int(math.Round(s.Y * unitsPerMM)), int(math.Round(s.Pressure * float64(maxPressure)))
}

// signCycle is one oscillation of the handwriting model: the horizontal
// and vertical amplitudes, phases, drift to the next cycle and baseline
// offset (ascenders and descenders), all in millimetres.
type signCycle struct {
	ax, ay, phx, phy, drift, oy float64
}

// signStroke is one pen-down stroke.
type signStroke struct {
	x0, y0 float64
	cycles []signCycle
	// underline strokes are a long flourish instead of letters.
	underline bool
}

// signWriter is a writer's style, fixed by the identity.
type signWriter struct {
	strokes         []signStroke
	slant           float64 // shear of the upright strokes
	freq            float64 // oscillation cycles per second
	pMean, pVar     float64 // pressure level and modulation
	pFreq           float64 // pressure modulation, cycles per oscillation cycle
	gapMin, gapSpan float64 // pen-up travel time between strokes, seconds
}

// newSignWriter draws a writer's style: Hollerbach-style coupled
// oscillations (cursive loops drifting rightwards) in one to three strokes,
// an optional underline flourish, slant, rhythm and pressure habit.
func newSignWriter(identity uint64) *signWriter {
	r := gen.Rand(gen.DomSignWriter, identity)
	w := &signWriter{
		slant: gen.Uniform(r, -0.15, 0.55),
		freq:  gen.Uniform(r, 3.5, 6),
		pMean: gen.Uniform(r, 0.35, 0.75),
		pVar:  gen.Uniform(r, 0.05, 0.2),
		pFreq: gen.Uniform(r, 0.5, 2),
	}
	w.gapMin, w.gapSpan = gen.Uniform(r, 0.08, 0.2), gen.Uniform(r, 0.05, 0.2)
	height := gen.Uniform(r, 7, 13) // letter height in mm
	x := gen.Uniform(r, 8, 16)
	baseline := gen.Uniform(r, 24, 32)
	for s, n := 0, 1+r.IntN(3); s < n; s++ {
		st := signStroke{x0: x, y0: baseline + gen.Gauss(r, 0, 1.5)}
		cycles := 3 + r.IntN(6)
		if n == 1 {
			cycles += 3
		}
		for c := 0; c < cycles; c++ {
			cy := signCycle{
				ax:    height * gen.Uniform(r, 0.15, 0.5),
				ay:    height * gen.Uniform(r, 0.3, 0.6),
				phx:   gen.Uniform(r, -0.6, 0.6),
				phy:   gen.Uniform(r, -0.3, 0.3),
				drift: height * gen.Uniform(r, 0.45, 0.9),
			}
			kind := r.IntN(8)
			if c == 0 && s == 0 {
				kind = -1 // a larger initial, like a capital
			}
			switch kind {
			case -1:
				cy.ax, cy.ay = cy.ax*1.5, cy.ay*1.7
				cy.oy = -0.35 * cy.ay
			case 0: // ascender
				cy.ay *= 1.8
				cy.oy = -0.5 * cy.ay
			case 1: // descender
				cy.ay *= 1.6
				cy.oy = 0.45 * cy.ay
			case 2: // stick: a narrow down-and-up stroke (i, l, t)
				cy.ax *= 0.15
				cy.ay *= 1.3
			case 3: // cusp: x and y in phase give a sharp turn instead of a loop
				cy.phx = math.Pi/2 + gen.Gauss(r, 0, 0.15)
			}
			st.cycles = append(st.cycles, cy)
			x += cy.drift
		}
		w.strokes = append(w.strokes, st)
		x += gen.Uniform(r, 2, 6)
		if x > PadWidthMM-20 {
			break
		}
	}
	if r.IntN(2) == 0 {
		w.strokes = append(w.strokes, signStroke{
			x0: gen.Uniform(r, 6, 14), y0: math.Min(baseline+height*gen.Uniform(r, 0.8, 1.3), PadHeightMM-8), underline: true,
			cycles: []signCycle{{ax: gen.Uniform(r, 25, 60), ay: gen.Uniform(r, 1, 4), phx: gen.Uniform(r, -0.3, 0.3)}},
		})
	}
	w.fit(x, height)
	return w
}

// fit shrinks a writer whose letters would run past the pad's right edge
// (right is where the last stroke ends), scaling about the first stroke's
// start so the signature keeps its shape.
func (w *signWriter) fit(right, height float64) {
	x0 := w.strokes[0].x0
	limit := PadWidthMM - 6 - height*(0.5+0.6*math.Abs(w.slant))
	if right <= limit {
		return
	}
	k := (limit - x0) / (right - x0)
	for i := range w.strokes {
		st := &w.strokes[i]
		st.x0 = x0 + (st.x0-x0)*k
		for j := range st.cycles {
			c := &st.cycles[j]
			c.ax, c.ay, c.drift, c.oy = c.ax*k, c.ay*k, c.drift*k, c.oy*k
		}
	}
}

// signVariation is how far one rendition departs from the writer's model.
type signVariation struct {
	scale, rot, dx, dy float64
	speed              float64
	shape              float64 // sd of the relative jitter of each cycle
	tremor, tremorHz   float64 // amplitude (mm) and frequency of a slow tremor
	pScale             float64
	pressure           *signWriter // whose pressure habit is used
	hesitations        int         // extra pen lifts inside strokes
}

// Genuine returns rendition number impression (≥ 0) of the identity's
// signature, sampled at 200 Hz: the writer's style with natural variation
// in size, slant, shape, speed and pressure. The same arguments always give
// the same samples.
func Genuine(identity uint64, impression int) []PenSample {
	w := newSignWriter(identity)
	r := gen.Rand(gen.DomSignImpression, identity, uint64(impression))
	v := signVariation{
		scale: gen.Gauss(r, 1, 0.04), rot: gen.Gauss(r, 0, 0.03),
		dx: gen.Gauss(r, 0, 1.5), dy: gen.Gauss(r, 0, 1),
		speed: gen.Gauss(r, 1, 0.07), shape: 0.07, tremor: 0.02, tremorHz: gen.Uniform(r, 8, 11),
		pScale: gen.Gauss(r, 1, 0.05), pressure: w,
	}
	return w.render(r, v)
}

// Forgery returns a skilled forgery of the identity's signature by the
// forger: the victim's shape copied more slowly and less steadily, with the
// forger's own pressure habit, more shape error, a slow tremor and pen
// lifts. How skilled each attempt is varies: the best come close.
func Forgery(identity, forger uint64, impression int) []PenSample {
	w := newSignWriter(identity)
	r := gen.Rand(gen.DomSignForger, identity, forger, uint64(impression))
	skill := r.Float64()
	v := signVariation{
		scale: gen.Gauss(r, 1, 0.06), rot: gen.Gauss(r, 0, 0.04),
		dx: gen.Gauss(r, 0, 2), dy: gen.Gauss(r, 0, 1.5),
		speed: 0.55 + 0.25*skill, shape: 0.08 + 0.1*(1-skill),
		tremor: 0.05 + 0.2*(1-skill), tremorHz: gen.Uniform(r, 4, 8),
		pScale: 1, pressure: newSignWriter(forger), hesitations: int(3 * (1 - skill)),
	}
	return w.render(r, v)
}

// render samples one rendition at Rate.
func (w *signWriter) render(r *rand.Rand, v signVariation) []PenSample {
	dt := 1.0 / Rate
	var out []PenSample
	t := 0.0
	sr, cr := math.Sincos(v.rot)
	ox, oy := w.strokes[0].x0, w.strokes[0].y0
	place := func(x, y float64) (float64, float64) {
		x, y = (x-ox)*v.scale, (y-oy)*v.scale
		x, y = cr*x-sr*y, sr*x+cr*y
		return gen.Clamp(x+ox+v.dx, 0, PadWidthMM), gen.Clamp(y+oy+v.dy, 0, PadHeightMM)
	}
	phx, phy := 2*math.Pi*r.Float64(), 2*math.Pi*r.Float64()
	emit := func(x, y, p float64, down bool) {
		w := 2 * math.Pi * v.tremorHz * t
		x += v.tremor*math.Sin(w+phx) + 0.02*r.NormFloat64()
		y += v.tremor*math.Sin(1.13*w+phy) + 0.02*r.NormFloat64()
		x, y = place(x, y)
		out = append(out, PenSample{X: x, Y: y, Pressure: p, T: time.Duration(math.Round(t * float64(time.Second))), PenDown: down})
		t += dt
	}
	// Hesitations: pen lifts at random points, by stroke and phase.
	type lift struct {
		stroke int
		tau    float64
	}
	var lifts []lift
	for i := 0; i < v.hesitations; i++ {
		s := r.IntN(len(w.strokes))
		lifts = append(lifts, lift{s, gen.Uniform(r, 0.5, float64(len(w.strokes[s].cycles))-0.2)})
	}
	lastX, lastY := 0.0, 0.0
	for si, st := range w.strokes {
		cyc := make([]signCycle, len(st.cycles))
		for i, c := range st.cycles {
			j := func() float64 { return gen.Gauss(r, 1, v.shape) }
			cyc[i] = signCycle{ax: c.ax * j(), ay: c.ay * j(), phx: c.phx + gen.Gauss(r, 0, v.shape), phy: c.phy + gen.Gauss(r, 0, v.shape),
				drift: c.drift * j(), oy: c.oy * j()}
		}
		pos := func(tau float64) (float64, float64) { return w.strokePos(st, cyc, tau) }
		if si > 0 { // hover to the next stroke's start
			nx, ny := pos(0)
			gap := (w.gapMin + w.gapSpan*r.Float64()) / v.speed
			for k, n := 0, int(gap/dt); k < n; k++ {
				a := gen.Smoothstep(float64(k+1) / float64(n+1))
				emit(lastX+(nx-lastX)*a, lastY+(ny-lastY)*a-2*math.Sin(math.Pi*a), 0, false)
			}
		}
		n := float64(len(cyc))
		rate := w.freq * v.speed // cycles per second
		if st.underline {
			rate *= 0.6
		}
		for tau, k := 0.0, 0; tau <= n; k++ {
			x, y := pos(tau)
			// Pressure: ramps at landing and lift-off, modulated by habit.
			pw := v.pressure
			p := pw.pMean + pw.pVar*math.Sin(2*math.Pi*pw.pFreq*tau)
			p *= v.pScale * gen.Smoothstep(gen.Clamp(tau*rate/0.04/w.freq, 0, 1)) * gen.Smoothstep(gen.Clamp((n-tau)*3, 0, 1))
			p = gen.Clamp(p, 0.02, 1)
			down := true
			for _, l := range lifts {
				if l.stroke == si && math.Abs(tau-l.tau) < 0.05 {
					down, p = false, 0
				}
			}
			emit(x, y, p, down)
			lastX, lastY = x, y
			// Isochrony: each cycle takes about the same time; a slow
			// drift of speed within the rendition.
			tau += rate * dt * (1 + 0.1*math.Sin(2*math.Pi*t*0.7))
		}
	}
	return out
}

// strokePos is the model position at phase tau (in cycles) of a stroke, the
// cycle parameters blended smoothly from one cycle to the next.
func (w *signWriter) strokePos(st signStroke, cyc []signCycle, tau float64) (float64, float64) {
	if st.underline {
		c := cyc[0]
		u := gen.Clamp(tau, 0, 1)
		x := st.x0 + c.ax*u
		y := st.y0 - c.ay*math.Sin(math.Pi*u+c.phx) + 0.1*c.ay*math.Sin(6*u)
		return x, y
	}
	i := int(tau)
	if i >= len(cyc)-1 {
		i = len(cyc) - 1
	}
	f := gen.Smoothstep(gen.Clamp(tau-float64(i), 0, 1))
	a, b := cyc[i], cyc[min(i+1, len(cyc)-1)]
	mix := func(p, q float64) float64 { return p + (q-p)*f }
	var drift float64
	for k := 0; k < i; k++ {
		drift += cyc[k].drift
	}
	drift += cyc[i].drift * gen.Clamp(tau-float64(i), 0, 1)
	ax, ay, oy := mix(a.ax, b.ax), mix(a.ay, b.ay), mix(a.oy, b.oy)
	ph := 2 * math.Pi * tau
	y := st.y0 + oy - ay*(1-math.Cos(ph+mix(a.phy, b.phy)))/2
	x := st.x0 + drift + ax*math.Cos(ph+math.Pi/2+mix(a.phx, b.phx)) + w.slant*(st.y0-y)
	return x, y
}
