// Package vcom5s simulates a USB reader speaking the vcom5s protocol (see
// device/vcom5s) as a usbfake engine, with scripted faults.
package vcom5s

import (
	"context"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
	proto "github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
)

// Engine is the device side of one reader.
type Engine struct {
	Model  proto.Model
	Faults fault.Set
	src    biosrc.Source
	finger *biosrc.Placement

	mu     sync.Mutex
	regs   map[uint8]uint16
	chunks [][]byte // remaining bulk transfers of the current scan
	last   []byte
	// slap and slapCount are the hand placed on a slap reader (PlaceHand).
	slap      device.Finger
	slapCount int
}

// New returns an engine for model m with a finger of identity present.
func New(m proto.Model, identity uint64, src biosrc.Source) *Engine {
	if src == nil {
		src = biosrc.Pattern{}
	}
	return &Engine{Model: m, src: src, finger: biosrc.NewPlacement(identity, int(device.RightIndex), 1), regs: map[uint8]uint16{}}
}

var _ usbfake.Engine = (*Engine)(nil)

// Finger is the finger on the sensor.
func (e *Engine) Finger() *biosrc.Placement { return e.finger }

// Last returns the last complete image sent.
func (e *Engine) Last() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.last
}

// Reset clears registers and any scan in progress.
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.regs = map[uint8]uint16{}
	e.chunks = nil
}

// Control handles register writes and the scan command.
func (e *Engine) Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error) {
	if e.Faults.Take(fault.Busy) {
		return 0, device.Errorf(device.ErrBusy, "usb control", "device or resource busy")
	}
	switch {
	case rType == transport.ReqVendorOut && (request == proto.RegContrast || request == proto.RegGain):
		e.mu.Lock()
		e.regs[request] = value
		e.mu.Unlock()
		return 0, nil
	case rType == transport.ReqVendorIn && request == proto.CmdScan:
		e.startScan()
		return 0, nil
	}
	return 0, device.Errorf(device.ErrProtocol, "usb control", "stall: request %02x/%02x", rType, request)
}

func (e *Engine) frame() []byte {
	m := e.Model
	if e.Faults.Take(fault.SensorFault) {
		return make([]byte, m.Width*m.Height) // dead sensor: black
	}
	if !e.finger.Poll() {
		blank := make([]byte, m.Width*m.Height)
		for i := range blank {
			blank[i] = 250
		}
		blank[0] = 251 // an empty platen still has some noise
		return blank
	}
	id, finger, imp := e.finger.Take()
	n := 1
	if m.Slap {
		finger, n = e.hand(finger)
	}
	opts := biosrc.FaultOptions(&e.Faults, n)
	return biosrc.Fit(e.src.Finger(id, finger, imp, opts), m.Width, m.Height).Pix
}

func (e *Engine) startScan() {
	pix := e.frame()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.last = pix
	e.chunks = nil
	for off := 0; off < len(pix); off += e.Model.Chunk {
		e.chunks = append(e.chunks, pix[off:off+e.Model.Chunk])
	}
}

// Read returns the next bulk chunk of the scan.
func (e *Engine) Read(ctx context.Context, ep uint8, buf []byte) (int, error) {
	if ep != proto.EPImage {
		return 0, device.Errorf(device.ErrProtocol, "usb read", "stall: no endpoint %#02x", ep)
	}
	if e.Faults.Take(fault.Timeout) {
		<-ctx.Done()
		return 0, ctx.Err()
	}
	e.mu.Lock()
	if len(e.chunks) == 0 {
		e.mu.Unlock()
		<-ctx.Done() // nothing to send: the host's read times out
		return 0, ctx.Err()
	}
	if len(e.chunks) == e.Model.Chunks()/2 && e.Faults.Take(fault.Unplug) {
		e.mu.Unlock()
		return 0, usbfake.ErrUnplug
	}
	c := e.chunks[0]
	e.chunks = e.chunks[1:]
	e.mu.Unlock()
	if e.Faults.Take(fault.BadChecksum) {
		// USB checks CRCs in hardware: a corrupted packet is an I/O error.
		return 0, device.Errorf(device.ErrProtocol, "usb read", "i/o error (CRC)")
	}
	if e.Faults.Take(fault.Truncated) {
		c = c[:len(c)/2]
	}
	if len(buf) < len(c) {
		return 0, device.Errorf(device.ErrProtocol, "usb read", "overflow: %d-byte buffer for %d bytes", len(buf), len(c))
	}
	return copy(buf, c), nil
}

// Write is not used by this protocol.
func (e *Engine) Write(ctx context.Context, ep uint8, data []byte) (int, error) {
	return 0, device.Errorf(device.ErrProtocol, "usb write", "stall: no OUT endpoint %#02x", ep)
}
