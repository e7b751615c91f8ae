package ui

import (
	"bytes"
	"image"
	"image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// The enrollment flow's steps, in order.
const (
	stepPrivacy = iota
	stepBiodata
	stepFingers
	stepIrises
	stepFace
	stepSignature
	stepReview
	stepCount
)

// stepView is one step's screen: its content and what the shortcuts do.
// next checks the step and moves on; back always moves back.
type stepView struct {
	content fyne.CanvasObject
	acts    actions
	// focus gets the keyboard focus once the step is on screen.
	focus fyne.Focusable
}

// enrollFlow is one enrollment in progress: which step, and what is
// already in the store.
type enrollFlow struct {
	a            *App
	step         int
	reached      int
	consent      bool
	residentID   int64
	enrollmentID int64
	resident     enroll.Resident
	caps         map[string]store.Capture
	attempts     map[string]int
	best         map[string]port.Frame
	// bio is the biodata form while it is on screen.
	bio *biodataForm
}

func (a *App) newFlow() *enrollFlow {
	return &enrollFlow{a: a, caps: map[string]store.Capture{}, attempts: map[string]int{}, best: map[string]port.Frame{}}
}

// startEnrollment begins a new enrollment at the privacy notice.
func (a *App) startEnrollment() {
	if a.sess == nil {
		return
	}
	if !a.can(operator.BiometricWrite) {
		a.showError(operator.ErrForbidden)
		return
	}
	a.flow = a.newFlow()
	a.flow.show(stepPrivacy)
}

// resumeEnrollment loads a DRAFT and opens it at its first missing step.
func (a *App) resumeEnrollment(id int64) {
	sess := a.sess
	f := a.newFlow()
	var caps []store.Capture
	a.async(func() error {
		e, err := a.st.Enrollment(a.ctx, sess, id)
		if err != nil {
			return err
		}
		r, err := a.st.Resident(a.ctx, sess, e.ResidentID)
		if err != nil {
			return err
		}
		caps, err = a.st.Captures(a.ctx, sess, id)
		f.enrollmentID, f.residentID, f.resident, f.consent = id, r.ID, r.Resident, true
		return err
	}, func(err error) {
		if err != nil {
			if !a.sessionLost(err) {
				a.showError(err)
			}
			return
		}
		for _, c := range caps {
			f.caps[c.Step] = c
			f.attempts[c.Step] = c.Meta.Attempts
		}
		a.flow = f
		f.reached = stepReview
		f.show(f.firstMissing())
	})
}

// firstMissing returns the step holding the first capture not yet saved.
func (f *enrollFlow) firstMissing() int {
	missing := port.MissingSteps(f.captureList())
	if len(missing) == 0 {
		return stepReview
	}
	return stepOfCapture(missing[0])
}

// stepOfCapture maps a capture step name to the flow step showing it.
func stepOfCapture(name string) int {
	switch {
	case len(name) > 7 && name[:7] == "finger.":
		return stepFingers
	case len(name) > 5 && name[:5] == "iris.":
		return stepIrises
	case name == port.StepFace:
		return stepFace
	}
	return stepSignature
}

// captureList returns the saved captures as a slice.
func (f *enrollFlow) captureList() []store.Capture {
	out := make([]store.Capture, 0, len(f.caps))
	for _, c := range f.caps {
		out = append(out, c)
	}
	return out
}

// stepTitles are the step indicator's labels.
func stepTitles() []string {
	return []string{lang.L("step.privacy"), lang.L("step.biodata"), lang.L("step.fingers"), lang.L("step.irises"),
		lang.L("step.face"), lang.L("step.signature"), lang.L("step.review")}
}

// show puts step i on screen inside the flow's frame: the step indicator
// on top (earlier steps clickable: free movement back) and Back/Next below.
func (f *enrollFlow) show(i int) {
	if i < 0 {
		i = 0
	}
	f.step = i
	if i > f.reached {
		f.reached = i
	}
	var v stepView
	switch i {
	case stepPrivacy:
		v = f.privacyStep()
	case stepBiodata:
		v = f.biodataStep()
	case stepFingers:
		v = f.fingersStep()
	case stepIrises:
		v = f.irisesStep()
	case stepFace:
		v = f.faceStep()
	case stepSignature:
		v = f.signatureStep()
	default:
		v = f.reviewStep()
	}
	indicator := container.NewHBox()
	for k, t := range stepTitles() {
		k := k
		b := widget.NewButton(t, func() { f.show(k) })
		switch {
		case k == i:
			b.Importance = widget.HighImportance
		case k > f.reached || (k > stepBiodata && f.enrollmentID == 0):
			b.Disable()
		default:
			b.Importance = widget.LowImportance
		}
		indicator.Add(b)
	}
	v.acts.back = func() {
		if f.step > 0 {
			f.show(f.step - 1)
		}
	}
	backBtn := widget.NewButton(lang.L("cmd.back"), v.acts.back)
	if i == 0 {
		backBtn.Disable()
	}
	nextLabel := lang.L("cmd.next")
	if i == stepReview {
		nextLabel = lang.L("review.submit")
	}
	nextBtn := widget.NewButton(nextLabel, func() { f.a.act(v.acts.next) })
	nextBtn.Importance = widget.HighImportance
	title := lang.L("flow.title")
	if f.enrollmentID != 0 {
		title = lang.X("flow.title_id", "Enrollment #{{.ID}}", map[string]any{"ID": f.enrollmentID})
	}
	top := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHScroll(indicator), widget.NewSeparator())
	voidBtn := widget.NewButton(lang.L("void.button"), f.confirmVoid)
	if f.enrollmentID == 0 {
		voidBtn.Disable()
	}
	bottom := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil,
		container.NewHBox(backBtn, widget.NewLabel(""), nextBtn), voidBtn))
	f.a.show("enroll."+stepName(i), container.NewPadded(container.NewBorder(top, bottom, nil, nil, v.content)), v.acts)
	if v.focus != nil {
		f.a.w.Canvas().Focus(v.focus)
	}
}

// stepName names a step for tests and the smoke script.
func stepName(i int) string {
	return [...]string{"privacy", "biodata", "fingers", "irises", "face", "signature", "review"}[i]
}

// encodePNG encodes a capture image for the store.
func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// decodeImage decodes a stored capture blob ("png"); nil when it has none.
func decodeImage(c store.Capture) image.Image {
	if len(c.Blob) == 0 {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(c.Blob))
	if err != nil {
		return nil
	}
	return img
}

// confirmVoid asks for a reason and voids the DRAFT: its biometric data is
// wiped, the resident's biodata stays.
func (f *enrollFlow) confirmVoid() {
	if f.enrollmentID == 0 {
		return
	}
	reason := f.a.entry()
	d := dialog.NewForm(lang.L("void.title"), lang.L("void.button"), lang.L("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("approval.reason"), reason)}, func(ok bool) {
			r := strings.TrimSpace(reason.Text)
			if !ok || r == "" {
				return
			}
			sess, id := f.a.sess, f.enrollmentID
			f.a.async(func() error { return f.a.st.Void(f.a.ctx, sess, id, r) }, func(err error) {
				if err != nil {
					if !f.a.sessionLost(err) {
						f.a.showError(err)
					}
					return
				}
				f.a.flow = nil
				f.a.goDashboard()
				f.a.dash.msg.SetText(lang.X("void.done", "Enrollment #{{.ID}} voided; its biometric data is wiped.", map[string]any{"ID": id}))
			})
		}, f.a.w)
	d.Show()
	f.a.w.Canvas().Focus(reason)
}
