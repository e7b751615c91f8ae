package r30x

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/wire"
)

// Config selects how the driver talks to a module.
type Config struct {
	Address  uint32        // module address (0 means DefaultAddress)
	Password uint32        // VfyPwd password (factory default 0)
	Baud     int           // line rate (0 means 57600)
	Model    string        // key of Models for modules without ReadProdInfo (default "r307")
	Packet   time.Duration // per-packet read timeout (default 1 s)
	Poll     time.Duration // GenImg polling interval while no finger (default 50 ms)
}

func (c Config) withDefaults() Config {
	if c.Address == 0 {
		c.Address = DefaultAddress
	}
	if c.Baud == 0 {
		c.Baud = 57600
	}
	if c.Model == "" {
		c.Model = "r307"
	}
	if c.Packet == 0 {
		c.Packet = time.Second
	}
	if c.Poll == 0 {
		c.Poll = 50 * time.Millisecond
	}
	return c
}

// Opener opens the link to the module (a serial port, a pty, a pipe).
type Opener func() (transport.Port, error)

// SerialOpener opens path as a serial port at baud, 8N1.
func SerialOpener(path string, baud int) Opener {
	return func() (transport.Port, error) {
		return transport.OpenSerial(path, transport.SerialConfig{Baud: baud})
	}
}

// Driver is a device.FingerScanner for one module. It connects lazily and
// reconnects after a disconnect, so a replugged module works without
// restarting anything. Calls are serialised; a call made while another runs
// fails at once with ErrBusy.
type Driver struct {
	cfg   Config
	path  string
	link  *wire.Link
	model Model
	prod  *ProdInfo
	sys   SysPara
}

// Open returns a driver for the module on the serial port at path.
func Open(path string, cfg Config) *Driver {
	cfg = cfg.withDefaults()
	return New(SerialOpener(path, cfg.Baud), path, cfg)
}

// New returns a driver over any opener; path is only reported in Info.
func New(open Opener, path string, cfg Config) *Driver {
	cfg = cfg.withDefaults()
	m, ok := Models[cfg.Model]
	if !ok {
		m = Models["r307"]
	}
	d := &Driver{cfg: cfg, path: path, model: m}
	d.link = wire.NewLink("r30x", func() (wire.Port, error) { return open() }, Split, d.identify)
	return d
}

var _ device.FingerScanner = (*Driver)(nil)

// identify verifies the password, reads the system parameters and, where
// the module has it, the product info (image geometry, serial).
func (d *Driver) identify(ctx context.Context) error {
	conf, _, err := d.command(ctx, InsVfyPwd, binary.BigEndian.AppendUint32(nil, d.cfg.Password)...)
	if err != nil {
		return err
	}
	if conf != ConfOK {
		return confError("VfyPwd", conf)
	}
	conf, ret, err := d.command(ctx, InsReadSysPara)
	if err != nil {
		return err
	}
	if conf != ConfOK {
		return confError("ReadSysPara", conf)
	}
	if d.sys, err = ParseSysPara(ret); err != nil {
		return err
	}
	d.prod = nil
	conf, ret, err = d.command(ctx, InsProdInfo)
	if err != nil {
		return err
	}
	if conf == ConfOK {
		pi, err := ParseProdInfo(ret)
		if err != nil {
			return err
		}
		d.prod = &pi
	}
	return nil
}

// command sends one instruction and returns the ACK's confirmation code and
// parameters. Data packets arriving instead of an ACK mean the module is
// still streaming an earlier transfer: they are drained and ErrBusy returned.
func (d *Driver) command(ctx context.Context, ins byte, params ...byte) (byte, []byte, error) {
	op := fmt.Sprintf("r30x: command %#02x", ins)
	frame, err := Command(d.cfg.Address, ins, params...).Encode()
	if err != nil {
		return 0, nil, err
	}
	if err := d.link.Send(frame); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	p, err := d.readPacket(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	switch p.PID {
	case PIDAck:
		if len(p.Payload) == 0 {
			return 0, nil, device.NewProtocolError(op, "empty ACK", nil)
		}
		return p.Payload[0], p.Payload[1:], nil
	case PIDData, PIDEnd:
		if p.PID == PIDData {
			if err := d.drainData(ctx); err != nil && !errors.Is(err, device.ErrTimeout) {
				return 0, nil, fmt.Errorf("%s: %w", op, err)
			}
		}
		return 0, nil, device.Errorf(device.ErrBusy, op, "module still streaming a previous transfer")
	}
	return 0, nil, device.NewProtocolError(op, fmt.Sprintf("unexpected packet id %#02x", p.PID), p.Payload)
}

// readPacket reads the next packet for our address, ignoring others.
func (d *Driver) readPacket(ctx context.Context) (Packet, error) {
	for {
		frame, err := d.link.Next(ctx, d.cfg.Packet)
		if err != nil {
			return Packet{}, err
		}
		p, err := Decode(frame)
		if err != nil {
			return Packet{}, err
		}
		if p.Addr == d.cfg.Address {
			return p, nil
		}
	}
}

func (d *Driver) drainData(ctx context.Context) error {
	for {
		p, err := d.readPacket(ctx)
		if err != nil {
			return err
		}
		if p.PID == PIDEnd {
			return nil
		}
	}
}

// confError maps a confirmation code to a typed error.
func confError(op string, conf byte) error {
	op = "r30x: " + op
	var kind error
	switch conf {
	case ConfNoFinger:
		kind = device.ErrNoFinger
	case ConfImageFail, ConfTooMessy, ConfFewFeatures, ConfNoValidImage:
		return &device.QualityError{Op: op, Reason: map[byte]device.QualityReason{
			ConfImageFail: device.ReasonLow, ConfTooMessy: device.ReasonWet,
			ConfFewFeatures: device.ReasonDry, ConfNoValidImage: device.ReasonLow}[conf]}
	case ConfSensorError, ConfHardwareError, ConfFlashError:
		kind = device.ErrSensorFault
	case ConfTimeout:
		kind = device.ErrTimeout
	case ConfUnsupported:
		kind = device.ErrUnsupported
	default:
		kind = device.ErrProtocol
	}
	return &device.Error{Kind: kind, Op: op, Code: int(conf)}
}

// Geometry returns the image size in use: from ReadProdInfo when the module
// has it, else the model table.
func (d *Driver) Geometry() (w, h int) {
	if d.prod != nil {
		return d.prod.Width, d.prod.Height
	}
	return d.model.Width, d.model.Height
}

// Capture waits for a finger (GenImg polling), uploads the image and checks
// its quality. A slap is ErrUnsupported: these are single-finger sensors.
func (d *Driver) Capture(ctx context.Context, req device.FingerRequest) (*device.FingerCapture, error) {
	if req.Position.IsSlap() {
		return nil, device.Errorf(device.ErrUnsupported, "r30x: capture", "single-finger sensor cannot take a slap")
	}
	var out *device.FingerCapture
	err := d.link.Run(ctx, "capture", func() error {
		c, err := d.captureOnce(ctx, true)
		if err != nil {
			return err
		}
		a, qerr := quality.CheckFinger("r30x: capture", c.Image, req)
		c.Quality, c.Fingers = a.Score, a.Fingers
		out = c
		return qerr
	})
	if err != nil && !errors.Is(err, device.ErrPoorQuality) {
		return nil, err
	}
	return out, err
}

// captureOnce takes one image; wait=true polls GenImg until a finger comes.
func (d *Driver) captureOnce(ctx context.Context, wait bool) (*device.FingerCapture, error) {
	noFinger := func() error {
		e := confError("GenImg", ConfNoFinger).(*device.Error)
		e.Detail = "no finger before the deadline"
		return e
	}
	for polls := 0; ; polls++ {
		conf, _, err := d.command(ctx, InsGenImg)
		if err != nil {
			if polls > 0 && ctx.Err() != nil {
				// The module kept answering "no finger" until the deadline.
				return nil, noFinger()
			}
			return nil, err
		}
		if conf == ConfOK {
			break
		}
		if conf != ConfNoFinger {
			return nil, confError("GenImg", conf)
		}
		if !wait {
			return nil, confError("GenImg", conf)
		}
		t := time.NewTimer(d.cfg.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, noFinger()
		case <-t.C:
		}
	}
	return d.upImage(ctx)
}

// upImage uploads the image buffer (UpImage, then data packets to the end
// packet) and expands the 4-bit pixels.
func (d *Driver) upImage(ctx context.Context) (*device.FingerCapture, error) {
	conf, _, err := d.command(ctx, InsUpImage)
	if err != nil {
		return nil, err
	}
	if conf != ConfOK {
		return nil, confError("UpImage", conf)
	}
	w, h := d.Geometry()
	want := w * h / 2
	raw := make([]byte, 0, want)
	for {
		p, err := d.readPacket(ctx)
		if err != nil {
			return nil, fmt.Errorf("r30x: UpImage data (%d of %d bytes): %w", len(raw), want, err)
		}
		if p.PID != PIDData && p.PID != PIDEnd {
			return nil, device.NewProtocolError("r30x: UpImage", fmt.Sprintf("packet id %#02x in data stream", p.PID), p.Payload)
		}
		if len(raw)+len(p.Payload) > want {
			return nil, device.NewProtocolError("r30x: UpImage", fmt.Sprintf("image longer than %d bytes", want), p.Payload)
		}
		raw = append(raw, p.Payload...)
		if p.PID == PIDEnd {
			break
		}
	}
	if len(raw) != want {
		return nil, device.NewProtocolError("r30x: UpImage", fmt.Sprintf("image of %d bytes, want %d for %dx%d", len(raw), want, w, h), nil)
	}
	img := &image.Gray{Pix: Unpack4(raw), Stride: w, Rect: image.Rect(0, 0, w, h)}
	return &device.FingerCapture{Image: img, DPI: d.model.DPI, Raw: raw}, nil
}

// Preview streams images while a finger is on the sensor (GenImg +
// UpImage in a loop; no-finger polls produce no frame).
func (d *Driver) Preview(ctx context.Context, each func(device.Frame) error) error {
	return d.link.Run(ctx, "preview", func() error {
		for seq := 0; ; {
			if ctx.Err() != nil {
				return nil
			}
			c, err := d.captureOnce(ctx, false)
			if errors.Is(err, device.ErrNoFinger) {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(d.cfg.Poll):
				}
				continue
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			seq++
			if err := each(device.Frame{Seq: seq, Time: time.Now(), Image: c.Image}); err != nil {
				return err
			}
		}
	})
}

// Info identifies the module (model and serial from ReadProdInfo when
// available, else the configured model).
func (d *Driver) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := d.link.Run(ctx, "info", func() error {
		info = device.Info{Kind: device.KindFinger, Driver: "r30x", Vendor: "ZhianTec/Grow",
			Model: d.model.Name, Transport: "serial", Path: d.path,
			Firmware: fmt.Sprintf("sysid %d, %d-byte packets", d.sys.SystemID, d.sys.PacketSize())}
		if d.prod != nil {
			info.Model = d.prod.Model
			info.Serial = d.prod.Serial
			info.Firmware = fmt.Sprintf("hw %d.%d", d.prod.HWVersion>>8, d.prod.HWVersion&0xFF)
			if conf, ret, err := d.command(ctx, InsGetFwVer); err == nil && conf == ConfOK {
				info.Firmware = strings.TrimRight(string(ret), "\x00")
			}
		}
		return nil
	})
	return info, err
}

// SelfTest checks the link (VfyPwd round trip), the sensor (CheckSensor
// where supported) and the template count against capacity.
func (d *Driver) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := d.link.Run(ctx, "selftest", func() error {
		t0 := time.Now()
		conf, _, err := d.command(ctx, InsVfyPwd, binary.BigEndian.AppendUint32(nil, d.cfg.Password)...)
		if err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("link", conf == ConfOK, fmt.Sprintf("VfyPwd %#02x in %s", conf, h.RTT.Round(time.Microsecond)))
		w, hh := d.Geometry()
		h.Add("geometry", w > 0 && hh > 0, fmt.Sprintf("%dx%d, %d-byte packets", w, hh, d.sys.PacketSize()))
		if d.prod != nil {
			conf, _, err := d.command(ctx, InsCheckSensor)
			if err != nil {
				return err
			}
			h.Add("sensor", conf == ConfOK, fmt.Sprintf("CheckSensor %#02x", conf))
		}
		conf, ret, err := d.command(ctx, InsTemplateNum)
		if err != nil {
			return err
		}
		if conf == ConfOK && len(ret) >= 2 {
			n := int(binary.BigEndian.Uint16(ret))
			h.Add("templates", n <= int(d.sys.Capacity), fmt.Sprintf("%d of %d", n, d.sys.Capacity))
		}
		return nil
	})
	return h, err
}

// Close releases the port; later calls fail with ErrDisconnected.
func (d *Driver) Close() error { return d.link.Close() }
