package ui

import (
	"context"
	"image"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/biometric/face"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/siak"
	"github.com/rekam-ktp/rekam/ui/port"
)

// Photo background colours of the KTP-el rule.
const (
	bgRed    = "red"
	bgBlue   = "blue"
	bgOrange = "orange"
)

// faceStep captures the face photo (no exception: everyone has a face
// photo) and checks the KTP background rule on it, with the ICAO checklist
// of biometric/face beside the preview (facecheck.go).
func (f *enrollFlow) faceStep() stepView {
	src := f.a.opt.Devices.Face
	want := ktpBackground(f.resident)
	rule := widget.NewLabel(lang.X("face.rule", "Required background: {{.Colour}}", map[string]any{"Colour": backgroundLabel(want)}))
	rule.Wrapping = fyne.TextWrapWord
	verdict := widget.NewLabel("")
	var cs *captureScreen
	var it captureItem
	checks := f.a.newFaceChecklist(face.Backdrop(want), func(img image.Image) error { return f.saveRepainted(cs, it, img) })
	it = captureItem{step: port.StepFace, label: lang.L("face.label"), gate: f.a.captureSettings().FaceGate, shown: func(img image.Image) {
		checks.submit(img, true)
		got := backgroundOf(img)
		switch {
		case want == "":
			verdict.SetText("")
		case got == want:
			verdict.SetText(lang.X("face.bg_ok", "✓ background is {{.Colour}}", map[string]any{"Colour": backgroundLabel(got)}))
			verdict.Importance = widget.SuccessImportance
		default:
			verdict.SetText(lang.X("face.bg_wrong", "✗ background looks {{.Colour}}: change the backdrop and capture again", map[string]any{"Colour": backgroundLabel(got)}))
			verdict.Importance = widget.WarningImportance
		}
		verdict.Refresh()
	}}
	if src != nil {
		it.device = src
		it.capture = func(ctx context.Context, gate int, preview port.Preview) (port.Frame, error) {
			// Every preview frame is checked too (the checklist keeps only
			// the newest while one is being checked).
			return src.CaptureFace(ctx, gate, func(fr port.Frame) {
				if preview != nil {
					preview(fr)
				}
				fyne.Do(func() { checks.submit(fr.Image, false) })
			})
		}
	}
	cs, v := f.newCaptureScreen([]captureItem{it}, 1, stepSignature)
	v.content = container.NewBorder(container.NewVBox(rule, verdict), nil, nil, checks.content(), v.content)
	return v
}

// ktpBackground is the photo background the KTP-el rule asks of a resident:
// orange for foreigners, else red for an odd birth year and blue for an even
// one ("" when the birth date is unreadable).
func ktpBackground(r enroll.Resident) string {
	if r.Citizenship == int(siak.WNA) {
		return bgOrange
	}
	if len(r.BirthDate) < 4 {
		return ""
	}
	y, err := strconv.Atoi(r.BirthDate[:4])
	if err != nil {
		return ""
	}
	if y%2 == 1 {
		return bgRed
	}
	return bgBlue
}

// backgroundOf classifies the mean colour of an image's two top corners
// (a tenth of its width and height each) as red, blue or orange ("" when
// it is none of them).
func backgroundOf(img image.Image) string {
	if img == nil {
		return ""
	}
	b := img.Bounds()
	w, h := b.Dx()/10, b.Dy()/10
	if w == 0 || h == 0 {
		return ""
	}
	var r, g, bl, n uint64
	for _, x0 := range []int{b.Min.X, b.Max.X - w} {
		for y := b.Min.Y; y < b.Min.Y+h; y++ {
			for x := x0; x < x0+w; x++ {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				r, g, bl, n = r+uint64(cr>>8), g+uint64(cg>>8), bl+uint64(cb>>8), n+1
			}
		}
	}
	r, g, bl = r/n, g/n, bl/n
	switch {
	case bl > r+40 && bl > g:
		return bgBlue
	case r > 150 && g >= 80 && g <= 190 && bl < 100 && r > g+40:
		return bgOrange
	case r > 120 && g < 80 && bl < 80:
		return bgRed
	}
	return ""
}

// backgroundLabel names a background colour.
func backgroundLabel(c string) string {
	switch c {
	case bgRed:
		return lang.L("face.bg_red")
	case bgBlue:
		return lang.L("face.bg_blue")
	case bgOrange:
		return lang.L("face.bg_orange")
	}
	return lang.L("face.bg_unknown")
}
