package ui

import (
	"context"
	"errors"
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/biometric/face"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// faceChecklist is the ICAO checklist beside the face preview: a row per
// check (tick, cross or dash for "not measured", the value, the operator
// message in the UI language) and the KTP backdrop verdict with the offer
// to repaint a wrong-coloured uniform backdrop. Frames are checked off the
// UI thread, one at a time; while one is checked only the newest waiting
// frame is kept.
type faceChecklist struct {
	a        *App
	want     face.Backdrop
	rows     *fyne.Container
	summary  *widget.Label
	backdrop *widget.Label
	replace  *widget.Button
	msg      *widget.Label

	busy    bool
	pending *faceFrame
	last    port.FaceCheck
	lastOK  bool // last is the check of the saved capture
	// save stores a repainted portrait as the face capture (off the UI
	// thread).
	save func(img image.Image) error
}

// faceFrame is a frame waiting for its check; saved marks the stored
// capture (only its backdrop may be repainted).
type faceFrame struct {
	img   image.Image
	saved bool
}

// newFaceChecklist builds the checklist for a resident needing want ("" =
// no colour rule).
func (a *App) newFaceChecklist(want face.Backdrop, save func(image.Image) error) *faceChecklist {
	c := &faceChecklist{a: a, want: want, save: save, rows: container.NewVBox()}
	c.summary = widget.NewLabelWithStyle(lang.L("face2.waiting"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.summary.Wrapping = fyne.TextWrapWord
	c.backdrop = widget.NewLabel("")
	c.backdrop.Wrapping = fyne.TextWrapWord
	c.msg = widget.NewLabel("")
	c.msg.Wrapping = fyne.TextWrapWord
	c.replace = widget.NewButton("", c.replaceBackdrop)
	c.replace.Hide()
	return c
}

// content is the checklist's panel.
func (c *faceChecklist) content() fyne.CanvasObject {
	body := container.NewVBox(c.summary, c.rows, widget.NewSeparator(), c.backdrop, c.replace, c.msg)
	return container.NewGridWrap(fyne.NewSize(400, 560), widget.NewCard(lang.L("face2.title"), "", container.NewVScroll(body)))
}

// submit queues a frame for checking; it must run on the UI thread.
func (c *faceChecklist) submit(img image.Image, saved bool) {
	if img == nil {
		return
	}
	f := &faceFrame{img: img, saved: saved}
	if c.busy {
		c.pending = f
		return
	}
	c.busy = true
	var fc port.FaceCheck
	c.a.async(func() error {
		var err error
		fc, err = port.CheckFace(f.img, c.want)
		return err
	}, func(err error) {
		c.busy = false
		if err != nil {
			c.summary.SetText(errorText(err))
		} else {
			c.render(fc, f.saved)
		}
		if p := c.pending; p != nil {
			c.pending = nil
			c.submit(p.img, p.saved)
		}
	})
}

// checkMark is a row's tick, cross or dash.
func checkMark(r face.Result) string {
	switch {
	case !r.Measured:
		return "–"
	case r.Pass:
		return "✓"
	}
	return "✗"
}

// checkMessage is the operator message in the UI language.
func checkMessage(id, en string) string {
	if lang.L("face2.msg_lang") == "en" {
		return en
	}
	return id
}

// checkName names a check in the UI language.
func checkName(name string) string {
	switch name {
	case face.CheckSingleFace:
		return lang.L("face2.check.single_face")
	case face.CheckIED:
		return lang.L("face2.check.inter_eye_distance")
	case face.CheckHeadSize:
		return lang.L("face2.check.head_size")
	case face.CheckHeadPosition:
		return lang.L("face2.check.head_position")
	case face.CheckRoll:
		return lang.L("face2.check.roll")
	case face.CheckYaw:
		return lang.L("face2.check.yaw")
	case face.CheckEyesOpen:
		return lang.L("face2.check.eyes_open")
	case face.CheckMouthClosed:
		return lang.L("face2.check.mouth_closed")
	case face.CheckExposure:
		return lang.L("face2.check.exposure")
	case face.CheckDynamicRange:
		return lang.L("face2.check.dynamic_range")
	case face.CheckIllumination:
		return lang.L("face2.check.illumination")
	case face.CheckSharpness:
		return lang.L("face2.check.sharpness")
	case face.CheckBackground:
		return lang.L("face2.check.background")
	}
	return name
}

// checkRow is one check's line.
func checkRow(r face.Result) string {
	name := checkName(r.Name)
	if !r.Measured {
		return fmt.Sprintf("%s %s — %s", checkMark(r), name, checkMessage(r.ID, r.EN))
	}
	return fmt.Sprintf("%s %s: %s — %s", checkMark(r), name, formatValue(r.Value), checkMessage(r.ID, r.EN))
}

// formatValue prints a check value with sensible precision.
func formatValue(v float64) string {
	if v >= 10 || v <= -10 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// render shows one frame's checklist.
func (c *faceChecklist) render(fc port.FaceCheck, saved bool) {
	c.last, c.lastOK = fc, saved
	c.rows.Objects = nil
	failed := 0
	for _, r := range fc.Checks {
		l := widget.NewLabel(checkRow(r))
		l.Wrapping = fyne.TextWrapWord
		if !r.Pass && r.Measured {
			l.Importance = widget.DangerImportance
			failed++
		}
		c.rows.Add(l)
	}
	c.rows.Refresh()
	switch {
	case fc.Faces == 0:
		c.summary.SetText(lang.L("face2.no_face"))
	case failed == 0:
		c.summary.SetText(lang.L("face2.all_ok"))
	default:
		c.summary.SetText(lang.X("face2.failed", "{{.N}} check(s) failed", map[string]any{"N": failed}))
	}
	c.backdrop.Importance = widget.MediumImportance
	switch {
	case fc.Backdrop == nil:
		c.backdrop.SetText("")
	case fc.Backdrop.Pass:
		c.backdrop.SetText("✓ " + checkMessage(fc.Backdrop.ID, fc.Backdrop.EN))
		c.backdrop.Importance = widget.SuccessImportance
	default:
		c.backdrop.SetText("✗ " + checkMessage(fc.Backdrop.ID, fc.Backdrop.EN))
		c.backdrop.Importance = widget.WarningImportance
	}
	c.backdrop.Refresh()
	if saved && fc.BackdropReplaceable() {
		c.replace.SetText(lang.X("face2.replace", "Replace the background with {{.Colour}}", map[string]any{"Colour": backgroundLabel(string(c.want))}))
		c.replace.Show()
	} else {
		c.replace.Hide()
	}
}

// replaceBackdrop repaints the saved capture's backdrop in the required
// colour and stores the repainted card portrait as the face capture.
func (c *faceChecklist) replaceBackdrop() {
	if !c.lastOK || !c.last.BackdropReplaceable() || c.save == nil {
		return
	}
	portrait, want := c.last.Portrait, c.want
	c.replace.Disable()
	c.a.async(func() error {
		img, err := port.ReplaceFaceBackdrop(portrait, want)
		if err != nil {
			return err
		}
		return c.save(img)
	}, func(err error) {
		c.replace.Enable()
		switch {
		case errors.Is(err, face.ErrNotSeparable):
			c.msg.SetText(lang.L("face2.not_separable"))
		case err != nil:
			if !c.a.sessionLost(err) {
				c.msg.SetText(errorText(err))
			}
		default:
			c.msg.SetText(lang.L("face2.replaced"))
		}
	})
}

// saveRepainted stores a repainted card portrait as the face capture (it
// runs off the UI thread) and shows it, keeping the saved quality and
// attempt count.
func (f *enrollFlow) saveRepainted(cs *captureScreen, it captureItem, img image.Image) error {
	var sess *operator.Session
	var eid int64
	var cp store.Capture
	if !f.a.onUI(func() { sess, eid, cp = f.a.sess, f.enrollmentID, f.caps[it.step] }) {
		return context.Canceled // the app is closing
	}
	if err := cs.save(sess, eid, it, port.Frame{Image: img, Quality: cp.Meta.Quality}, cp.Meta.Attempts, ""); err != nil {
		return err
	}
	f.a.onUI(func() {
		cs.renderTile(0)
		cs.selectItem(0)
	})
	return nil
}
