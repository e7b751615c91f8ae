package gt511

import (
	"context"
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
	Baud   int           // 0 means 9600 (the rate after reset)
	DevID  uint16        // 0 means 1
	Packet time.Duration // per-packet read timeout (default 1 s)
	Poll   time.Duration // IsPressFinger polling interval (default 50 ms)
}

func (c Config) withDefaults() Config {
	if c.Baud == 0 {
		c.Baud = 9600
	}
	if c.DevID == 0 {
		c.DevID = DefaultDevID
	}
	if c.Packet == 0 {
		c.Packet = time.Second
	}
	if c.Poll == 0 {
		c.Poll = 50 * time.Millisecond
	}
	return c
}

// Driver is a device.FingerScanner for one GT-511C3.
type Driver struct {
	cfg  Config
	path string
	link *wire.Link
	info DevInfo
}

var _ device.FingerScanner = (*Driver)(nil)

// Open returns a driver for the module on the serial port at path.
func Open(path string, cfg Config) *Driver {
	cfg = cfg.withDefaults()
	return New(func() (transport.Port, error) {
		return transport.OpenSerial(path, transport.SerialConfig{Baud: cfg.Baud})
	}, path, cfg)
}

// New returns a driver over any opener; path is only reported in Info.
func New(open func() (transport.Port, error), path string, cfg Config) *Driver {
	d := &Driver{cfg: cfg.withDefaults(), path: path}
	d.link = wire.NewLink("gt511", func() (wire.Port, error) { return open() }, Split, d.identify)
	return d
}

// identify sends Open(1) and reads the device info data packet.
func (d *Driver) identify(ctx context.Context) error {
	if _, err := d.command(ctx, CmdOpen, 1); err != nil {
		return err
	}
	data, err := d.data(ctx, InfoLen)
	if err != nil {
		return err
	}
	d.info, err = ParseDevInfo(data)
	return err
}

// command sends cmd and returns the ACK parameter; a NACK becomes a typed error.
func (d *Driver) command(ctx context.Context, cmd uint16, param uint32) (uint32, error) {
	op := fmt.Sprintf("gt511: command %#02x", cmd)
	if err := d.link.Send(Packet{DevID: d.cfg.DevID, Param: param, Cmd: cmd}.Encode()); err != nil {
		return 0, err
	}
	frame, err := d.link.Next(ctx, d.cfg.Packet)
	if err != nil {
		var pe *device.ProtocolError
		if errors.As(err, &pe) && pe.Reason == ErrUnexpectedData.Error() {
			d.link.Drain(ctx, 50*time.Millisecond)
			return 0, device.Errorf(device.ErrBusy, op, "module still sending an earlier data packet")
		}
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	p, err := Decode(frame)
	if err != nil {
		return 0, err
	}
	switch p.Cmd {
	case Ack:
		return p.Param, nil
	case Nack:
		return 0, nackError(op, p.Param)
	}
	return 0, device.NewProtocolError(op, fmt.Sprintf("response code %#04x", p.Cmd), frame)
}

// data reads a data packet of n bytes.
func (d *Driver) data(ctx context.Context, n int) ([]byte, error) {
	frame, err := d.link.NextWith(ctx, d.cfg.Packet+transferTime(n, d.cfg.Baud), Splitter(n))
	if err != nil {
		return nil, fmt.Errorf("gt511: data packet of %d bytes: %w", n, err)
	}
	if frame[0] == CmdStart1 {
		p, err := Decode(frame)
		if err == nil && p.Cmd == Nack {
			return nil, nackError("gt511: data", p.Param)
		}
		return nil, device.NewProtocolError("gt511: data", "response where data was expected", frame)
	}
	_, b, err := DecodeData(frame)
	return b, err
}

// transferTime is the wire time of n bytes at baud (8N1), with 50% margin.
func transferTime(n, baud int) time.Duration {
	return time.Duration(int64(n)*15) * time.Second / time.Duration(baud)
}

// nackError maps a NACK code to a typed error.
func nackError(op string, code uint32) error {
	var kind error
	switch code {
	case NackFingerNotPress:
		kind = device.ErrNoFinger
	case NackBadFinger:
		return &device.QualityError{Op: op, Reason: device.ReasonLow}
	case NackDevErr:
		kind = device.ErrSensorFault
	case NackTimeout:
		kind = device.ErrTimeout
	default:
		kind = device.ErrProtocol
	}
	return &device.Error{Kind: kind, Op: op, Code: int(code)}
}

// Capture lights the sensor, waits for a finger, captures the best image,
// downloads it (202×258) and checks its quality.
func (d *Driver) Capture(ctx context.Context, req device.FingerRequest) (*device.FingerCapture, error) {
	if req.Position.IsSlap() {
		return nil, device.Errorf(device.ErrUnsupported, "gt511: capture", "single-finger sensor cannot take a slap")
	}
	var out *device.FingerCapture
	err := d.link.Run(ctx, "capture", func() error {
		if _, err := d.command(ctx, CmdCmosLed, 1); err != nil {
			return err
		}
		defer d.ledOff()
		if err := d.waitFinger(ctx); err != nil {
			return err
		}
		if _, err := d.command(ctx, CmdCaptureFinger, 1); err != nil {
			return err
		}
		if _, err := d.command(ctx, CmdGetImage, 0); err != nil {
			return err
		}
		pix, err := d.data(ctx, ImageW*ImageH)
		if err != nil {
			return err
		}
		img := &image.Gray{Pix: pix, Stride: ImageW, Rect: image.Rect(0, 0, ImageW, ImageH)}
		a, qerr := quality.CheckFinger("gt511: capture", img, req)
		out = &device.FingerCapture{Image: img, DPI: 450, Quality: a.Score, Fingers: a.Fingers, Raw: pix}
		return qerr
	})
	if err != nil && !errors.Is(err, device.ErrPoorQuality) {
		return nil, err
	}
	return out, err
}

// ledOff switches the sensor light off, even when the caller's ctx ended.
func (d *Driver) ledOff() {
	c, cancel := context.WithTimeout(context.Background(), d.cfg.Packet)
	defer cancel()
	_, _ = d.command(c, CmdCmosLed, 0)
}

// waitFinger polls IsPressFinger (param 0 = pressed) until ctx ends.
func (d *Driver) waitFinger(ctx context.Context) error {
	for polls := 0; ; polls++ {
		p, err := d.command(ctx, CmdIsPressFinger, 0)
		if err != nil {
			if polls > 0 && ctx.Err() != nil {
				break
			}
			return err
		}
		if p == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(d.cfg.Poll):
			continue
		}
		break
	}
	return &device.Error{Kind: device.ErrNoFinger, Op: "gt511: IsPressFinger", Code: NackFingerNotPress, Detail: "no finger before the deadline"}
}

// Preview streams the 160×120 raw frames (GetRawImage) until ctx ends.
func (d *Driver) Preview(ctx context.Context, each func(device.Frame) error) error {
	return d.link.Run(ctx, "preview", func() error {
		if _, err := d.command(ctx, CmdCmosLed, 1); err != nil {
			return err
		}
		defer d.ledOff()
		for seq := 1; ctx.Err() == nil; seq++ {
			if _, err := d.command(ctx, CmdGetRawImage, 0); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			pix, err := d.data(ctx, RawW*RawH)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			img := &image.Gray{Pix: pix, Stride: RawW, Rect: image.Rect(0, 0, RawW, RawH)}
			if err := each(device.Frame{Seq: seq, Time: time.Now(), Image: img}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Info reports the firmware and serial read at Open.
func (d *Driver) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := d.link.Run(ctx, "info", func() error {
		info = device.Info{Kind: device.KindFinger, Driver: "gt511", Vendor: "ADH-Tech", Model: "GT-511C3",
			Serial:    strings.ToUpper(fmt.Sprintf("%X", d.info.Serial[:])),
			Firmware:  fmt.Sprintf("%08X", d.info.Firmware),
			Transport: "serial", Path: d.path}
		return nil
	})
	return info, err
}

// SelfTest checks the link (Open round trip), the LED and the enroll count.
func (d *Driver) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := d.link.Run(ctx, "selftest", func() error {
		t0 := time.Now()
		_, err := d.command(ctx, CmdOpen, 0)
		if err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("link", true, fmt.Sprintf("Open in %s", h.RTT.Round(time.Microsecond)))
		_, err = d.command(ctx, CmdCmosLed, 1)
		h.Add("led", err == nil, fmt.Sprint("CmosLed on: ", errString(err)))
		_, _ = d.command(ctx, CmdCmosLed, 0)
		n, err := d.command(ctx, CmdGetEnrollCnt, 0)
		h.Add("templates", err == nil, fmt.Sprintf("%d enrolled (%s)", n, errString(err)))
		return nil
	})
	return h, err
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// Close releases the port.
func (d *Driver) Close() error { return d.link.Close() }
