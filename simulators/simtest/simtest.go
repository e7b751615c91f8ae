// Package simtest is the conformance suite every finger-scanner driver runs
// against its simulator: each scripted fault must surface as its typed error
// before the deadline, and the next capture must succeed.
package simtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/simulators/fault"
)

// Rig is one driver wired to one simulated device.
type Rig struct {
	Scanner device.FingerScanner
	Inject  func(fault.Kind)
	Replug  func() error
	Plugged func() bool
}

// FaultCase is one fault and the error it must produce.
type FaultCase struct {
	Fault  fault.Kind
	Want   error
	Reason device.QualityReason // for ErrPoorQuality
	Req    *device.FingerRequest
}

// SerialFingerFaults is the fault list every serial finger module runs.
var SerialFingerFaults = []FaultCase{
	{Fault: fault.Timeout, Want: device.ErrTimeout},
	{Fault: fault.BadChecksum, Want: device.ErrProtocol},
	{Fault: fault.Truncated, Want: device.ErrProtocol},
	{Fault: fault.Busy, Want: device.ErrBusy},
	{Fault: fault.Wet, Want: device.ErrPoorQuality, Reason: device.ReasonWet},
	{Fault: fault.Dry, Want: device.ErrPoorQuality, Reason: device.ReasonDry},
	{Fault: fault.LowQuality, Want: device.ErrPoorQuality, Reason: device.ReasonLow},
	{Fault: fault.SensorFault, Want: device.ErrSensorFault},
	{Fault: fault.Unplug, Want: device.ErrDisconnected},
}

// Single is a plain one-finger request with a quality gate.
var Single = device.FingerRequest{Position: device.RightIndex, MinQuality: 60}

// Capture runs one capture bounded by within and reports how long it took.
func Capture(s device.FingerScanner, req device.FingerRequest, within time.Duration) (*device.FingerCapture, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	t0 := time.Now()
	c, err := s.Capture(ctx, req)
	return c, time.Since(t0), err
}

// Faults runs every case on a fresh rig.
func Faults(t *testing.T, newRig func(t *testing.T) Rig, cases []FaultCase, deadline time.Duration) {
	for _, tt := range cases {
		t.Run(string(tt.Fault), func(t *testing.T) {
			r := newRig(t)
			req := Single
			if tt.Req != nil {
				req = *tt.Req
			}
			if _, _, err := Capture(r.Scanner, req, deadline); err != nil {
				t.Fatalf("warm-up capture: %v", err)
			}
			r.Inject(tt.Fault)
			_, took, err := Capture(r.Scanner, req, deadline)
			if !errors.Is(err, tt.Want) {
				t.Fatalf("err = %v, want %v", err, tt.Want)
			}
			if took >= deadline {
				t.Fatalf("error after %s, past the %s deadline", took, deadline)
			}
			if tt.Reason != "" {
				var qe *device.QualityError
				if !errors.As(err, &qe) || qe.Reason != tt.Reason {
					t.Fatalf("reason of %v, want %s", err, tt.Reason)
				}
			}
			var pe *device.ProtocolError
			if errors.As(err, &pe) && len(pe.Bytes) == 0 {
				t.Fatalf("protocol error without the offending bytes: %v", err)
			}
			if tt.Fault == fault.Unplug {
				if r.Plugged() {
					t.Fatal("device still plugged")
				}
				if _, _, err := Capture(r.Scanner, req, deadline); !errors.Is(err, device.ErrDisconnected) {
					t.Fatalf("capture while unplugged: %v", err)
				}
				if err := r.Replug(); err != nil {
					t.Fatal(err)
				}
			}
			if c, _, err := Capture(r.Scanner, req, deadline); err != nil || c.Quality < req.MinQuality {
				t.Fatalf("capture after %s: %v", tt.Fault, err)
			}
		})
	}
}

// Deadlines calls every method of dev (already silenced by the caller: a
// device that never answers) with a short deadline and checks each returns
// by then, failing with a typed error (a USB Info may succeed from the
// descriptors alone; a silent pad's Stream just ends).
func Deadlines(t *testing.T, dev device.Device) {
	const within = 300 * time.Millisecond
	calls := map[string]func(ctx context.Context) error{
		"Info":     func(ctx context.Context) error { _, err := dev.Info(ctx); return err },
		"SelfTest": func(ctx context.Context) error { _, err := dev.SelfTest(ctx); return err },
	}
	if s, ok := dev.(device.FingerScanner); ok {
		calls["Capture"] = func(ctx context.Context) error { _, err := s.Capture(ctx, Single); return err }
		calls["Preview"] = func(ctx context.Context) error {
			err := s.Preview(ctx, func(device.Frame) error { return nil })
			if err == nil && ctx.Err() == nil {
				return errors.New("preview ended without error before its deadline")
			}
			return err
		}
	}
	if c, ok := dev.(device.IrisCamera); ok {
		calls["Capture"] = func(ctx context.Context) error { _, err := c.Capture(ctx, device.IrisRequest{}); return err }
	}
	if c, ok := dev.(device.FaceCamera); ok {
		calls["Capture"] = func(ctx context.Context) error { _, err := c.Capture(ctx, device.FaceRequest{}); return err }
	}
	if p, ok := dev.(device.SignaturePad); ok {
		// A pad with nobody signing is silent: Stream just ends at its deadline.
		calls["Stream"] = func(ctx context.Context) error {
			return p.Stream(ctx, func(device.PenSample) error { return nil })
		}
	}
	untyped := map[string]bool{"Preview": true, "Stream": true}
	for name, call := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), within)
		t0 := time.Now()
		err := call(ctx)
		took := time.Since(t0)
		cancel()
		if took > within+200*time.Millisecond {
			t.Errorf("%s returned after %s, deadline %s", name, took, within)
		}
		// Info may succeed from USB enumeration alone; an error must be typed.
		if !untyped[name] && device.KindOf(err) == nil && (err != nil || name != "Info") {
			t.Errorf("%s on a silent device: %v (want a typed error)", name, err)
		}
	}
}
