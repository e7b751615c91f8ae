package isdv4

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/wire"
)

// Config selects how the driver talks to a digitiser.
type Config struct {
	Baud   int           // 0 means 38400 (common for ISDV4 digitisers)
	Packet time.Duration // query answer timeout (default 1 s)
}

// Driver is a device.SignaturePad for one ISDV4 digitiser.
type Driver struct {
	cfg  Config
	path string
	link *wire.Link
	caps device.PadCaps
}

var _ device.SignaturePad = (*Driver)(nil)

// Open returns a driver for the digitiser on the serial port at path.
func Open(path string, cfg Config) *Driver {
	if cfg.Baud == 0 {
		cfg.Baud = 38400
	}
	return New(func() (transport.Port, error) {
		return transport.OpenSerial(path, transport.SerialConfig{Baud: cfg.Baud})
	}, path, cfg)
}

// New returns a driver over any opener.
func New(open func() (transport.Port, error), path string, cfg Config) *Driver {
	if cfg.Packet == 0 {
		cfg.Packet = time.Second
	}
	d := &Driver{cfg: cfg, path: path}
	d.link = wire.NewLink("isdv4", func() (wire.Port, error) { return open() }, Split, d.query)
	return d
}

// query stops the stream and asks for the maxima (the control packet).
func (d *Driver) query(ctx context.Context) error {
	if err := d.link.Send([]byte{CmdStop}); err != nil {
		return err
	}
	d.link.Drain(ctx, 20*time.Millisecond)
	if err := d.link.Send([]byte{CmdQuery}); err != nil {
		return err
	}
	for {
		b, err := d.link.Next(ctx, d.cfg.Packet)
		if err != nil {
			return fmt.Errorf("isdv4: query: %w", err)
		}
		if !IsControl(b) {
			continue // a late pen packet
		}
		p, err := Decode(b)
		if err != nil {
			return err
		}
		if p.X == 0 || p.Y == 0 {
			return device.NewProtocolError("isdv4: query", "zero tablet size", b)
		}
		d.caps = device.PadCaps{MaxX: p.X, MaxY: p.Y, MaxPressure: p.Pressure, RateHz: 133}
		return nil
	}
}

// Caps returns the tablet maxima read at connect (zero before).
func (d *Driver) Caps() device.PadCaps { return d.caps }

// Stream starts the digitiser and passes pen samples to each until ctx ends
// (then stops it). The protocol has no timestamps: T is arrival time.
func (d *Driver) Stream(ctx context.Context, each func(device.PenSample) error) error {
	return d.link.Run(ctx, "stream", func() error {
		if err := d.link.Send([]byte{CmdStart}); err != nil {
			return err
		}
		defer func() { _ = d.link.Write([]byte{CmdStop}) }()
		t0 := time.Now()
		for seq := 0; ; {
			b, err := d.link.Next(ctx, time.Hour)
			if err != nil {
				if ctx.Err() != nil && !errors.Is(err, device.ErrDisconnected) && !errors.Is(err, device.ErrProtocol) {
					return nil
				}
				return fmt.Errorf("isdv4: stream: %w", err)
			}
			if IsControl(b) {
				continue
			}
			p, err := Decode(b)
			if err != nil {
				return err
			}
			seq++
			if err := each(device.PenSample{X: p.X, Y: p.Y, Pressure: p.Pressure, PenDown: p.Tip, InRange: p.Ready,
				T: time.Since(t0), Seq: seq}); err != nil {
				return err
			}
		}
	})
}

// Clear does nothing: ISDV4 digitisers have no screen of their own.
func (d *Driver) Clear(ctx context.Context) error { return nil }

// Info reports the digitiser and its size.
func (d *Driver) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := d.link.Run(ctx, "info", func() error {
		info = device.Info{Kind: device.KindSignature, Driver: "isdv4", Vendor: "Wacom", Model: "ISDV4/W8001 serial digitiser",
			Firmware:  fmt.Sprintf("max %dx%d, %d pressure levels", d.caps.MaxX, d.caps.MaxY, d.caps.MaxPressure+1),
			Transport: "serial", Path: d.path}
		return nil
	})
	return info, err
}

// SelfTest repeats the query and checks the size is plausible.
func (d *Driver) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := d.link.Run(ctx, "selftest", func() error {
		t0 := time.Now()
		if err := d.query(ctx); err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("query", true, fmt.Sprintf("answered in %s", h.RTT.Round(time.Millisecond)))
		h.Add("size", d.caps.MaxX >= 1000 && d.caps.MaxY >= 1000, fmt.Sprintf("%dx%d points (%d points/mm)", d.caps.MaxX, d.caps.MaxY, PointsPerMM))
		h.Add("pressure", d.caps.MaxPressure > 0, fmt.Sprintf("%d levels", d.caps.MaxPressure+1))
		return nil
	})
	return h, err
}

// Close stops using the port.
func (d *Driver) Close() error { return d.link.Close() }
