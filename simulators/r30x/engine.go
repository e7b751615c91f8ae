// Package r30x simulates a module of the R30x / ZFM-20 / AS608 / R503
// family: it answers the driver's packets with the same codec
// (device/r30x), keeps the module's state (address filter, password,
// system parameters, image buffer) and produces scripted faults.
package r30x

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	proto "github.com/rekam-ktp/rekam/device/r30x"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
)

// Options configure a simulated module.
type Options struct {
	Model    string        // key of r30x.Models (default "r307")
	Address  uint32        // 0 means the default 0xFFFFFFFF
	Password uint32        // factory default 0
	Source   biosrc.Source // nil means biosrc.Pattern{}
	Identity uint64        // whose finger is on the sensor
	Finger   int           // which finger (1..10)
	// PlacePolls is how many GenImg polls answer "no finger" before each
	// image, as when a finger is being placed (default 1; -1 for none).
	PlacePolls int
	Serial     string
}

// Engine is the device side of one module.
type Engine struct {
	opt    Options
	model  proto.Model
	Faults fault.Set

	finger *biosrc.Placement

	mu       sync.Mutex
	verified bool
	img      []byte // 8-bit image buffer, nil until GenImg
	pktCode  uint16
	baudN    uint16
	commands int
}

// New returns an engine with a finger present.
func New(opt Options) *Engine {
	if opt.Model == "" {
		opt.Model = "r307"
	}
	if opt.Address == 0 {
		opt.Address = proto.DefaultAddress
	}
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
		opt.Serial = fmt.Sprintf("SIM%05d", opt.Identity%100000)
	}
	m, ok := proto.Models[opt.Model]
	if !ok {
		m = proto.Models["r307"]
	}
	return &Engine{opt: opt, model: m, finger: biosrc.NewPlacement(opt.Identity, opt.Finger, opt.PlacePolls), pktCode: 2, baudN: 6}
}

// Model returns the simulated module's model.
func (e *Engine) Model() proto.Model { return e.model }

// Finger is the finger on the sensor (put down, lift, change identity).
func (e *Engine) Finger() *biosrc.Placement { return e.finger }

// Commands counts commands answered.
func (e *Engine) Commands() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.commands
}

// PowerOn resets the volatile state; an R503 sends its 0x55.
func (e *Engine) PowerOn(c host.Conn) {
	e.mu.Lock()
	e.verified = false
	e.img = nil
	e.mu.Unlock()
	if e.model.PowerOn55 {
		_, _ = c.Write([]byte{proto.PowerOnByte})
	}
}

// Serve answers commands until the link closes or ctx ends.
func (e *Engine) Serve(ctx context.Context, c host.Conn) error {
	return host.ServeFrames(ctx, c, proto.Split, "r30x-sim",
		func([]byte) error { return e.ack(c, proto.ConfPacketError) }, // corrupted command
		func(frame []byte) error {
			p, err := proto.Decode(frame)
			if err != nil || p.Addr != e.opt.Address || p.PID != proto.PIDCommand || len(p.Payload) == 0 {
				return nil // another module's packet, or not a command: silence
			}
			return e.handle(c, p.Payload[0], p.Payload[1:])
		})
}

// send writes one packet, applying the bad-checksum and truncation faults.
func (e *Engine) send(c host.Conn, pid byte, payload []byte) error {
	b, err := proto.Packet{Addr: e.opt.Address, PID: pid, Payload: payload}.Encode()
	if err != nil {
		return err
	}
	if e.Faults.Take(fault.BadChecksum) {
		b[len(b)-1] ^= 0x5A
	}
	if e.Faults.Take(fault.Truncated) {
		b = b[:len(b)/2]
	}
	_, err = c.Write(b)
	return err
}

func (e *Engine) ack(c host.Conn, conf byte, ret ...byte) error {
	return e.send(c, proto.PIDAck, append([]byte{conf}, ret...))
}

func (e *Engine) handle(c host.Conn, ins byte, params []byte) error {
	e.mu.Lock()
	e.commands++
	verified := e.verified
	e.mu.Unlock()
	if e.Faults.Take(fault.Timeout) {
		return nil // the module stays silent
	}
	if e.Faults.Take(fault.Busy) {
		// Still streaming an earlier upload: leftover data packets and the
		// end packet instead of this command's answer.
		for i := 0; i < 3; i++ {
			if err := e.send(c, proto.PIDData, make([]byte, e.packetSize())); err != nil {
				return err
			}
		}
		return e.send(c, proto.PIDEnd, make([]byte, e.packetSize()))
	}
	if ins != proto.InsVfyPwd && ins != proto.InsHandShake && !verified {
		return e.ack(c, proto.ConfMustVerify)
	}
	switch ins {
	case proto.InsVfyPwd:
		if len(params) != 4 || binary.BigEndian.Uint32(params) != e.opt.Password {
			return e.ack(c, proto.ConfWrongPassword)
		}
		e.mu.Lock()
		e.verified = true
		e.mu.Unlock()
		return e.ack(c, proto.ConfOK)
	case proto.InsHandShake:
		return e.ack(c, proto.ConfOK)
	case proto.InsReadSysPara:
		e.mu.Lock()
		sp := proto.SysPara{SystemID: 9, Capacity: uint16(e.model.Capacity), Security: 3,
			Address: e.opt.Address, PacketSizeCode: e.pktCode, BaudN: e.baudN}
		e.mu.Unlock()
		return e.ack(c, proto.ConfOK, sp.Encode()...)
	case proto.InsSetSysPara:
		if len(params) != 2 {
			return e.ack(c, proto.ConfPacketError)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		switch params[0] {
		case 4:
			e.baudN = uint16(params[1])
		case 6:
			e.pktCode = uint16(params[1] & 3)
		default:
			return e.ack(c, proto.ConfInvalidReg)
		}
		return e.ack(c, proto.ConfOK)
	case proto.InsProdInfo:
		if !e.model.HasProdInfo {
			return e.ack(c, proto.ConfUnsupported)
		}
		pi := proto.ProdInfo{Model: e.model.Name, Batch: "SIM", Serial: e.opt.Serial, HWVersion: 0x0100,
			Sensor: "SIM", Width: e.model.Width, Height: e.model.Height, TemplateSize: 1536, DBSize: e.model.Capacity}
		return e.ack(c, proto.ConfOK, pi.Encode()...)
	case proto.InsGetFwVer:
		if !e.model.HasProdInfo {
			return e.ack(c, proto.ConfUnsupported)
		}
		return e.ack(c, proto.ConfOK, []byte("SIM-1.0")...)
	case proto.InsCheckSensor:
		if !e.model.HasProdInfo {
			return e.ack(c, proto.ConfUnsupported)
		}
		if e.Faults.Take(fault.SensorFault) {
			return e.ack(c, proto.ConfSensorError)
		}
		return e.ack(c, proto.ConfOK)
	case proto.InsTemplateNum:
		return e.ack(c, proto.ConfOK, 0, 0)
	case proto.InsSoftReset:
		if err := e.ack(c, proto.ConfOK); err != nil {
			return err
		}
		e.PowerOn(c)
		return nil
	case proto.InsGenImg, proto.InsGetImageEx:
		return e.genImg(c)
	case proto.InsUpImage:
		return e.upImage(c)
	}
	return e.ack(c, proto.ConfUnsupported)
}

func (e *Engine) packetSize() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return 32 << e.pktCode
}

func (e *Engine) genImg(c host.Conn) error {
	if e.Faults.Take(fault.SensorFault) {
		return e.ack(c, proto.ConfSensorError)
	}
	if !e.finger.Poll() {
		return e.ack(c, proto.ConfNoFinger)
	}
	id, finger, imp := e.finger.Take()
	opts := biosrc.FaultOptions(&e.Faults, 1)
	img := biosrc.Fit(e.opt.Source.Finger(id, finger, imp, opts), e.model.Width, e.model.Height)
	e.mu.Lock()
	e.img = img.Pix
	e.mu.Unlock()
	return e.ack(c, proto.ConfOK)
}

// Image returns the current image buffer as the module holds it (4-bit).
func (e *Engine) Image() *image.Gray {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.img == nil {
		return nil
	}
	return &image.Gray{Pix: proto.Unpack4(proto.Pack4(e.img)), Stride: e.model.Width, Rect: image.Rect(0, 0, e.model.Width, e.model.Height)}
}

func (e *Engine) upImage(c host.Conn) error {
	e.mu.Lock()
	img := e.img
	e.mu.Unlock()
	if img == nil {
		return e.ack(c, proto.ConfUploadFail)
	}
	if err := e.ack(c, proto.ConfOK); err != nil {
		return err
	}
	data := proto.Pack4(img)
	size := e.packetSize()
	unplugAt := -1
	if e.Faults.Take(fault.Unplug) {
		unplugAt = len(data) / 2
	}
	for off := 0; off < len(data); off += size {
		if unplugAt >= 0 && off >= unplugAt {
			return host.ErrUnplug
		}
		end := min(off+size, len(data))
		pid := byte(proto.PIDData)
		if end == len(data) {
			pid = proto.PIDEnd
		}
		if err := e.send(c, pid, data[off:end]); err != nil {
			return err
		}
	}
	return nil
}
