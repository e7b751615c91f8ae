package devport

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rekam-ktp/rekam/biometric/signature"
	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/ui/port"
)

// BenchEntry is one opened device and the key the technician's screen
// knows it by (the simulator's name for a simulated device).
type BenchEntry struct {
	ID     string
	Device device.Device
}

// Bench is every device of the station behind port.Bench.
type Bench struct {
	devs []port.BenchDevice
	sim  port.SimControl
}

var _ port.Bench = (*Bench)(nil)

// NewBench puts each entry behind a port.BenchDevice; sim may be nil (real
// hardware). It does no device I/O: the screen reads each device's info in
// the background.
func NewBench(entries []BenchEntry, sim port.SimControl) *Bench {
	b := &Bench{sim: sim}
	for i, e := range entries {
		id := e.ID
		if id == "" {
			id = fmt.Sprintf("dev%d", i)
		}
		bd := &BenchDevice{id: id, kind: kindOf(e.Device), d: e.Device, PadDone: 1500 * time.Millisecond}
		bd.name.Store(id)
		bd.state.Store(int32(port.DeviceReady))
		b.devs = append(b.devs, bd)
	}
	return b
}

// FromEntries puts opened devices (real or simulated) behind the capture
// ports (the first device of each modality) and the technician's bench; sim
// is nil for real hardware. The returned func closes the devices.
func FromEntries(ctx context.Context, es []BenchEntry, sim port.SimControl) (port.Devices, *Bench, func()) {
	ds := make([]device.Device, len(es))
	for i, e := range es {
		ds[i] = e.Device
	}
	closeAll := func() {
		for _, d := range ds {
			d.Close()
		}
	}
	return FromDevices(ctx, ds), NewBench(es, sim), closeAll
}

// Devices implements port.Bench.
func (b *Bench) Devices() []port.BenchDevice { return b.devs }

// Sim implements port.Bench.
func (b *Bench) Sim() port.SimControl { return b.sim }

// kindOf names a device's modality from the interface it implements.
func kindOf(d device.Device) string {
	switch d.(type) {
	case device.FingerScanner:
		return string(device.KindFinger)
	case device.IrisCamera:
		return string(device.KindIris)
	case device.FaceCamera:
		return string(device.KindFace)
	case device.SignaturePad:
		return string(device.KindSignature)
	}
	return "unknown"
}

// BenchDevice is one device on the bench.
type BenchDevice struct {
	id, kind string
	d        device.Device
	name     atomic.Value // string: model and serial once Info has answered
	state    atomic.Int32
	// PadDone is how long a pad's pen must stay up after ink for a
	// signature to be complete.
	PadDone time.Duration
	// Timeout bounds a snapshot (default 20 s).
	Timeout time.Duration
}

var _ port.BenchDevice = (*BenchDevice)(nil)

// ID implements port.BenchDevice.
func (b *BenchDevice) ID() string { return b.id }

// Kind implements port.BenchDevice.
func (b *BenchDevice) Kind() string { return b.kind }

// Name implements port.Device.
func (b *BenchDevice) Name() string { return b.name.Load().(string) }

// State implements port.Device.
func (b *BenchDevice) State() port.DeviceState { return port.DeviceState(b.state.Load()) }

// errorClasses maps the drivers' typed errors to the ports' errors and the
// light they leave, first match wins.
var errorClasses = []struct {
	driver error
	port   error
	light  port.DeviceState
}{
	{device.ErrDisconnected, port.ErrNoDevice, port.DeviceMissing},
	{device.ErrTimeout, port.ErrTimeout, port.DeviceFault},
	{device.ErrBusy, port.ErrDeviceBusy, port.DeviceReady},
	{device.ErrSensorFault, port.ErrSensorFault, port.DeviceFault},
	{device.ErrProtocol, port.ErrProtocol, port.DeviceFault},
	{device.ErrNoFinger, port.ErrNoFinger, port.DeviceReady},
	{device.ErrPoorQuality, port.ErrPoorImage, port.DeviceReady},
}

// do runs op on the device: busy light while it runs, then the light the
// outcome leaves, and the error as a *port.DeviceError carrying the
// matching port error.
func (b *BenchDevice) do(op string, fn func() error) error {
	b.state.Store(int32(port.DeviceBusy))
	err := fn()
	if err == nil || errors.Is(err, context.Canceled) {
		b.state.Store(int32(port.DeviceReady))
		return err
	}
	for _, c := range errorClasses {
		if errors.Is(err, c.driver) {
			b.state.Store(int32(c.light))
			return &port.DeviceError{Device: b.Name(), Op: op, Err: errors.Join(c.port, err)}
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		b.state.Store(int32(port.DeviceFault))
		return &port.DeviceError{Device: b.Name(), Op: op, Err: errors.Join(port.ErrTimeout, err)}
	}
	b.state.Store(int32(port.DeviceFault))
	return &port.DeviceError{Device: b.Name(), Op: op, Err: err}
}

// Info implements port.BenchDevice.
func (b *BenchDevice) Info(ctx context.Context) (port.DeviceInfo, error) {
	var info device.Info
	err := b.do("info", func() error {
		var err error
		info, err = b.d.Info(ctx)
		return err
	})
	if err != nil {
		return port.DeviceInfo{}, err
	}
	name := info.Model
	if info.Serial != "" {
		name += " " + info.Serial
	}
	if name != "" {
		b.name.Store(name)
	}
	return port.DeviceInfo{Kind: string(info.Kind), Driver: info.Driver, Vendor: info.Vendor, Model: info.Model,
		Serial: info.Serial, Firmware: info.Firmware, Transport: info.Transport, Path: info.Path}, nil
}

// SelfTest implements port.BenchDevice. A failed check leaves the fault
// light on.
func (b *BenchDevice) SelfTest(ctx context.Context) (port.SelfTest, error) {
	var h device.Health
	err := b.do("self-test", func() error {
		var err error
		h, err = b.d.SelfTest(ctx)
		return err
	})
	out := port.SelfTest{OK: h.OK, RTT: h.RTT}
	for _, c := range h.Checks {
		out.Checks = append(out.Checks, port.SelfTestCheck{Name: c.Name, OK: c.OK, Detail: c.Detail})
	}
	if err == nil && !h.OK {
		b.state.Store(int32(port.DeviceFault))
	}
	return out, err
}

// previewer is what the image devices share.
type previewer interface {
	Preview(ctx context.Context, each func(device.Frame) error) error
}

// Preview implements port.BenchDevice: the driver's live frames, cycle
// after cycle, or for a pad the ink rendered as it is drawn (each
// signature in turn), until ctx ends.
func (b *BenchDevice) Preview(ctx context.Context, each port.Preview) error {
	if pad, ok := b.d.(device.SignaturePad); ok {
		return b.do("preview", func() error {
			for ctx.Err() == nil {
				var last time.Time
				_, err := b.sign(ctx, pad, func(pts []port.Point) {
					if now := time.Now(); now.Sub(last) > 50*time.Millisecond {
						last = now
						each(port.Frame{Image: port.RenderInk(pts, padW, padH)})
					}
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	p, ok := b.d.(previewer)
	if !ok {
		return fmt.Errorf("%s: %w", b.id, device.ErrUnsupported)
	}
	return b.do("preview", func() error {
		// A camera's preview ends with its capture cycle: start the next
		// one until the technician stops watching.
		for {
			err := p.Preview(ctx, func(f device.Frame) error {
				each(port.Frame{Image: f.Image})
				return nil
			})
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(previewPause):
			}
		}
	})
}

// previewPause separates two preview cycles of a camera.
const previewPause = 100 * time.Millisecond

// Snapshot implements port.BenchDevice: one capture (a right index finger,
// both irises — the right one kept —, a face, or a signature with its
// 19794-7 record).
func (b *BenchDevice) Snapshot(ctx context.Context) (port.Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, orDefault(b.Timeout, 20*time.Second))
	defer cancel()
	var s port.Snapshot
	err := b.do("capture", func() error {
		var err error
		switch d := b.d.(type) {
		case device.FingerScanner:
			var c *device.FingerCapture
			if c, err = d.Capture(ctx, device.FingerRequest{Position: device.RightIndex}); err == nil {
				s = port.Snapshot{Image: c.Image, Quality: c.Quality}
			}
		case device.IrisCamera:
			var c *device.IrisCapture
			if c, err = d.Capture(ctx, device.IrisRequest{Eyes: device.EyeBoth}); err == nil {
				s, err = irisSnapshot(c)
			}
		case device.FaceCamera:
			var c *device.FaceCapture
			if c, err = d.Capture(ctx, device.FaceRequest{}); err == nil {
				s = port.Snapshot{Image: c.Image, Quality: c.Quality}
			}
		case device.SignaturePad:
			s, err = b.padSnapshot(ctx, d)
		default:
			err = device.ErrUnsupported
		}
		return err
	})
	return s, err
}

// irisSnapshot keeps the right eye, else the left.
func irisSnapshot(c *device.IrisCapture) (port.Snapshot, error) {
	for _, e := range []*device.IrisImage{c.Right, c.Left} {
		if e != nil && e.Image != nil {
			return port.Snapshot{Image: e.Image, Quality: e.Quality}, nil
		}
	}
	return port.Snapshot{}, errors.New("camera returned no eye")
}

// padW, padH is the size ink is rendered at.
const padW, padH = 600, 300

// padSnapshot records one signature: the rendered ink and its 19794-7
// record in device units.
func (b *BenchDevice) padSnapshot(ctx context.Context, pad device.SignaturePad) (port.Snapshot, error) {
	var pts []port.Point
	samples, err := b.sign(ctx, pad, func(p []port.Point) { pts = p })
	if err != nil {
		return port.Snapshot{}, err
	}
	caps := pad.Caps()
	sig := &signature.Signature{}
	for _, s := range samples {
		sig.Samples = append(sig.Samples, signature.Sample{X: float64(s.X), Y: float64(s.Y), T: s.T.Milliseconds(),
			Pressure: float64(s.Pressure) / float64(max(caps.MaxPressure, 1)), PenDown: s.PenDown})
	}
	rec, err := signature.ToISO(sig)
	if err != nil {
		return port.Snapshot{}, fmt.Errorf("pad: %w", err)
	}
	raw, err := rec.Marshal()
	if err != nil {
		return port.Snapshot{}, fmt.Errorf("pad: %w", err)
	}
	return port.Snapshot{Image: port.RenderInk(pts, padW, padH), Quality: 100, Record: raw}, nil
}

// sign streams one signature from the pad: it clears the pad, hands the
// points so far (in render pixels) to ink after each sample, and ends when
// the pen has stayed up for PadDone after drawing. It returns the raw
// samples.
func (b *BenchDevice) sign(ctx context.Context, pad device.SignaturePad, ink func([]port.Point)) ([]device.PenSample, error) {
	var samples []device.PenSample
	var pts []port.Point
	var mu sync.Mutex
	caps := pad.Caps()
	sx, sy := float64(padW)/float64(max(caps.MaxX, 1)), float64(padH)/float64(max(caps.MaxY, 1))
	err := streamSignature(ctx, pad, orDefault(b.PadDone, 1500*time.Millisecond), func(s device.PenSample) {
		mu.Lock()
		defer mu.Unlock()
		samples = append(samples, s)
		pts = append(pts, port.Point{X: int(float64(s.X) * sx), Y: int(float64(s.Y) * sy), Pen: s.PenDown, T: s.T})
		ink(pts)
	})
	mu.Lock()
	defer mu.Unlock()
	return samples, err
}

// streamSignature clears the pad and streams its pen samples to each until
// the pen has stayed up for done after drawing (nil), ctx ends, or the pad
// fails. A pad may fall silent when the pen leaves it, so the end is
// watched on a clock, not on samples.
func streamSignature(ctx context.Context, pad device.SignaturePad, done time.Duration, each func(device.PenSample)) error {
	if err := pad.Clear(ctx); err != nil && !errors.Is(err, device.ErrUnsupported) {
		return err
	}
	sctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var lastInk atomic.Int64 // wall clock of the last pen-down sample
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-sctx.Done():
				return
			case now := <-t.C:
				if l := lastInk.Load(); l > 0 && now.UnixNano()-l > int64(done) {
					stop(errSigned)
					return
				}
			}
		}
	}()
	err := pad.Stream(sctx, func(s device.PenSample) error {
		if s.PenDown {
			lastInk.Store(time.Now().UnixNano())
		}
		each(s)
		return nil
	})
	if errors.Is(context.Cause(sctx), errSigned) {
		return nil
	}
	if err == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
