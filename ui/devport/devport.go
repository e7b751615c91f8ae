// Package devport puts the station's real device drivers (package device:
// serial and USB scanners, cameras, pads — or the simulators that speak
// their bytes) behind the capture ports the screens use (ui/port). It
// imports no Fyne.
package devport

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/ui/port"
)

// light is a device's dashboard state, shared by the adapters.
type light struct {
	name  string
	state atomic.Int32
}

func newLight(ctx context.Context, d device.Device) *light {
	l := &light{name: "device"}
	if info, err := d.Info(ctx); err == nil {
		l.name = info.Model
		if info.Serial != "" {
			l.name += " " + info.Serial
		}
		l.state.Store(int32(port.DeviceReady))
	} else {
		l.state.Store(int32(port.DeviceFault))
	}
	return l
}

// Name implements port.Device.
func (l *light) Name() string { return l.name }

// State implements port.Device.
func (l *light) State() port.DeviceState { return port.DeviceState(l.state.Load()) }

// run marks the device busy for op and maps the driver's typed errors to
// the ports' errors, keeping the driver's error as the cause.
func (l *light) run(op string, fn func() error) error {
	l.state.Store(int32(port.DeviceBusy))
	err := fn()
	switch {
	case err == nil:
		l.state.Store(int32(port.DeviceReady))
		return nil
	case errors.Is(err, device.ErrDisconnected):
		l.state.Store(int32(port.DeviceMissing))
		return &port.DeviceError{Device: l.name, Op: op, Err: errors.Join(port.ErrNoDevice, err)}
	case errors.Is(err, device.ErrTimeout), errors.Is(err, device.ErrNoFinger):
		l.state.Store(int32(port.DeviceReady))
		return &port.DeviceError{Device: l.name, Op: op, Err: errors.Join(port.ErrTimeout, err)}
	case errors.Is(err, port.ErrBelowGate), errors.Is(err, device.ErrPoorQuality), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		l.state.Store(int32(port.DeviceReady))
		return err
	default:
		l.state.Store(int32(port.DeviceFault))
		return &port.DeviceError{Device: l.name, Op: op, Err: err}
	}
}

// capture runs one bounded capture for op, hands the frame to preview and
// applies the quality gate.
func (l *light) capture(ctx context.Context, op string, timeout time.Duration, gate int, preview port.Preview,
	grab func(ctx context.Context) (port.Frame, error)) (port.Frame, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var fr port.Frame
	err := l.run(op, func() error {
		var err error
		fr, err = grab(ctx)
		return err
	})
	if fr.Image != nil && preview != nil {
		preview(fr)
	}
	if err == nil && fr.Quality < gate {
		err = port.ErrBelowGate
	}
	return fr, err
}

// Finger is a fingerprint scanner as a port.FingerSource.
type Finger struct {
	*light
	D device.FingerScanner
	// Timeout bounds one capture (default 20 s: a finger must be placed).
	Timeout time.Duration
}

// NewFinger wraps a scanner.
func NewFinger(ctx context.Context, d device.FingerScanner) *Finger {
	return &Finger{light: newLight(ctx, d), D: d}
}

// CaptureFinger implements port.FingerSource: one capture from the
// scanner; below the gate it returns the frame with port.ErrBelowGate, so
// the screen counts the attempt and keeps the best.
func (f *Finger) CaptureFinger(ctx context.Context, pos port.Finger, gate int, preview port.Preview) (port.Frame, error) {
	return f.capture(ctx, "capture "+pos.Step(), orDefault(f.Timeout, 20*time.Second), gate, preview, func(ctx context.Context) (port.Frame, error) {
		c, err := f.D.Capture(ctx, device.FingerRequest{Position: device.Finger(pos)})
		var qe *device.QualityError
		if errors.As(err, &qe) {
			return port.Frame{Quality: qe.Quality}, port.ErrBelowGate
		}
		if err != nil {
			return port.Frame{}, err
		}
		return port.Frame{Image: c.Image, Quality: c.Quality}, nil
	})
}

// Iris is an iris camera as a port.IrisSource.
type Iris struct {
	*light
	D device.IrisCamera
}

// NewIris wraps a camera.
func NewIris(ctx context.Context, d device.IrisCamera) *Iris {
	return &Iris{light: newLight(ctx, d), D: d}
}

// CaptureIris implements port.IrisSource.
func (c *Iris) CaptureIris(ctx context.Context, e port.Eye, gate int, preview port.Preview) (port.Frame, error) {
	want := device.EyeRight
	if e == port.LeftEye {
		want = device.EyeLeft
	}
	return c.capture(ctx, "capture iris."+string(e), 20*time.Second, gate, preview, func(ctx context.Context) (port.Frame, error) {
		got, err := c.D.Capture(ctx, device.IrisRequest{Eyes: want})
		if err != nil {
			return port.Frame{}, err
		}
		img := got.Right
		if want == device.EyeLeft {
			img = got.Left
		}
		if img == nil || img.Image == nil {
			return port.Frame{}, fmt.Errorf("camera returned no %s eye", e)
		}
		return port.Frame{Image: img.Image, Quality: img.Quality}, nil
	})
}

// Face is a face camera as a port.FaceSource.
type Face struct {
	*light
	D device.FaceCamera
}

// NewFace wraps a camera.
func NewFace(ctx context.Context, d device.FaceCamera) *Face {
	return &Face{light: newLight(ctx, d), D: d}
}

// CaptureFace implements port.FaceSource.
func (c *Face) CaptureFace(ctx context.Context, gate int, preview port.Preview) (port.Frame, error) {
	return c.capture(ctx, "capture face", 20*time.Second, gate, preview, func(ctx context.Context) (port.Frame, error) {
		got, err := c.D.Capture(ctx, device.FaceRequest{})
		if err != nil {
			return port.Frame{}, err
		}
		return port.Frame{Image: got.Image, Quality: got.Quality}, nil
	})
}

// Pad is a signature pad as a port.SignatureSource.
type Pad struct {
	*light
	D device.SignaturePad
	// Done is how long the pen must stay up after ink for the signature to
	// be complete (default 1.5 s).
	Done time.Duration
}

// NewPad wraps a pad.
func NewPad(ctx context.Context, d device.SignaturePad) *Pad {
	return &Pad{light: newLight(ctx, d), D: d}
}

// errSigned ends the pen stream once the signature is complete.
var errSigned = errors.New("signature complete")

// CaptureSignature implements port.SignatureSource: it streams ink until
// the pen has stayed up for Done after drawing, then renders it.
func (p *Pad) CaptureSignature(ctx context.Context, ink func(port.Point)) (port.Frame, []port.Point, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	caps := p.D.Caps()
	sx, sy := float64(padW)/float64(max(caps.MaxX, 1)), float64(padH)/float64(max(caps.MaxY, 1))
	done := orDefault(p.Done, 1500*time.Millisecond)
	var pts []port.Point
	var mu sync.Mutex
	err := p.run("sign", func() error {
		return streamSignature(ctx, p.D, done, func(s device.PenSample) {
			pt := port.Point{X: int(float64(s.X) * sx), Y: int(float64(s.Y) * sy), Pen: s.PenDown, T: s.T}
			mu.Lock()
			pts = append(pts, pt)
			mu.Unlock()
			if ink != nil {
				ink(pt)
			}
		})
	})
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		return port.Frame{}, pts, err
	}
	return port.Frame{Image: port.RenderInk(pts, padW, padH), Quality: 100}, pts, nil
}

// FromDevices picks the first device of each modality from opened devices
// (real or simulated) and puts each behind its port.
func FromDevices(ctx context.Context, ds []device.Device) port.Devices {
	var out port.Devices
	var slap *Slap
	for _, d := range ds {
		// The driver's own answer names the modality; a device that is not
		// plugged in yet is placed by the interface it implements, so it
		// works once it is.
		kind := device.Kind(kindOf(d))
		if info, err := d.Info(ctx); err == nil {
			kind = info.Kind
		}
		switch kind {
		case device.KindFinger:
			if s, ok := slapScanner(d); ok {
				if slap == nil {
					slap = NewSlap(ctx, s)
				}
				continue
			}
			if f, ok := d.(device.FingerScanner); ok && out.Finger == nil {
				out.Finger = NewFinger(ctx, f)
			}
		case device.KindIris:
			if c, ok := d.(device.IrisCamera); ok && out.Iris == nil {
				out.Iris = NewIris(ctx, c)
			}
		case device.KindFace:
			if c, ok := d.(device.FaceCamera); ok && out.Face == nil {
				out.Face = NewFace(ctx, c)
			}
		case device.KindSignature:
			if p, ok := d.(device.SignaturePad); ok && out.Signature == nil {
				out.Signature = NewPad(ctx, p)
			}
		}
	}
	out.Finger = withSlaps(out.Finger, slap)
	return out
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
