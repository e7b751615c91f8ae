package vcom5s

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Config tunes the driver.
type Config struct {
	Transfer time.Duration // per-transfer timeout (default 1 s)
	Poll     time.Duration // pause between scans while no finger (default 50 ms)
}

// Driver is a device.FingerScanner for one reader. It opens lazily and
// reopens after a disconnect (the replugged device has a new address).
type Driver struct {
	model Model
	cfg   Config
	conn  transport.USBConn
}

var _ device.FingerScanner = (*Driver)(nil)

// New returns a driver for the reader of model m on host (port "" = any).
func New(host transport.USBHost, m Model, port string, cfg Config) *Driver {
	if cfg.Transfer == 0 {
		cfg.Transfer = time.Second
	}
	if cfg.Poll == 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	return &Driver{model: m, cfg: cfg, conn: transport.USBConn{Name: "vcom5s", Host: host, VID: m.VID, PID: m.PID, Port: port}}
}

func (d *Driver) run(ctx context.Context, what string, f func(dev transport.USBDevice) error) error {
	return d.conn.Run(ctx, what, f)
}

// scan runs one scan: register writes, the scan command, the bulk reads.
func (d *Driver) scan(ctx context.Context, dev transport.USBDevice) (*Assembler, error) {
	step := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, d.cfg.Transfer) }
	for _, s := range ScanSetups() {
		c, cancel := step()
		_, err := dev.Control(c, s.RequestType, s.Request, s.Value, s.Index, nil)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("vcom5s: control %02x/%02x: %w", s.RequestType, s.Request, err)
		}
	}
	a := NewAssembler(d.model)
	buf := make([]byte, d.model.Chunk)
	for i := 0; i < d.model.Chunks(); i++ {
		c, cancel := step()
		n, err := dev.Read(c, EPImage, buf)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("vcom5s: bulk read %d of %d: %w", i+1, d.model.Chunks(), err)
		}
		if err := a.Add(buf[:n]); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Capture scans until a finger is on the sensor, then checks the image
// (finger count on a slap, quality gate).
func (d *Driver) Capture(ctx context.Context, req device.FingerRequest) (*device.FingerCapture, error) {
	if req.Position.IsSlap() && !d.model.Slap {
		return nil, device.Errorf(device.ErrUnsupported, "vcom5s: capture", "single-finger sensor cannot take a slap")
	}
	var out *device.FingerCapture
	err := d.run(ctx, "capture", func(dev transport.USBDevice) error {
		for scans := 0; ; scans++ {
			a, err := d.scan(ctx, dev)
			if err != nil {
				if scans > 0 && ctx.Err() != nil {
					return device.Errorf(device.ErrNoFinger, "vcom5s: capture", "no finger before the deadline")
				}
				return err
			}
			img := a.Image()
			if Blank(img) {
				return device.Errorf(device.ErrSensorFault, "vcom5s: capture", "blank frame (grey %d everywhere)", img.Pix[0])
			}
			if present(d.model, img) {
				q, qerr := quality.CheckFinger("vcom5s: capture", img, req)
				out = &device.FingerCapture{Image: img, DPI: d.model.DPI, Quality: q.Score, Fingers: q.Fingers, Raw: img.Pix}
				return qerr
			}
			select {
			case <-ctx.Done():
				return device.Errorf(device.ErrNoFinger, "vcom5s: capture", "no finger before the deadline")
			case <-time.After(d.cfg.Poll):
			}
		}
	})
	if err != nil && !errors.Is(err, device.ErrPoorQuality) {
		return nil, err
	}
	return out, err
}

// Preview streams every scan until ctx ends.
func (d *Driver) Preview(ctx context.Context, each func(device.Frame) error) error {
	return d.run(ctx, "preview", func(dev transport.USBDevice) error {
		for seq := 1; ctx.Err() == nil; seq++ {
			a, err := d.scan(ctx, dev)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			if err := each(device.Frame{Seq: seq, Time: time.Now(), Image: a.Image()}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Info reports the model and USB location (the protocol has no serial).
func (d *Driver) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := d.run(ctx, "info", func(dev transport.USBDevice) error {
		desc := dev.Desc()
		info = device.Info{Kind: device.KindFinger, Driver: "vcom5s", Vendor: fmt.Sprintf("%04x", desc.VID),
			Model: d.model.Name, Transport: "usb", Path: fmt.Sprintf("%03d/%03d (port %s)", desc.Bus, desc.Address, desc.Port)}
		return nil
	})
	return info, err
}

// SelfTest scans once and checks the frame is not blank (dead sensor).
func (d *Driver) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := d.run(ctx, "selftest", func(dev transport.USBDevice) error {
		t0 := time.Now()
		a, err := d.scan(ctx, dev)
		if err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("scan", true, fmt.Sprintf("%dx%d in %s", d.model.Width, d.model.Height, h.RTT.Round(time.Millisecond)))
		h.Add("sensor", !Blank(a.Image()), "frame has texture")
		return nil
	})
	return h, err
}

// Close releases the device.
func (d *Driver) Close() error { return d.conn.Close() }
