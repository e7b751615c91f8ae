package devport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/port"
)

// Slap is a slap-capable scanner: it takes a slap, checks its finger
// count and splits it into single fingers.
type Slap struct {
	*light
	D device.SlapScanner
	// Timeout bounds one slap (default 20 s: a hand must be placed).
	Timeout time.Duration
	// Place, when set, is told the slap and the number of fingers expected
	// before each capture: the simulated resident puts that hand down.
	Place func(slap device.Finger, count int)
}

// NewSlap wraps a slap scanner.
func NewSlap(ctx context.Context, d device.SlapScanner) *Slap {
	return &Slap{light: newLight(ctx, d), D: d}
}

// CaptureSlap takes one slap of expected fingers, refuses another count
// with a *port.FingerCountError, and segments the image into one frame per
// finger (device/quality.Segment) scored with the same quality proxy as a
// single-finger capture. Segments below gate make it return the frame
// with port.ErrBelowGate.
func (s *Slap) CaptureSlap(ctx context.Context, slap port.Slap, expected, gate int, preview port.Preview) (port.SlapFrame, error) {
	pos := device.Finger(slap)
	if !pos.IsSlap() || expected < 1 || expected > pos.SlapCount() {
		return port.SlapFrame{}, fmt.Errorf("capture slap %d: %d fingers cannot be expected", slap, expected)
	}
	if s.Place != nil {
		s.Place(pos, expected)
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(s.Timeout, 20*time.Second))
	defer cancel()
	op := fmt.Sprintf("capture slap %d", slap)
	var c *device.FingerCapture
	err := s.run(op, func() error {
		var err error
		c, err = s.D.Capture(ctx, device.FingerRequest{Position: pos, Count: expected})
		return err
	})
	var out port.SlapFrame
	if c != nil && c.Image != nil {
		out.Frame = port.Frame{Image: c.Image, Quality: c.Quality}
		if preview != nil {
			preview(out.Frame)
		}
	}
	var qe *device.QualityError
	if errors.As(err, &qe) && qe.Reason == device.ReasonFingerCount {
		return out, &port.FingerCountError{Got: qe.Got, Want: qe.Want}
	}
	if err != nil {
		return out, err
	}
	segs, err := quality.Segment(c.Image, expected)
	if err != nil {
		return out, fmt.Errorf("%s: %w", op, err)
	}
	below := false
	for _, sg := range segs {
		q := quality.Assess(sg.Image).Score
		out.Segments = append(out.Segments, port.Frame{Image: sg.Image, Quality: q})
		below = below || q < gate
	}
	if below {
		return out, port.ErrBelowGate
	}
	return out, nil
}

// Fingers is the station's fingerprint scanning as one port.SlapSource:
// single fingers on one scanner, slaps on a slap scanner (the same device
// when the slap scanner is the only one).
type Fingers struct {
	port.FingerSource
	Slaps *Slap
}

var _ port.SlapSource = (*Fingers)(nil)

// SlapDevice implements port.SlapSource.
func (f *Fingers) SlapDevice() port.Device { return f.Slaps }

// CaptureSlap implements port.SlapSource.
func (f *Fingers) CaptureSlap(ctx context.Context, slap port.Slap, expected, gate int, preview port.Preview) (port.SlapFrame, error) {
	return f.Slaps.CaptureSlap(ctx, slap, expected, gate, preview)
}

// slapScanner reports whether d is a scanner that takes slaps.
func slapScanner(d device.Device) (device.SlapScanner, bool) {
	s, ok := d.(device.SlapScanner)
	return s, ok && s.CanSlap()
}

// withSlaps adds the slap scanner (nil: none) to the single-finger source
// (nil: none, then the slap scanner takes single fingers too).
func withSlaps(single port.FingerSource, s *Slap) port.FingerSource {
	if s == nil {
		return single
	}
	if single == nil {
		single = &Finger{light: s.light, D: s.D}
	}
	return &Fingers{FingerSource: single, Slaps: s}
}

// placeHands lets the simulated slap reader's resident put down the hand
// each slap asks for.
func placeHands(devs port.Devices, es []BenchEntry, set *simset.Set) {
	f, ok := devs.Finger.(*Fingers)
	if !ok {
		return
	}
	for _, e := range es {
		if e.Device != device.Device(f.Slaps.D) {
			continue
		}
		if sim, ok := set.Get(e.ID); ok && sim.Slap() {
			f.Slaps.Place = func(slap device.Finger, count int) { sim.PlaceHand(slap, count) }
		}
	}
}
