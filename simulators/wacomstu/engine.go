// Package wacomstu simulates a Wacom STU pad on the usbfake bus: a feature
// report map answering GET/SET_REPORT, and pen reports from a synthetic
// signature on the interrupt endpoint at 200 reports per second.
package wacomstu

import (
	"context"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/device"
	proto "github.com/rekam-ktp/rekam/device/wacomstu"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
)

// Engine is the device side of one pad.
type Engine struct {
	Model  proto.Model
	Faults fault.Set
	src    biosrc.Source
	id     uint64
	speed  float64

	mu         sync.Mutex
	mode       byte
	clears     int
	impression int
	pending    []proto.Pen
	t0         time.Time
}

// New returns a pad of model m; speed scales time (1 = real time).
func New(m proto.Model, identity uint64, src biosrc.Source, speed float64) *Engine {
	if src == nil {
		src = biosrc.Pattern{}
	}
	if speed <= 0 {
		speed = 1
	}
	return &Engine{Model: m, src: src, id: identity, speed: speed}
}

var _ usbfake.Engine = (*Engine)(nil)

// Clears counts clear-screen requests.
func (e *Engine) Clears() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clears
}

// Reset clears the state at plug.
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mode, e.pending = 0, nil
}

// Control answers feature GET_REPORT and SET_REPORT.
func (e *Engine) Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error) {
	if e.Faults.Take(fault.Busy) {
		return 0, device.Errorf(device.ErrBusy, "usb control", "device or resource busy")
	}
	if e.Faults.Take(fault.Timeout) {
		<-ctx.Done()
		return 0, ctx.Err()
	}
	id := byte(value)
	c := e.Model.Caps
	switch {
	case rType == 0xA1 && request == 0x01: // GET_REPORT
		var b []byte
		switch id {
		case proto.ReportCapability:
			b = proto.Capability{MaxX: c.MaxX, MaxY: c.MaxY, MaxPressure: c.MaxPressure, ScreenW: c.ScreenW, ScreenH: c.ScreenH, Refresh: 60}.Encode()
		case proto.ReportInfo:
			b = proto.Info{Model: e.Model.Name, Firmware: [4]byte{1, 2, 3, 4}}.Encode()
		default:
			return 0, device.Errorf(device.ErrProtocol, "usb control", "stall: no feature %#02x", id)
		}
		return copy(data, b), nil
	case rType == 0x21 && request == 0x09: // SET_REPORT
		e.mu.Lock()
		defer e.mu.Unlock()
		switch id {
		case proto.ReportWritingMode:
			if len(data) > 1 {
				e.mode = data[1]
			}
			e.startSignature()
		case proto.ReportClearScreen:
			e.clears++
		case proto.ReportInkingMode:
		default:
			return 0, device.Errorf(device.ErrProtocol, "usb control", "stall: no feature %#02x", id)
		}
		return len(data), nil
	}
	return 0, device.Errorf(device.ErrProtocol, "usb control", "stall: request %02x/%02x", rType, request)
}

// startSignature queues the next impression's reports (mu held).
func (e *Engine) startSignature() {
	e.impression++
	c := e.Model.Caps
	e.pending = nil
	// Signing area: 100 × 60 mm mapped onto the tablet.
	for i, s := range e.src.Signature(e.id, e.impression) {
		e.pending = append(e.pending, proto.Pen{Ready: true, Tip: s.PenDown, Pressure: int(s.Pressure * float64(c.MaxPressure)),
			X: int(s.X / 100 * float64(c.MaxX)), Y: int(s.Y / 60 * float64(c.MaxY)),
			Timed: e.mode == 1, Time: int(s.T / time.Millisecond), Seq: i + 1})
	}
	e.pending = append(e.pending, proto.Pen{Timed: e.mode == 1, Seq: len(e.pending) + 1})
	e.t0 = time.Now()
}

// Read returns the next pen report when its time has come.
func (e *Engine) Read(ctx context.Context, ep uint8, buf []byte) (int, error) {
	if ep != proto.EPPen {
		return 0, device.Errorf(device.ErrProtocol, "usb read", "stall: no endpoint %#02x", ep)
	}
	for {
		e.mu.Lock()
		if len(e.pending) == 0 {
			e.mu.Unlock()
			<-ctx.Done() // no pen: an interrupt endpoint just NAKs
			return 0, ctx.Err()
		}
		p := e.pending[0]
		due := e.t0.Add(time.Duration(float64(time.Duration(p.Time)*time.Millisecond) / e.speed))
		if wait := time.Until(due); wait > 0 {
			e.mu.Unlock()
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(wait):
			}
			continue
		}
		e.pending = e.pending[1:]
		half := p.Seq == 60
		e.mu.Unlock()
		if half && e.Faults.Take(fault.Unplug) {
			return 0, usbfake.ErrUnplug
		}
		b := p.Encode()
		if e.Faults.Take(fault.BadChecksum) {
			return 0, device.Errorf(device.ErrProtocol, "usb read", "i/o error (CRC)")
		}
		if e.Faults.Take(fault.Truncated) {
			b = b[:3]
		}
		return copy(buf, b), nil
	}
}

// Write is not used by the pad.
func (e *Engine) Write(ctx context.Context, ep uint8, data []byte) (int, error) {
	return 0, device.Errorf(device.ErrProtocol, "usb write", "stall: no OUT endpoint %#02x", ep)
}
