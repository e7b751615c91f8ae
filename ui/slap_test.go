package ui

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// slapHarness is the app with the simulated set's USB scanners as its
// finger source (the 5thSense for single fingers, the slap reader for
// slaps, each through the real vcom5s driver), slaps switched on, an
// operator logged in and an enrollment at the fingers step. It returns the
// harness, the slap reader's simulator and the enrollment's id.
func slapHarness(t *testing.T) (*harness, *simset.Sim, int64) {
	t.Helper()
	h := newHarness(t, true)
	set, err := simset.Start(simset.Options{USB: true, Identity: 21, Source: biosrc.Synth{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(set.Close)
	devs, _, closeDevs := devport.FromSimSet(context.Background(), set)
	t.Cleanup(closeDevs)
	if _, ok := devs.Finger.(port.SlapSource); !ok {
		t.Fatalf("the simulated set's finger source %T takes no slaps", devs.Finger)
	}
	h.a.opt.Devices.Finger = devs.Finger
	fyne.CurrentApp().Preferences().SetBool(slapPreference, true)
	h.login("op1")
	h.startToBiodata()
	h.fillBiodata()
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("screen %q, want enroll.fingers", h.a.Screen())
	}
	var sim *simset.Sim
	for _, s := range set.Sims {
		if s.Slap() {
			sim = s
		}
	}
	return h, sim, h.enrollments(enroll.Draft)[0].ID
}

// tap taps the visible button with text on the window and waits.
func (h *harness) tap(text string) {
	h.t.Helper()
	b := button(h.w.Canvas().Content(), text)
	if b == nil {
		h.t.Fatalf("no button %q on screen", text)
	}
	test.Tap(b)
	h.a.Wait()
}

// checkSlapSaved checks that exactly the fingers want of a slap are saved
// as their own finger steps from the slap reader (a PNG of one finger at
// the gate), the others unsaved or exceptions.
func checkSlapSaved(t *testing.T, h *harness, id int64, sl port.Slap, want []port.Finger) {
	t.Helper()
	caps := h.captures(id)
	slapName := h.a.opt.Devices.Finger.(port.SlapSource).SlapDevice().Name()
	gate := h.a.captureSettings().FingerGate
	for _, fg := range sl.Fingers() {
		c, ok := caps[fg.Step()]
		wanted := false
		for _, w := range want {
			wanted = wanted || w == fg
		}
		if ok && !wanted && c.Meta.Exception != "" {
			continue // an exception, not taken by the slap
		}
		if ok != wanted {
			t.Errorf("%s saved %v, want %v (%s)", fg.Step(), ok, wanted, labelsText(h.w.Canvas().Content()))
			continue
		}
		if !ok {
			continue
		}
		if c.Meta.Device != slapName || c.Meta.Format != "png" || c.Meta.Quality < gate || c.Meta.Attempts != 1 || c.Meta.Exception != "" {
			t.Errorf("%s meta %+v, want from %q at quality ≥ %d, one attempt", fg.Step(), c.Meta, slapName, gate)
		}
		img, err := png.Decode(bytes.NewReader(c.Blob))
		if err != nil {
			t.Fatalf("%s: %v", fg.Step(), err)
		}
		// One finger of the 960×440 slap: narrower than a third of it.
		if b := img.Bounds(); b.Dx() > 320 || b.Dx() < 40 || b.Dy() < 60 {
			t.Errorf("%s is %v: not one finger of the slap", fg.Step(), b)
		}
	}
}

// TestSlapsCaptureTheTenFingers takes the right four with its button, then
// the thumbs and the left four with Capture (Ctrl+R), which takes the slap
// of the selected finger; each slap saves one finger step per finger and
// the step then moves on.
func TestSlapsCaptureTheTenFingers(t *testing.T) {
	h, _, id := slapHarness(t)
	h.tap(lang.L("slap.right_four"))
	checkSlapSaved(t, h, id, port.RightFour, port.RightFour.Fingers())
	if n := len(h.captures(id)); n != 5 {
		t.Fatalf("%d steps saved after the right four, want its 4 fingers and the slap", n)
	}
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.X("slap.saved", "", map[string]any{"Slap": lang.L("slap.right_four"), "N": 4})) {
		t.Errorf("no saved message:\n%s", labelsText(h.w.Canvas().Content()))
	}
	h.shortcut(fyne.KeyR, false) // finger 1 is selected: the thumbs
	checkSlapSaved(t, h, id, port.BothThumbs, port.BothThumbs.Fingers())
	h.shortcut(fyne.KeyR, false) // then the left four
	checkSlapSaved(t, h, id, port.LeftFour, port.LeftFour.Fingers())
	caps := h.captures(id)
	for _, sl := range port.Slaps {
		if c, ok := caps[sl.Step()]; !ok || c.Meta.Format != "png" || len(c.Blob) == 0 {
			t.Errorf("slap image %s not kept: %+v", sl.Step(), c.Meta)
		}
	}
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.irises" {
		t.Fatalf("after three slaps: screen %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
}

// TestSlapWithAFingerMissingExpectsThree marks the right little finger as
// missing; the right-four slap then expects three fingers and saves them as
// index, middle and ring, leaving the exception as it was.
func TestSlapWithAFingerMissingExpectsThree(t *testing.T) {
	h, _, id := slapHarness(t)
	h.tap(fingerLabel(5))
	h.shortcut(fyne.KeyE, false)
	sel := find[*widget.Select](h.w.Canvas().Overlays().Top())[0]
	sel.SetSelected(lang.L("exception.missing"))
	test.Tap(button(h.w.Canvas().Overlays().Top(), lang.L("button.save")))
	h.a.Wait()
	if c := h.captures(id)[port.Finger(5).Step()]; c.Meta.Exception != "missing" {
		t.Fatalf("finger 5 = %+v, want missing", c.Meta)
	}
	h.tap(lang.L("slap.right_four"))
	checkSlapSaved(t, h, id, port.RightFour, []port.Finger{2, 3, 4})
	if c := h.captures(id)[port.Finger(5).Step()]; c.Meta.Exception != "missing" {
		t.Fatalf("the slap overwrote finger 5's exception: %+v", c.Meta)
	}
}

// TestSlapWithTheWrongCountIsRefused puts three fingers on the glass for
// the right four: the slap is refused with the count in the message, each
// finger of it counts an attempt, nothing is saved; the next slap with four
// fingers is taken.
func TestSlapWithTheWrongCountIsRefused(t *testing.T) {
	h, sim, id := slapHarness(t)
	sim.Faults().Inject(fault.FingerCount, 1)
	h.tap(lang.L("slap.right_four"))
	text := labelsText(h.w.Canvas().Content())
	want := lang.X("slap.count", "", map[string]any{"Got": 3, "Want": 4, "N": 1, "Max": h.a.captureSettings().MaxAttempts})
	if !strings.Contains(text, want) || !(strings.Contains(want, "3 fingers found, 4 expected") || strings.Contains(want, "3 jari terdeteksi, seharusnya 4")) {
		t.Fatalf("message %q not shown:\n%s", want, text)
	}
	if n := len(h.captures(id)); n != 0 {
		t.Fatalf("%d steps saved from a refused slap", n)
	}
	for _, fg := range port.RightFour.Fingers() {
		if n := h.a.flow.attempts[fg.Step()]; n != 1 {
			t.Errorf("%s: %d attempts after a refused slap, want 1", fg.Step(), n)
		}
	}
	h.tap(lang.L("slap.right_four"))
	caps := h.captures(id)
	for _, fg := range port.RightFour.Fingers() {
		if c, ok := caps[fg.Step()]; !ok || c.Meta.Attempts != 2 {
			t.Errorf("%s after the second slap: saved %v, meta %+v; want saved at attempt 2", fg.Step(), ok, c.Meta)
		}
	}
}

// TestSingleFingersStayWithSlapsOff checks the toggle: off, Capture
// (Ctrl+R) takes the selected finger alone on the single-finger scanner.
func TestSingleFingersStayWithSlapsOff(t *testing.T) {
	h, _, id := slapHarness(t)
	find[*widget.Check](h.w.Canvas().Content())[0].SetChecked(false)
	if fyne.CurrentApp().Preferences().Bool(slapPreference) {
		t.Fatal("the toggle is not remembered")
	}
	if b := button(h.w.Canvas().Content(), lang.L("slap.right_four")); b != nil {
		t.Fatal("slap buttons shown with slaps off")
	}
	h.shortcut(fyne.KeyR, false)
	caps := h.captures(id)
	c, ok := caps[port.Finger(1).Step()]
	if len(caps) != 1 || !ok || c.Meta.Device != h.a.opt.Devices.Finger.Name() {
		t.Fatalf("Ctrl+R with slaps off saved %d steps, finger 1 %+v", len(caps), c.Meta)
	}
}
