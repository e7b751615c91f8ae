package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// slapPreference remembers, per station user profile, whether the
// operator takes the fingers as slaps.
const slapPreference = "fingers.slaps"

// eventSlapRefused: a slap came back with another number of fingers than
// expected (detail: the slap's ISO code); it counts as an attempt of each
// finger it was to capture.
const eventSlapRefused = "slap-refused"

// slapMode is the fingers step's 4-4-2 capture: with it on, Capture
// (Ctrl+R) takes the slap holding the selected finger and saves each
// finger found as that finger's own step, exactly as a single capture
// would.
type slapMode struct {
	c   *captureScreen
	src port.SlapSource
	on  *widget.Check
}

// withSlaps adds the slap toggle and the three slap buttons above the
// fingers' capture screen. The toggle starts as the operator last left it
// (off on a new station: Ctrl+R keeps its single-finger meaning until the
// operator switches).
func (f *enrollFlow) withSlaps(c *captureScreen, v stepView, src port.SlapSource) stepView {
	s := &slapMode{c: c, src: src}
	var btns []fyne.CanvasObject
	for _, sl := range port.Slaps {
		sl := sl
		btns = append(btns, widget.NewButton(slapLabel(sl), func() { s.capture(sl) }))
	}
	show := func(on bool) {
		for _, b := range btns {
			if on {
				b.Show()
			} else {
				b.Hide()
			}
		}
	}
	s.on = widget.NewCheck(lang.L("slap.mode"), func(on bool) {
		fyne.CurrentApp().Preferences().SetBool(slapPreference, on)
		show(on)
		if on {
			c.msg.SetText(lang.L("slap.hint"))
		}
	})
	s.on.Checked = fyne.CurrentApp().Preferences().Bool(slapPreference)
	show(s.on.Checked)
	c.intercept = func() bool {
		if !s.on.Checked {
			return false
		}
		s.capture(port.SlapOf(port.Fingers[c.cur]))
		return true
	}
	v.content = container.NewBorder(container.NewHBox(append([]fyne.CanvasObject{s.on}, btns...)...), nil, nil, nil, v.content)
	return v
}

// slapLabel names a slap.
func slapLabel(s port.Slap) string {
	switch s {
	case port.RightFour:
		return lang.L("slap.right_four")
	case port.LeftFour:
		return lang.L("slap.left_four")
	}
	return lang.L("slap.thumbs")
}

// itemIndex is the capture screen's item of finger fg.
func (s *slapMode) itemIndex(fg port.Finger) int {
	for i, it := range s.c.items {
		if it.step == fg.Step() {
			return i
		}
	}
	return -1
}

// plan splits a slap's fingers (left to right on the image) into those
// expected on the glass — every finger not marked as an exception — and,
// of those, the ones still to save.
func (s *slapMode) plan(sl port.Slap) (present []port.Finger, todo map[port.Finger]bool) {
	todo = map[port.Finger]bool{}
	for _, fg := range sl.Fingers() {
		cp, saved := s.c.f.caps[fg.Step()]
		if saved && cp.Meta.Exception != "" && cp.Meta.Exception != forcedException {
			continue
		}
		present = append(present, fg)
		if !saved {
			todo[fg] = true
		}
	}
	return present, todo
}

// capture takes slap sl off the UI thread and saves each finger at the
// gate; fingers below it count an attempt and keep their best segment for
// a force-capture, and a wrong finger count counts an attempt of each.
func (s *slapMode) capture(sl port.Slap) {
	c, f := s.c, s.c.f
	if c.busy {
		return
	}
	present, todo := s.plan(sl)
	switch {
	case len(present) == 0:
		c.msg.SetText(lang.X("slap.all_excepted", "Every finger of {{.Slap}} is marked as an exception.", map[string]any{"Slap": slapLabel(sl)}))
		return
	case len(todo) == 0:
		c.msg.SetText(lang.X("slap.all_saved", "Every finger of {{.Slap}} is saved.", map[string]any{"Slap": slapLabel(sl)}))
		return
	}
	gate := f.a.captureSettings().FingerGate
	attempts := map[port.Finger]int{}
	for fg := range todo {
		attempts[fg] = f.attempts[fg.Step()] + 1
	}
	c.busy = true
	c.title.SetText(slapLabel(sl))
	c.msg.SetText(lang.X("slap.place", "{{.Slap}}: place {{.N}} fingers on the glass.", map[string]any{"Slap": slapLabel(sl), "N": len(present)}))
	sess, eid, src := f.a.sess, f.enrollmentID, s.src
	var fr port.SlapFrame
	var capErr error
	var saved []port.Finger
	f.a.async(func() error {
		ctx, cancel := context.WithTimeout(f.a.ctx, captureTimeout)
		defer cancel()
		fr, capErr = src.CaptureSlap(ctx, sl, len(present), gate, func(p port.Frame) {
			fyne.Do(func() {
				c.live.Image = p.Image
				c.live.Refresh()
				c.quality.SetValue(float64(p.Quality))
			})
		})
		if capErr != nil && !errors.Is(capErr, port.ErrBelowGate) {
			return nil
		}
		if len(fr.Segments) != len(present) {
			capErr = &port.FingerCountError{Got: len(fr.Segments), Want: len(present)}
			return nil
		}
		for i, fg := range present {
			if !todo[fg] || fr.Segments[i].Quality < gate {
				continue
			}
			it := c.items[s.itemIndex(fg)]
			it.device = src.SlapDevice()
			if err := c.save(sess, eid, it, fr.Segments[i], attempts[fg], ""); err != nil {
				return err
			}
			saved = append(saved, fg)
		}
		if len(saved) > 0 {
			return s.keepSlap(sl, fr.Frame, sess, eid)
		}
		return nil
	}, func(err error) {
		c.busy = false
		f.a.touch()
		var fc *port.FingerCountError
		switch {
		case err != nil:
			if !f.a.sessionLost(err) {
				c.msg.SetText(errorText(err))
			}
		case errors.As(capErr, &fc):
			f.a.event(eventSlapRefused, slapCode(sl))
			n := 0
			for fg := range todo {
				f.attempts[fg.Step()]++
				n = max(n, f.attempts[fg.Step()])
			}
			c.msg.SetText(lang.X("slap.count", "{{.Got}} fingers found, {{.Want}} expected. Attempt {{.N}} of {{.Max}}: place the hand again.",
				map[string]any{"Got": fc.Got, "Want": fc.Want, "N": n, "Max": f.a.captureSettings().MaxAttempts}))
		case capErr != nil && !errors.Is(capErr, port.ErrBelowGate):
			f.a.event(eventFailed, slapCode(sl))
			c.msg.SetText(errorText(capErr) + " " + lang.L("capture.retry"))
		default:
			low := 0
			for i, fg := range present {
				if !todo[fg] || fr.Segments[i].Quality >= gate {
					continue
				}
				low++
				f.attempts[fg.Step()]++
				f.a.event(eventBelowGate, fg.Step())
				if b, ok := f.best[fg.Step()]; !ok || fr.Segments[i].Quality > b.Quality {
					f.best[fg.Step()] = fr.Segments[i]
				}
			}
			text := lang.X("slap.saved", "{{.Slap}}: {{.N}} fingers saved.", map[string]any{"Slap": slapLabel(sl), "N": len(saved)})
			if low > 0 {
				text = lang.X("slap.partial", "{{.Slap}}: {{.N}} fingers saved, {{.Low}} below quality {{.Gate}}: take the slap again, or capture those fingers singly.",
					map[string]any{"Slap": slapLabel(sl), "N": len(saved), "Low": low, "Gate": gate})
			}
			for fg := range todo {
				c.renderTile(s.itemIndex(fg))
			}
			c.selectItem(c.nextMissing(c.cur))
			c.msg.SetText(text)
			return
		}
		for fg := range todo {
			c.renderTile(s.itemIndex(fg))
		}
		c.updateForce()
	})
}

// slapCode names a slap in events: its step, after its ISO/IEC 19794-4
// position code.
func slapCode(s port.Slap) string { return s.Step() }

// keepSlap stores the slap image its saved fingers came from under the
// slap's own step (the packet carries it beside the transaction). It runs
// off the UI thread and is not one of the steps the flow waits for.
func (s *slapMode) keepSlap(sl port.Slap, fr port.Frame, sess *operator.Session, eid int64) error {
	if fr.Image == nil {
		return nil
	}
	blob, err := encodePNG(fr.Image)
	if err != nil {
		return fmt.Errorf("encode %s: %w", sl.Step(), err)
	}
	meta := store.CaptureMeta{Format: "png", Quality: fr.Quality, Attempts: 1, Device: s.src.SlapDevice().Name()}
	return s.c.f.a.st.SaveCapture(s.c.f.a.ctx, sess, eid, sl.Step(), blob, meta)
}
