// Package isdv4 simulates a Wacom ISDV4 serial digitiser: it answers the
// query, and while started streams a synthetic signature as pen packets
// (device/isdv4 codec) at the digitiser's report rate.
package isdv4

import (
	"context"
	"sync"
	"time"

	proto "github.com/rekam-ktp/rekam/device/isdv4"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
)

// Tablet size reported by the query (26 × 16 cm at 100 points/mm).
const (
	MaxX, MaxY, MaxPressure = 26000, 16000, 1023
)

// Options configure the simulated digitiser.
type Options struct {
	Source   biosrc.Source
	Identity uint64
	// Speed scales time (1 = real time; tests use more).
	Speed float64
}

// Engine is the device side of one digitiser.
type Engine struct {
	opt    Options
	Faults fault.Set

	mu         sync.Mutex
	impression int
	sent       int
}

// New returns an engine.
func New(opt Options) *Engine {
	if opt.Source == nil {
		opt.Source = biosrc.Pattern{}
	}
	if opt.Speed <= 0 {
		opt.Speed = 1
	}
	return &Engine{opt: opt}
}

// Sent counts pen packets sent.
func (e *Engine) Sent() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sent
}

// PowerOn does nothing: the digitiser waits for commands.
func (e *Engine) PowerOn(c host.Conn) {}

// Serve reads command bytes and streams pen packets while started.
func (e *Engine) Serve(ctx context.Context, c host.Conn) error {
	buf := make([]byte, 64)
	var (
		started bool
		samples []biosrc.PenSample
		t0      time.Time
		next    int
	)
	for ctx.Err() == nil {
		_ = c.SetReadTimeout(2 * time.Millisecond)
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		for _, b := range buf[:n] {
			switch b {
			case proto.CmdStop:
				started = false
			case proto.CmdStart:
				if !started {
					started = true
					e.mu.Lock()
					e.impression++
					imp := e.impression
					e.mu.Unlock()
					samples, next, t0 = e.opt.Source.Signature(e.opt.Identity, imp), 0, time.Now()
				}
			case proto.CmdQuery:
				if e.Faults.Take(fault.Timeout) {
					continue
				}
				q := proto.Pen{X: MaxX, Y: MaxY, Pressure: MaxPressure, TiltX: 60, TiltY: 60}.Encode(true)
				if _, err := c.Write(e.mangle(q)); err != nil {
					return err
				}
			}
		}
		if !started {
			continue
		}
		elapsed := time.Duration(float64(time.Since(t0)) * e.opt.Speed)
		for next < len(samples) && samples[next].T <= elapsed {
			s := samples[next]
			next++
			if next == len(samples)/2 && e.Faults.Take(fault.Unplug) {
				return host.ErrUnplug
			}
			p := proto.Pen{Ready: true, Tip: s.PenDown, X: int(s.X * proto.PointsPerMM), Y: int(s.Y * proto.PointsPerMM),
				Pressure: int(s.Pressure * MaxPressure)}
			if _, err := c.Write(e.mangle(p.Encode(false))); err != nil {
				return err
			}
			e.mu.Lock()
			e.sent++
			e.mu.Unlock()
		}
		if next == len(samples) {
			// Pen leaves proximity; the next start replays a new impression.
			if _, err := c.Write(proto.Pen{}.Encode(false)); err != nil {
				return err
			}
			next++
		}
	}
	return ctx.Err()
}

// mangle applies the line faults: a corrupted byte (ISDV4 has no checksum:
// corruption shows as a byte with bit 7 set inside a packet) or a cut packet.
func (e *Engine) mangle(b []byte) []byte {
	if e.Faults.Take(fault.BadChecksum) {
		b = append([]byte(nil), b...)
		b[4] |= 0x80
	}
	if e.Faults.Take(fault.Truncated) {
		b = append(b[:len(b)/2:len(b)/2], proto.Pen{}.Encode(false)...)
	}
	return b
}
