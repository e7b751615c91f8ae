package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/ui/port"
)

// receiptScreen shows an enrollment's receipt and saves or prints its PDF.
type receiptScreen struct {
	a       *App
	id      int64
	rec     receipt.Receipt
	pdf     []byte
	summary *fyne.Container
	msg     *widget.Label
	save    *widget.Button
	print   *widget.Button
}

// goReceipt shows the receipt ("tanda terima") of an enrollment: a
// summary, Save PDF into the station's receipts folder and Print through
// lp when the station has it. Building it reads the resident, the captures
// and the history through the store, each read audited.
func (a *App) goReceipt(enrollmentID int64) {
	if a.sess == nil {
		return
	}
	rs, ok := a.st.(port.Receipts)
	if !ok || !a.can(operator.BiometricRead) {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &receiptScreen{a: a, id: enrollmentID}
	s.summary = container.New(layout.NewFormLayout(), widget.NewLabel(lang.L("receipt.loading")), widget.NewLabel(""))
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.save = widget.NewButton(lang.L("receipt.save"), s.saveFile)
	s.save.Importance = widget.HighImportance
	s.print = widget.NewButton(lang.L("receipt.print"), s.sendToPrinter)
	back := widget.NewButton(lang.L("cmd.back"), a.goDashboard)
	s.save.Disable()
	s.print.Disable()
	title := widget.NewLabelWithStyle(lang.X("receipt.title", "Enrollment receipt #{{.ID}}", map[string]any{"ID": enrollmentID}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewBorder(container.NewVBox(title, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), s.msg, container.NewHBox(back, s.save, s.print)), nil, nil,
		container.NewVScroll(s.summary))
	a.show("receipt", container.NewPadded(body), actions{next: s.saveFile, capture: s.sendToPrinter, back: a.goDashboard})
	a.w.Canvas().Focus(s.save)

	sess, now := a.sess, a.now()
	var rec receipt.Receipt
	var pdf []byte
	a.async(func() error {
		var err error
		if rec, err = rs.Receipt(a.ctx, sess, enrollmentID, now); err != nil {
			return err
		}
		pdf, err = receipt.Render(rec)
		return err
	}, func(err error) {
		if err != nil {
			if !a.sessionLost(err) {
				s.msg.SetText(errorText(err))
			}
			return
		}
		s.rec, s.pdf = rec, pdf
		s.fill()
		s.save.Enable()
		a.event(eventReceiptReady, strconv.FormatInt(enrollmentID, 10))
		if receipt.CanPrint() {
			s.print.Enable()
		} else {
			s.msg.SetText(lang.L("receipt.no_printer"))
		}
	})
}

// fill writes the receipt's summary rows; the NIK stays masked as on the
// paper.
func (s *receiptScreen) fill() {
	r, c := s.rec, s.rec.Captured
	g := s.summary
	g.Objects = nil
	add := func(k, v string) {
		g.Add(widget.NewLabelWithStyle(k, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		g.Add(l)
	}
	kec := r.Kecamatan
	if r.KecamatanName != "" {
		kec = r.KecamatanName + " (" + r.Kecamatan + ")"
	}
	add(lang.L("receipt.number"), r.Number)
	add(lang.L("field.nik"), nik.Mask(r.NIK))
	add(lang.L("field.name"), r.Name)
	add(lang.L("receipt.recorded_at"), r.RecordedAt.Format("02-01-2006 15:04 MST"))
	add(lang.L("receipt.station"), r.StationID+" · "+kec)
	add(lang.L("receipt.operator"), r.Operator)
	add(lang.L("receipt.state"), stateLabel(r.State))
	if c.Purged {
		add(lang.L("receipt.biometrics"), lang.L("receipt.purged"))
	} else {
		var fingers, eyes []string
		for i, st := range c.Fingers {
			if !st.Captured {
				fingers = append(fingers, fingerLabel(port.Finger(i+1))+" ("+itemException(st)+")")
			}
		}
		for i, st := range c.Irises {
			if !st.Captured {
				eyes = append(eyes, eyeLabel(port.Eyes[i])+" ("+itemException(st)+")")
			}
		}
		add(lang.L("receipt.fingers"), countLabel(receipt.Count(c.Fingers[:]), 10, fingers))
		add(lang.L("receipt.irises"), countLabel(receipt.Count(c.Irises[:]), 2, eyes))
		add(lang.L("face.label"), itemLabel(c.Face))
		add(lang.L("signature.label"), itemLabel(c.Signature))
	}
	add(lang.L("receipt.code"), r.Code)
	g.Refresh()
}

// countLabel spells "n of total captured" and the items missing.
func countLabel(n, total int, missing []string) string {
	s := lang.X("receipt.count", "{{.N}} of {{.Total}} captured", map[string]any{"N": n, "Total": total})
	if len(missing) > 0 {
		s += "; " + strings.Join(missing, ", ")
	}
	return s
}

// itemLabel names one single-shot item's status.
func itemLabel(st receipt.Status) string {
	if st.Captured {
		return lang.L("receipt.captured")
	}
	return itemException(st)
}

// itemException names why an item is not captured.
func itemException(st receipt.Status) string {
	switch st.Exception {
	case "":
		return lang.L("receipt.not_captured")
	case receipt.CannotSign:
		return lang.L("signature.cannot")
	}
	return exceptionLabel(st.Exception)
}

// saveFile writes the PDF into the receipts folder and tells the path.
func (s *receiptScreen) saveFile() {
	rs, ok := s.a.st.(port.Receipts)
	if s.pdf == nil || !ok {
		return
	}
	rec, pdf, sess := s.rec, s.pdf, s.a.sess
	var path string
	s.a.async(func() error {
		var err error
		path, err = rs.SaveReceipt(s.a.ctx, sess, rec, pdf)
		return err
	}, func(err error) {
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.SetText(errorText(err))
			}
			return
		}
		s.msg.SetText(lang.X("receipt.saved", "Receipt saved: {{.Path}}", map[string]any{"Path": path}))
		s.a.event(eventReceiptSaved, strconv.FormatInt(s.id, 10))
	})
}

// sendToPrinter prints the PDF through lp; without lp it says so.
func (s *receiptScreen) sendToPrinter() {
	if s.pdf == nil {
		return
	}
	pdf := s.pdf
	s.print.Disable()
	s.a.async(func() error { return receipt.Print(s.a.ctx, pdf) }, func(err error) {
		s.print.Enable()
		switch {
		case errors.Is(err, receipt.ErrNoPrinter):
			s.print.Disable()
			s.msg.SetText(lang.L("receipt.no_printer"))
		case err != nil:
			s.msg.SetText(errorText(err))
		default:
			s.msg.SetText(lang.L("receipt.printed"))
		}
	})
}
