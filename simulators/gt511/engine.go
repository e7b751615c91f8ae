// Package gt511 simulates an ADH-Tech GT-511C3 fingerprint module with the
// driver's own codec (device/gt511), including scripted faults.
package gt511

import (
	"context"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	proto "github.com/rekam-ktp/rekam/device/gt511"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
)

// Options configure a simulated module.
type Options struct {
	Source     biosrc.Source // nil means biosrc.Pattern{}
	Identity   uint64
	Finger     int
	PlacePolls int // (-1: none) IsPressFinger answers "not pressed" this many times before each capture (default 1)
	Serial     string
}

// Engine is the device side of one GT-511C3.
type Engine struct {
	opt    Options
	Faults fault.Set

	finger *biosrc.Placement

	mu     sync.Mutex
	opened bool
	led    bool
	img    []byte // 202×258 after CaptureFinger
}

// New returns an engine with a finger present.
func New(opt Options) *Engine {
	if opt.Source == nil {
		opt.Source = biosrc.Pattern{}
	}
	if opt.Finger == 0 {
		opt.Finger = int(device.RightIndex)
	}
	if opt.PlacePolls == 0 {
		opt.PlacePolls = 1
	}
	if opt.PlacePolls < 0 {
		opt.PlacePolls = 0 // finger settled at once (benchmarks)
	}
	if opt.Serial == "" {
		opt.Serial = "SIM-GT511C3"
	}
	return &Engine{opt: opt, finger: biosrc.NewPlacement(opt.Identity, opt.Finger, opt.PlacePolls)}
}

// Finger is the finger on the sensor (put down, lift, change identity).
func (e *Engine) Finger() *biosrc.Placement { return e.finger }

// Image returns the last captured image bytes (nil before any capture).
func (e *Engine) Image() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.img
}

// PowerOn resets the module state (it answers at 9600 baud after reset).
func (e *Engine) PowerOn(c host.Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.opened, e.led, e.img = false, false, nil
}

// Serve answers commands until the link closes or ctx ends.
func (e *Engine) Serve(ctx context.Context, c host.Conn) error {
	return host.ServeFrames(ctx, c, proto.Split, "gt511-sim",
		func([]byte) error { return e.reply(c, proto.Nack, proto.NackCommErr) },
		func(frame []byte) error {
			p, err := proto.Decode(frame)
			if err != nil {
				return nil
			}
			return e.handle(c, p)
		})
}

func (e *Engine) write(c host.Conn, b []byte) error {
	if e.Faults.Take(fault.BadChecksum) {
		b[len(b)-1] ^= 0x5A
	}
	if e.Faults.Take(fault.Truncated) {
		b = b[:len(b)/2]
	}
	_, err := c.Write(b)
	return err
}

func (e *Engine) reply(c host.Conn, code uint16, param uint32) error {
	return e.write(c, proto.Packet{DevID: proto.DefaultDevID, Param: param, Cmd: code}.Encode())
}

func (e *Engine) handle(c host.Conn, p proto.Packet) error {
	if e.Faults.Take(fault.Timeout) {
		return nil
	}
	if e.Faults.Take(fault.Busy) {
		// Still sending the previous preview frame.
		_, err := c.Write(proto.EncodeData(proto.DefaultDevID, make([]byte, 512)))
		return err
	}
	e.mu.Lock()
	opened := e.opened
	e.mu.Unlock()
	if !opened && p.Cmd != proto.CmdOpen {
		return e.reply(c, proto.Nack, proto.NackCommErr)
	}
	switch p.Cmd {
	case proto.CmdOpen:
		e.mu.Lock()
		e.opened = true
		e.mu.Unlock()
		if err := e.reply(c, proto.Ack, 0); err != nil || p.Param == 0 {
			return err
		}
		var info proto.DevInfo
		info.Firmware = 0x20120405
		info.ISOAreaMax = 0x1C00
		copy(info.Serial[:], e.opt.Serial)
		return e.write(c, proto.EncodeData(proto.DefaultDevID, info.Encode()))
	case proto.CmdClose:
		e.mu.Lock()
		e.opened = false
		e.mu.Unlock()
		return e.reply(c, proto.Ack, 0)
	case proto.CmdCmosLed:
		e.mu.Lock()
		e.led = p.Param != 0
		e.mu.Unlock()
		return e.reply(c, proto.Ack, 0)
	case proto.CmdChangeBaud, proto.CmdGetEnrollCnt:
		return e.reply(c, proto.Ack, 0)
	case proto.CmdIsPressFinger:
		e.mu.Lock()
		led := e.led
		e.mu.Unlock()
		if led && e.finger.Poll() {
			return e.reply(c, proto.Ack, 0)
		}
		return e.reply(c, proto.Ack, 1)
	case proto.CmdCaptureFinger:
		return e.capture(c)
	case proto.CmdGetImage:
		return e.sendImage(c)
	case proto.CmdGetRawImage:
		return e.sendRaw(c)
	}
	return e.reply(c, proto.Nack, proto.NackInvalidParam)
}

func (e *Engine) capture(c host.Conn) error {
	if e.Faults.Take(fault.SensorFault) {
		return e.reply(c, proto.Nack, proto.NackDevErr)
	}
	e.mu.Lock()
	led := e.led
	e.mu.Unlock()
	if !led || !e.finger.Present() {
		return e.reply(c, proto.Nack, proto.NackFingerNotPress)
	}
	id, finger, imp := e.finger.Take()
	opts := biosrc.FaultOptions(&e.Faults, 1)
	img := biosrc.Fit(e.opt.Source.Finger(id, finger, imp, opts), proto.ImageW, proto.ImageH)
	e.mu.Lock()
	e.img = img.Pix
	e.mu.Unlock()
	return e.reply(c, proto.Ack, 0)
}

func (e *Engine) sendImage(c host.Conn) error {
	img := e.Image()
	if img == nil {
		return e.reply(c, proto.Nack, proto.NackInvalidParam)
	}
	if err := e.reply(c, proto.Ack, 0); err != nil {
		return err
	}
	pkt := proto.EncodeData(proto.DefaultDevID, img)
	if e.Faults.Take(fault.Unplug) {
		if _, err := c.Write(pkt[:len(pkt)/2]); err != nil {
			return err
		}
		return host.ErrUnplug
	}
	return e.write(c, pkt)
}

// sendRaw sends a 160×120 preview of what is on the sensor.
func (e *Engine) sendRaw(c host.Conn) error {
	present := e.finger.Present()
	id, finger := e.finger.Who()
	raw := make([]byte, proto.RawW*proto.RawH)
	if present {
		raw = biosrc.Fit(e.opt.Source.Finger(id, finger, 0, biosrc.FingerOptions{}), proto.RawW, proto.RawH).Pix
	} else {
		for i := range raw {
			raw[i] = 255
		}
	}
	if err := e.reply(c, proto.Ack, 0); err != nil {
		return err
	}
	return e.write(c, proto.EncodeData(proto.DefaultDevID, raw))
}
