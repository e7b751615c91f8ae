package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/ui/port"
)

// Signature canvas size in pad pixels.
const sigW, sigH = 400, 150

// cannotSignPrefix starts the exception of a resident who cannot sign.
const cannotSignPrefix = "cannot_sign"

// signatureStep shows the pad's live ink and the "cannot sign" path.
func (f *enrollFlow) signatureStep() stepView {
	src := f.a.opt.Devices.Signature
	ink := canvas.NewImageFromImage(port.RenderInk(nil, sigW, sigH))
	ink.FillMode = canvas.ImageFillContain
	ink.SetMinSize(fyne.NewSize(sigW, sigH))
	msg := widget.NewLabel(lang.L("signature.hint"))
	msg.Wrapping = fyne.TextWrapWord
	reason := f.a.entry()
	reason.SetPlaceHolder(lang.L("signature.reason_hint"))
	reason.Disable()
	cannot := widget.NewCheck(lang.L("signature.cannot"), func(b bool) {
		f.a.touch()
		if b {
			reason.Enable()
		} else {
			reason.Disable()
		}
	})
	if cp, ok := f.caps[port.StepSignature]; ok {
		if img := decodeImage(cp); img != nil {
			ink.Image = img
		}
		if r, ok := strings.CutPrefix(cp.Meta.Exception, cannotSignPrefix+": "); ok {
			cannot.SetChecked(true)
			reason.SetText(r)
		}
		msg.SetText(lang.L("signature.saved"))
	}
	busy := false
	sess := f.a.sess
	capture := func() {
		if busy || cannot.Checked {
			return
		}
		if src == nil {
			msg.SetText(errorText(port.ErrNoDevice))
			return
		}
		busy = true
		msg.SetText(lang.L("signature.running"))
		var pts []port.Point
		var fr port.Frame
		f.a.async(func() error {
			ctx, cancel := context.WithTimeout(f.a.ctx, captureTimeout)
			defer cancel()
			var err error
			fr, _, err = src.CaptureSignature(ctx, func(p port.Point) {
				pts = append(pts, p)
				if len(pts)%20 == 0 {
					img := port.RenderInk(pts, sigW, sigH)
					fyne.Do(func() { ink.Image = img; ink.Refresh() })
				}
			})
			if err != nil {
				return err
			}
			it := captureItem{step: port.StepSignature, device: src}
			return (&captureScreen{f: f}).save(sess, f.enrollmentID, it, fr, 1, "")
		}, func(err error) {
			busy = false
			if err != nil {
				if !f.a.sessionLost(err) {
					msg.SetText(errorText(err) + " " + lang.L("capture.retry"))
				}
				return
			}
			ink.Image = fr.Image
			ink.Refresh()
			msg.SetText(lang.L("signature.saved"))
		})
	}
	next := func() {
		if !cannot.Checked {
			if _, ok := f.caps[port.StepSignature]; !ok {
				msg.SetText(lang.L("signature.missing"))
				return
			}
			f.show(stepReview)
			return
		}
		r := strings.TrimSpace(reason.Text)
		if r == "" {
			msg.SetText(lang.L("signature.need_reason"))
			return
		}
		f.a.async(func() error {
			it := captureItem{step: port.StepSignature, device: src}
			return (&captureScreen{f: f}).save(sess, f.enrollmentID, it, port.Frame{}, 0, cannotSignPrefix+": "+r)
		}, func(err error) {
			if err != nil {
				if !f.a.sessionLost(err) {
					msg.SetText(errorText(err))
				}
				return
			}
			f.show(stepReview)
		})
	}
	captureBtn := widget.NewButton(lang.L("cmd.capture"), capture)
	captureBtn.Importance = widget.HighImportance
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("step.signature"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewCenter(container.NewPadded(ink)), container.NewHBox(captureBtn), msg,
		widget.NewSeparator(), cannot, reason)
	return stepView{content: container.NewVScroll(content), acts: actions{next: next, capture: capture}, focus: captureBtn}
}
