package wacomstu

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Config tunes the driver.
type Config struct {
	Transfer time.Duration // control transfer timeout (default 1 s)
}

// Driver is a device.SignaturePad for one STU pad.
type Driver struct {
	model Model
	cfg   Config
	conn  transport.USBConn

	caps     device.PadCaps
	info     Info
	capsFrom string
}

var _ device.SignaturePad = (*Driver)(nil)

// New returns a driver for pad model m on host.
func New(host transport.USBHost, m Model, port string, cfg Config) *Driver {
	if cfg.Transfer == 0 {
		cfg.Transfer = time.Second
	}
	d := &Driver{model: m, cfg: cfg, caps: m.Caps}
	d.conn = transport.USBConn{Name: "wacomstu", Host: host, VID: m.VID, PID: m.PID, Port: port, OnOpen: d.identify}
	return d
}

func (d *Driver) control(ctx context.Context, dev transport.USBDevice, rType, req uint8, value, index uint16, data []byte) (int, error) {
	c, cancel := context.WithTimeout(ctx, d.cfg.Transfer)
	defer cancel()
	return dev.Control(c, rType, req, value, index, data)
}

func (d *Driver) setFeature(ctx context.Context, dev transport.USBDevice, payload []byte) error {
	rt, rq, v, i := SetReport(payload[0])
	_, err := d.control(ctx, dev, rt, rq, v, i, payload)
	if err != nil {
		return fmt.Errorf("wacomstu: SET_REPORT %#02x: %w", payload[0], err)
	}
	return nil
}

func (d *Driver) getFeature(ctx context.Context, dev transport.USBDevice, id byte, n int) ([]byte, error) {
	rt, rq, v, i := GetReport(id)
	buf := make([]byte, n)
	k, err := d.control(ctx, dev, rt, rq, v, i, buf)
	if err != nil {
		return nil, fmt.Errorf("wacomstu: GET_REPORT %#02x: %w", id, err)
	}
	return buf[:k], nil
}

// identify reads the opened pad's identity and capability; a pad that
// does not answer GET_REPORT keeps the model table's capability.
func (d *Driver) identify(ctx context.Context, dev transport.USBDevice) error {
	d.caps, d.capsFrom = d.model.Caps, "model table"
	if b, err := d.getFeature(ctx, dev, ReportCapability, capabilityLen); err == nil {
		c, err := DecodeCapability(b)
		if err != nil {
			return err
		}
		d.caps = device.PadCaps{MaxX: c.MaxX, MaxY: c.MaxY, MaxPressure: c.MaxPressure, ScreenW: c.ScreenW, ScreenH: c.ScreenH, RateHz: 200}
		d.capsFrom = "capability report"
	} else if errors.Is(err, device.ErrDisconnected) || errors.Is(err, device.ErrBusy) {
		return err
	}
	if b, err := d.getFeature(ctx, dev, ReportInfo, infoLen); err == nil {
		if d.info, err = DecodeInfo(b); err != nil {
			return err
		}
	}
	return nil
}

// run performs f with the pad open (see transport.USBConn).
func (d *Driver) run(ctx context.Context, what string, f func(dev transport.USBDevice) error) error {
	return d.conn.Run(ctx, what, f)
}

// Caps returns the pad's coordinate space.
func (d *Driver) Caps() device.PadCaps { return d.caps }

// Stream selects writing mode 1 (timed reports), then reads pen reports
// from the interrupt endpoint until ctx ends.
func (d *Driver) Stream(ctx context.Context, each func(device.PenSample) error) error {
	return d.run(ctx, "stream", func(dev transport.USBDevice) error {
		if err := d.setFeature(ctx, dev, []byte{ReportWritingMode, 1}); err != nil {
			return err
		}
		t0 := time.Now()
		buf := make([]byte, 64)
		for seq := 0; ; {
			n, err := dev.Read(ctx, EPPen, buf)
			if err != nil {
				if ctx.Err() != nil && errors.Is(err, device.ErrTimeout) {
					return nil
				}
				return fmt.Errorf("wacomstu: pen report: %w", err)
			}
			p, err := DecodePen(buf[:n])
			if err != nil {
				return err
			}
			seq++
			s := device.PenSample{X: p.X, Y: p.Y, Pressure: p.Pressure, PenDown: p.Tip, InRange: p.Ready, T: time.Since(t0), Seq: seq}
			if p.Timed {
				s.Seq = p.Seq
			}
			if err := each(s); err != nil {
				return err
			}
		}
	})
}

// Clear erases the pad's screen.
func (d *Driver) Clear(ctx context.Context) error {
	return d.run(ctx, "clear", func(dev transport.USBDevice) error { return d.setFeature(ctx, dev, []byte{ReportClearScreen, 0}) })
}

// Info identifies the pad.
func (d *Driver) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := d.run(ctx, "info", func(dev transport.USBDevice) error {
		desc := dev.Desc()
		model := d.info.Model
		if model == "" {
			model = d.model.Name
		}
		info = device.Info{Kind: device.KindSignature, Driver: "wacomstu", Vendor: "Wacom", Model: model,
			Firmware:  fmt.Sprintf("% X (caps from %s)", d.info.Firmware, d.capsFrom),
			Transport: "usb", Path: fmt.Sprintf("%03d/%03d (port %s)", desc.Bus, desc.Address, desc.Port)}
		return nil
	})
	return info, err
}

// SelfTest clears the screen and checks the capability.
func (d *Driver) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := d.run(ctx, "selftest", func(dev transport.USBDevice) error {
		t0 := time.Now()
		if err := d.setFeature(ctx, dev, []byte{ReportClearScreen, 0}); err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("clear", true, fmt.Sprintf("in %s", h.RTT.Round(time.Microsecond)))
		h.Add("capability", d.caps.MaxX > 0 && d.caps.MaxY > 0, fmt.Sprintf("%dx%d, %d levels, screen %dx%d (%s)",
			d.caps.MaxX, d.caps.MaxY, d.caps.MaxPressure+1, d.caps.ScreenW, d.caps.ScreenH, d.capsFrom))
		return nil
	})
	return h, err
}

// Close releases the pad.
func (d *Driver) Close() error { return d.conn.Close() }
