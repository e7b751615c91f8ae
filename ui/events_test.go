package ui

import (
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/simsource"
)

// eventLog records Options.OnEvent calls (captures report from workers).
type eventLog struct {
	mu sync.Mutex
	ev []string
}

func (l *eventLog) add(s string) { l.mu.Lock(); l.ev = append(l.ev, s); l.mu.Unlock() }
func (l *eventLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.ev)
}

// TestEventsMarkWorkInsideScreens: the call-up, each saved capture, a
// capture below the gate, a device fault and the loaded approval queue are
// reported, in order, and nothing else.
func TestEventsMarkWorkInsideScreens(t *testing.T) {
	h := newHarness(t, true)
	log := &eventLog{}
	h.a.opt.OnEvent = log.add
	h.devs.Finger.(*simsource.Sim).SetMaxQuality(port.Finger(2).Step(), 30)
	h.toFingers("op1")
	h.shortcut(fyne.KeyR, false) // finger 1 saved
	h.shortcut(fyne.KeyR, false) // finger 2 below the gate
	h.devs.Finger.(*simsource.Sim).InjectFault(port.Finger(2).Step(), port.ErrTimeout)
	h.shortcut(fyne.KeyR, false) // finger 2 fails on the device
	h.shortcut(fyne.KeyL, true)  // logout
	h.login("sup1")
	h.shortcut(fyne.KeyP, false) // approval queue: nothing submitted
	want := []string{"called-up", "saved " + port.Finger(1).Step(), "below-gate " + port.Finger(2).Step(),
		"capture-failed " + port.Finger(2).Step(), "queue 0"}
	if got := log.all(); !slices.Equal(got, want) {
		t.Fatalf("events %q, want %q", got, want)
	}
}
