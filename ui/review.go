package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/siak"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// reviewStep shows everything captured and submits it for approval.
func (f *enrollFlow) reviewStep() stepView {
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	missing := port.MissingSteps(f.captureList())
	if len(missing) > 0 {
		msg.SetText(lang.X("review.missing", "{{.N}} capture steps are missing: go back and finish them.", map[string]any{"N": len(missing)}))
		msg.Importance = widget.DangerImportance
	}
	thumbs := captureThumbs(f.caps)
	submit := func() {
		if len(missing) > 0 {
			return
		}
		sess, id := f.a.sess, f.enrollmentID
		f.a.async(func() error { return f.a.st.Submit(f.a.ctx, sess, id) }, func(err error) {
			if err != nil {
				if !f.a.sessionLost(err) {
					msg.SetText(errorText(err))
				}
				return
			}
			f.a.flow = nil
			f.a.goDupCheck(id) // dupcheck.go
		})
	}
	content := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("review.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		residentSummary(f.resident, false), widget.NewSeparator(), thumbs, msg))
	return stepView{content: content, acts: actions{next: submit}}
}

// residentSummary is the biodata as read-only rows; masked shows the NIK
// masked (lists, supervisors' queue).
func residentSummary(r enroll.Resident, masked bool) fyne.CanvasObject {
	n := r.NIK
	if masked {
		n = nik.Mask(n)
	}
	g := container.NewGridWithColumns(4)
	add := func(k, v string) {
		g.Add(widget.NewLabelWithStyle(k, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		g.Add(widget.NewLabel(v))
	}
	add(lang.L("field.nik"), n)
	add(lang.L("field.name"), r.Name)
	add(lang.L("field.birth_place"), r.BirthPlace)
	add(lang.L("field.birth_date"), r.BirthDate)
	add(lang.L("field.sex"), siak.JenisKelamins.Name(siak.JenisKelamin(r.Sex)))
	add(lang.L("field.religion"), siak.Agamas.Name(siak.Agama(r.Religion)))
	add(lang.L("field.address"), r.Address)
	add(lang.L("field.desa_code"), r.DesaCode)
	return g
}

// captureThumbs shows every capture step as a thumbnail or its exception.
func captureThumbs(caps map[string]store.Capture) fyne.CanvasObject {
	g := container.NewGridWithColumns(5)
	for _, s := range port.Steps() {
		cp, ok := caps[s]
		img := canvas.NewImageFromImage(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(70, 80))
		label := stepLabel(s)
		if !ok {
			label += " ✗"
		} else {
			img.Image = decodeImage(cp) // a capture or an exception photo
			if cp.Meta.Exception != "" {
				label += " — " + exceptionLabel(cp.Meta.Exception)
			}
		}
		l := widget.NewLabel(label)
		l.Truncation = fyne.TextTruncateEllipsis
		g.Add(container.NewBorder(nil, l, nil, nil, img))
	}
	return g
}
