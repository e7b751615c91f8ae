package biosrc

import (
	"sync"

	"github.com/rekam-ktp/rekam/simulators/fault"
)

// Placement is the finger on a simulated sensor: whose finger, whether it
// is down, and how many polls it takes to settle before each impression.
type Placement struct {
	mu         sync.Mutex
	present    bool
	polls      int
	pending    int
	identity   uint64
	finger     int
	impression int
}

// NewPlacement returns a finger that is down and needs polls polls to settle.
func NewPlacement(identity uint64, finger, polls int) *Placement {
	return &Placement{present: true, polls: polls, pending: polls, identity: identity, finger: finger}
}

// Set puts the finger down or lifts it.
func (p *Placement) Set(present bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.present = present
}

// SetIdentity changes whose finger is on the sensor.
func (p *Placement) SetIdentity(identity uint64, finger int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.identity, p.finger = identity, finger
}

// Present reports whether a finger is down (settled or not).
func (p *Placement) Present() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.present
}

// Poll reports whether a settled finger is down; each poll while it is
// settling counts down.
func (p *Placement) Poll() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.present {
		return false
	}
	if p.pending > 0 {
		p.pending--
		return false
	}
	return true
}

// Take starts a new impression (the finger must settle again for the next).
func (p *Placement) Take() (identity uint64, finger, impression int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = p.polls
	p.impression++
	return p.identity, p.finger, p.impression
}

// Who returns the identity and finger without starting an impression.
func (p *Placement) Who() (uint64, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.identity, p.finger
}

// FaultOptions consumes the armed image faults (wet, dry, low quality,
// finger count) into options for the next impression of a slap of n fingers.
func FaultOptions(f *fault.Set, n int) FingerOptions {
	o := FingerOptions{Wet: f.Take(fault.Wet), Dry: f.Take(fault.Dry), LowQuality: f.Take(fault.LowQuality), Fingers: n}
	if n > 1 && f.Take(fault.FingerCount) {
		o.Fingers = n - 1
	}
	return o
}
