// Package simsource is an in-process stand-in for the capture devices: it
// satisfies the ui/port source interfaces with synthetic images whose quality
// rises frame by frame, scripted low quality and injected faults, so the
// station app can be used end to end with --sim before the real simulators
// (package simulators, over the device drivers) are wired in. It is a
// placeholder: the integrator replaces it with the real simulators.
package simsource

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/ui/port"
)

// DefaultQuality is the quality a capture reaches when nothing is scripted.
const DefaultQuality = 82

// DefaultFrames is how many preview frames a capture streams at most.
const DefaultFrames = 6

// Sim is one simulated device. It satisfies every source interface of
// package port; NewDevices gives each modality its own Sim.
type Sim struct {
	name string

	mu     sync.Mutex
	state  port.DeviceState
	delay  time.Duration
	frames int
	caps   map[string]int
	faults map[string]error
}

// New returns a ready simulated device with a frame delay.
func New(name string, delay time.Duration) *Sim {
	return &Sim{name: name, state: port.DeviceReady, delay: delay, frames: DefaultFrames,
		caps: map[string]int{}, faults: map[string]error{}}
}

// NewDevices returns a full simulated device set.
func NewDevices(delay time.Duration) port.Devices {
	return port.Devices{
		Finger:    New("SIM-FP-500 #0001", delay),
		Iris:      New("SIM-IRIS-2 #0001", delay),
		Face:      New("SIM-CAM-HD #0001", delay),
		Signature: New("SIM-PAD-5 #0001", delay),
	}
}

// Name identifies the device.
func (s *Sim) Name() string { return s.name }

// State is the device's light.
func (s *Sim) State() port.DeviceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// SetState forces a light (e.g. DeviceMissing to unplug the device).
func (s *Sim) SetState(st port.DeviceState) {
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
}

// SetMaxQuality scripts the best quality a step can reach (the step names of
// package port: "finger.03", "iris.left", "face"); captures of that step then
// end below any higher gate.
func (s *Sim) SetMaxQuality(step string, q int) {
	s.mu.Lock()
	s.caps[step] = q
	s.mu.Unlock()
}

// InjectFault makes the next capture of step fail with err ("" = any step).
func (s *Sim) InjectFault(step string, err error) {
	s.mu.Lock()
	s.faults[step] = err
	s.mu.Unlock()
}

// begin marks the device busy, or returns its fault.
func (s *Sim) begin(step string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case port.DeviceMissing:
		return 0, port.ErrNoDevice
	case port.DeviceBusy:
		return 0, errors.New("device busy")
	}
	for _, k := range []string{step, ""} {
		if err, ok := s.faults[k]; ok {
			delete(s.faults, k)
			return 0, err
		}
	}
	s.state = port.DeviceBusy
	q, ok := s.caps[step]
	if !ok {
		q = DefaultQuality
	}
	return q, nil
}

func (s *Sim) end() {
	s.mu.Lock()
	if s.state == port.DeviceBusy {
		s.state = port.DeviceReady
	}
	s.mu.Unlock()
}

// wait sleeps one frame delay or until ctx ends.
func (s *Sim) wait(ctx context.Context) error {
	if s.delay <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// run streams frames of rising quality up to the step's maximum and returns
// the first at or above gate, else the best with port.ErrBelowGate.
func (s *Sim) run(ctx context.Context, op, step string, gate int, render func(q int, rng *rand.Rand) image.Image, preview port.Preview) (port.Frame, error) {
	max, err := s.begin(step)
	if err != nil {
		return port.Frame{}, &port.DeviceError{Device: s.name, Op: op, Err: err}
	}
	defer s.end()
	var best port.Frame
	for i := 1; i <= s.frames; i++ {
		q := max * i / s.frames
		f := port.Frame{Image: render(q, rand.New(rand.NewPCG(uint64(len(step)), uint64(i)))), Quality: q}
		if preview != nil {
			preview(f)
		}
		if best.Image == nil || q > best.Quality {
			best = f
		}
		if q >= gate {
			return f, nil
		}
		if err := s.wait(ctx); err != nil {
			return best, &port.DeviceError{Device: s.name, Op: op, Err: err}
		}
	}
	return best, &port.DeviceError{Device: s.name, Op: op, Err: port.ErrBelowGate}
}

// CaptureFinger captures one finger.
func (s *Sim) CaptureFinger(ctx context.Context, f port.Finger, gate int, preview port.Preview) (port.Frame, error) {
	return s.run(ctx, "capture finger", f.Step(), gate, func(q int, rng *rand.Rand) image.Image {
		return fingerImage(int(f), q, rng)
	}, preview)
}

// CaptureIris captures one eye.
func (s *Sim) CaptureIris(ctx context.Context, e port.Eye, gate int, preview port.Preview) (port.Frame, error) {
	return s.run(ctx, "capture iris", e.Step(), gate, func(q int, rng *rand.Rand) image.Image {
		return irisImage(e == port.LeftEye, q, rng)
	}, preview)
}

// CaptureFace captures the face photo.
func (s *Sim) CaptureFace(ctx context.Context, gate int, preview port.Preview) (port.Frame, error) {
	return s.run(ctx, "capture face", port.StepFace, gate, faceImage, preview)
}

// CaptureSignature streams a synthetic signature's ink and returns it
// rendered.
func (s *Sim) CaptureSignature(ctx context.Context, ink func(port.Point)) (port.Frame, []port.Point, error) {
	if _, err := s.begin(port.StepSignature); err != nil {
		return port.Frame{}, nil, &port.DeviceError{Device: s.name, Op: "capture signature", Err: err}
	}
	defer s.end()
	pts := signaturePoints()
	for i, p := range pts {
		if ink != nil {
			ink(p)
		}
		if i%40 == 39 {
			if err := s.wait(ctx); err != nil {
				return port.Frame{}, nil, &port.DeviceError{Device: s.name, Op: "capture signature", Err: err}
			}
		}
	}
	return port.Frame{Image: port.RenderInk(pts, SignatureWidth, SignatureHeight), Quality: 100}, pts, nil
}

// Image sizes of the synthetic captures.
const (
	FingerWidth, FingerHeight       = 200, 250
	IrisWidth, IrisHeight           = 320, 240
	FaceWidth, FaceHeight           = 240, 320
	SignatureWidth, SignatureHeight = 400, 150
)

// noise returns ±amplitude noise, larger for low quality.
func noise(q int, rng *rand.Rand) float64 {
	amp := float64(100-q) * 1.2
	return (rng.Float64()*2 - 1) * amp
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }

// fingerImage draws a ridge pattern (a loop around a core) inside a
// fingertip ellipse.
func fingerImage(finger, q int, rng *rand.Rand) image.Image {
	img := image.NewGray(image.Rect(0, 0, FingerWidth, FingerHeight))
	cx, cy := float64(FingerWidth)/2, float64(FingerHeight)*0.45
	period := 8.0 + float64(finger%3)
	for y := 0; y < FingerHeight; y++ {
		for x := 0; x < FingerWidth; x++ {
			dx, dy := (float64(x)-cx)/(FingerWidth*0.45), (float64(y)-cy)/(FingerHeight*0.5)
			if dx*dx+dy*dy > 1 {
				img.SetGray(x, y, color.Gray{Y: 250})
				continue
			}
			r := math.Hypot(float64(x)-cx, (float64(y)-cy)*1.3)
			a := math.Atan2(float64(y)-cy, float64(x)-cx)
			v := 128 + 110*math.Sin(2*math.Pi*r/period+float64(finger)*0.7*math.Sin(a))
			img.SetGray(x, y, color.Gray{Y: clamp(v + noise(q, rng))})
		}
	}
	return img
}

// irisImage draws a pupil, a textured iris and the sclera.
func irisImage(left bool, q int, rng *rand.Rand) image.Image {
	img := image.NewGray(image.Rect(0, 0, IrisWidth, IrisHeight))
	cx, cy := float64(IrisWidth)/2, float64(IrisHeight)/2
	seed := 3.0
	if left {
		seed = 5.0
	}
	for y := 0; y < IrisHeight; y++ {
		for x := 0; x < IrisWidth; x++ {
			r := math.Hypot(float64(x)-cx, float64(y)-cy)
			a := math.Atan2(float64(y)-cy, float64(x)-cx)
			var v float64
			switch {
			case r < 30:
				v = 20
			case r < 95:
				v = 110 + 40*math.Sin(a*seed*7+r/6)*math.Cos(r/4)
			default:
				v = 215
			}
			img.SetGray(x, y, color.Gray{Y: clamp(v + noise(q, rng))})
		}
	}
	return img
}

// faceImage draws a head and shoulders on the KTP background blue.
func faceImage(q int, rng *rand.Rand) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, FaceWidth, FaceHeight))
	bg := color.RGBA{R: 0, G: 82, B: 165, A: 255}
	skin := color.RGBA{R: 198, G: 148, B: 110, A: 255}
	cx, cy := float64(FaceWidth)/2, float64(FaceHeight)*0.4
	for y := 0; y < FaceHeight; y++ {
		for x := 0; x < FaceWidth; x++ {
			dx, dy := (float64(x)-cx)/62, (float64(y)-cy)/82
			c := bg
			switch {
			case dx*dx+dy*dy <= 1:
				c = skin
				ex, ey := math.Abs(float64(x)-cx)-24, float64(y)-cy+15
				if ex*ex+ey*ey < 36 {
					c = color.RGBA{R: 40, G: 30, B: 25, A: 255}
				}
				if my := float64(y) - cy - 40; math.Abs(float64(x)-cx) < 20 && my > 0 && my < 4 {
					c = color.RGBA{R: 150, G: 70, B: 70, A: 255}
				}
			case float64(y) > cy+110 && math.Abs(float64(x)-cx) < 110-(float64(FaceHeight)-float64(y))*0.2:
				c = color.RGBA{R: 240, G: 240, B: 240, A: 255}
			}
			n := noise(q, rng) / 3
			img.SetRGBA(x, y, color.RGBA{R: clamp(float64(c.R) + n), G: clamp(float64(c.G) + n), B: clamp(float64(c.B) + n), A: 255})
		}
	}
	return img
}

// signaturePoints is a synthetic cursive signature in pad pixels.
func signaturePoints() []port.Point {
	var pts []port.Point
	const n = 240
	for i := 0; i < n; i++ {
		t := float64(i) / n
		x := 30 + t*330 + 12*math.Sin(t*40)
		y := 75 + 35*math.Sin(t*17)*math.Cos(t*5)
		pts = append(pts, port.Point{X: int(x), Y: int(y), Pen: i != n/2, T: time.Duration(i) * 8 * time.Millisecond})
	}
	return pts
}

// String describes the device for logs.
func (s *Sim) String() string { return fmt.Sprintf("simulated %s", s.name) }
