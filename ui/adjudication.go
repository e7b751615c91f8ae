package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/ui/port"
)

// adjudicationScreen is the supervisor's adjudication of duplicate
// candidates: the open cases on the left (NIKs masked), the selected case
// on the right with the enrollment under review and one candidate side by
// side (fingers with their minutiae drawn over them, irises, face), the
// per-modality scores, the fused score against the thresholds and the
// demographic matches. Ctrl+L decides "not a duplicate", Ctrl+E
// "duplicate", each with a required reason; Ctrl+R reloads. The store
// refuses a verdict by whoever captured the enrollment.
type adjudicationScreen struct {
	a       *App
	dup     port.Duplicates
	cases   []port.DupCaseInfo
	list    *widget.List
	detail  *fyne.Container
	msg     *widget.Label
	loading *widget.Activity
	sel     int
	cur     *port.DupCase
	// compare holds the side-by-side view of the candidate picked in
	// pick.
	compare *fyne.Container
	pick    *widget.Select
}

// adjudicationName is the screen's name for tests and the smoke script.
const adjudicationName = "adjudication"

// goAdjudication shows the open duplicate cases.
func (a *App) goAdjudication() {
	if a.sess == nil {
		return
	}
	dup, ok := a.st.(port.Duplicates)
	if !a.can(operator.EnrollmentDecide) || !ok {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &adjudicationScreen{a: a, dup: dup, sel: -1, loading: widget.NewActivity()}
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.detail = container.NewVBox(widget.NewLabel(lang.L("adj.pick")))
	s.list = widget.NewList(func() int { return len(s.cases) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.row(i)) })
	s.list.OnSelected = func(i widget.ListItemID) { s.open(i) }
	notDup := widget.NewButton(lang.L("adj.not_duplicate"), func() { s.decide(false) })
	notDup.Importance = widget.SuccessImportance
	isDup := widget.NewButton(lang.L("adj.duplicate"), func() { s.decide(true) })
	isDup.Importance = widget.DangerImportance
	right := container.NewBorder(nil, container.NewVBox(s.msg, container.NewHBox(notDup, isDup, s.loading)), nil, nil, container.NewVScroll(s.detail))
	split := container.NewHSplit(s.list, right)
	split.Offset = 0.25
	top := widget.NewLabelWithStyle(lang.L("adj.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.show(adjudicationName, container.NewPadded(container.NewBorder(top, nil, nil, nil, split)),
		actions{capture: s.load, next: func() { s.decide(false) }, exception: func() { s.decide(true) }, back: a.goDashboard})
	a.w.Canvas().Focus(s.list)
	s.load()
}

// row is one queue line: case, decision, masked NIK, who captured it.
func (s *adjudicationScreen) row(i int) string {
	c := s.cases[i]
	return fmt.Sprintf("#%d  %s  %s  (#%d, %s)", c.ID, decisionLabel(c.Decision), c.Person.NIK, c.Person.EnrollmentID, c.Person.CreatedBy)
}

// busy shows or hides the spinner.
func (s *adjudicationScreen) busy(on bool) {
	if on {
		s.loading.Show()
		s.loading.Start()
		return
	}
	s.loading.Stop()
	s.loading.Hide()
}

// load fetches the open cases.
func (s *adjudicationScreen) load() {
	sess := s.a.sess
	var cases []port.DupCaseInfo
	s.busy(true)
	s.a.async(func() error {
		var err error
		cases, err = s.dup.DupCases(s.a.ctx, sess)
		return err
	}, func(err error) {
		s.busy(false)
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.SetText(adjErrorText(err))
			}
			return
		}
		s.cases, s.sel, s.cur = cases, -1, nil
		s.list.UnselectAll()
		s.list.Refresh()
		text := lang.L("adj.pick")
		if len(cases) == 0 {
			text = lang.L("adj.empty")
		}
		s.detail.Objects = []fyne.CanvasObject{widget.NewLabel(text)}
		s.detail.Refresh()
	})
}

// open loads one case with both sides.
func (s *adjudicationScreen) open(i int) {
	s.sel = i
	s.a.touch()
	id, sess := s.cases[i].ID, s.a.sess
	var c port.DupCase
	s.busy(true)
	s.msg.SetText(lang.L("adj.loading"))
	s.a.async(func() error {
		var err error
		c, err = s.dup.DupCase(s.a.ctx, sess, id)
		return err
	}, func(err error) {
		s.busy(false)
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.SetText(adjErrorText(err))
			}
			return
		}
		s.msg.SetText("")
		s.cur = &c
		s.render()
	})
}

// render shows the loaded case: header, candidate picker, comparison.
func (s *adjudicationScreen) render() {
	c := s.cur
	head := widget.NewLabelWithStyle(lang.X("adj.case", "Case #{{.ID}} — {{.Decision}} — enrollment #{{.E}}, opened by {{.By}} {{.At}}",
		map[string]any{"ID": c.ID, "Decision": decisionLabel(c.Decision), "E": c.Person.EnrollmentID, "By": c.OpenedBy, "At": c.OpenedAt.Local().Format("2006-01-02 15:04")}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var opts []string
	for i, cand := range c.Candidates {
		opts = append(opts, fmt.Sprintf("%d. %s — %s", i+1, recordLabel(cand), lang.X("dupcheck.fused", "fused {{.S}}", map[string]any{"S": score(cand.Score)})))
	}
	for _, d := range c.Demographic {
		opts = append(opts, lang.L("adj.demographic")+": "+demographicText(d))
	}
	s.compare = container.NewVBox()
	s.pick = widget.NewSelect(opts, nil)
	s.pick.OnChanged = func(string) { s.showCandidate(s.pick.SelectedIndex()) }
	objs := []fyne.CanvasObject{head}
	if len(c.Demographic) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(lang.L("dupcheck.demographic"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, d := range c.Demographic {
			objs = append(objs, widget.NewLabel(demographicText(d)))
		}
	}
	objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(lang.L("adj.candidate")), nil, s.pick), s.compare)
	s.detail.Objects = objs
	s.detail.Refresh()
	if len(opts) > 0 {
		s.pick.SetSelectedIndex(0)
	}
}

// showCandidate puts the case's probe and candidate i (biometric
// candidates first, then demographic ones) side by side.
func (s *adjudicationScreen) showCandidate(i int) {
	c := s.cur
	if c == nil || i < 0 {
		return
	}
	var side port.DupSide
	var cand *port.DupCandidate
	switch {
	case i < len(c.Candidates):
		cand, side = &c.Candidates[i], c.Sides[i]
	case i-len(c.Candidates) < len(c.DemoSides):
		side = c.DemoSides[i-len(c.Candidates)]
	default:
		return
	}
	objs := []fyne.CanvasObject{}
	if cand != nil {
		objs = append(objs, fusedBar(cand.Score, c.ReviewThreshold, c.DuplicateThreshold))
	} else {
		objs = append(objs, widget.NewLabel(lang.L("adj.demographic_only")))
	}
	objs = append(objs, sideBySide(c.Probe, side, cand))
	s.compare.Objects = objs
	s.compare.Refresh()
}

// fusedBar shows the fused score against the review and duplicate
// thresholds.
func fusedBar(v, review, dup float64) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(lang.X("adj.fused", "Fused score {{.S}} — review from {{.R}}, duplicate from {{.D}}",
		map[string]any{"S": score(v), "R": score(review), "D": score(dup)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	switch {
	case v >= dup:
		l.Importance = widget.DangerImportance
	case v >= review:
		l.Importance = widget.WarningImportance
	default:
		l.Importance = widget.SuccessImportance
	}
	bar := widget.NewProgressBar()
	bar.Max = math.Max(dup*1.5, v)
	bar.SetValue(v)
	bar.TextFormatter = func() string { return score(v) + " / " + score(dup) }
	return container.NewVBox(l, bar)
}

// Thumbnail sizes of the comparison.
var (
	fingerThumb = fyne.NewSize(130, 165)
	irisThumb   = fyne.NewSize(170, 125)
	faceThumb   = fyne.NewSize(110, 140)
)

// sideBySide is the comparison grid: probe on the left, candidate on the
// right, and between them what is compared and its score.
func sideBySide(probe, other port.DupSide, cand *port.DupCandidate) fyne.CanvasObject {
	rows := container.NewVBox()
	row := func(left, mid, right fyne.CanvasObject) {
		rows.Add(container.NewGridWithColumns(3, left, mid, right))
	}
	row(sideHeader(lang.L("adj.probe"), probe), widget.NewLabel(""), sideHeader(lang.L("adj.candidate"), other))
	row(thumb(probe.Face, faceThumb), widget.NewLabel(lang.L("face.label")), thumb(other.Face, faceThumb))
	for k, e := range port.Eyes {
		var sc *float64
		if cand != nil {
			sc = cand.Irises[k]
		}
		row(thumb(probe.Irises[k], irisThumb), widget.NewLabel(pairLabel(eyeLabel(e), sc)), thumb(other.Irises[k], irisThumb))
	}
	for p, f := range port.Fingers {
		var sc *float64
		if cand != nil {
			sc = cand.Fingers[p]
		}
		row(thumb(probe.Fingers[p], fingerThumb), widget.NewLabel(pairLabel(fingerLabel(f), sc)), thumb(other.Fingers[p], fingerThumb))
	}
	return rows
}

// pairLabel names a compared pair and its score ("not compared" when nil).
func pairLabel(name string, sc *float64) string {
	if sc == nil {
		return name + "\n" + lang.L("adj.not_compared")
	}
	return name + "\n" + lang.X("adj.score", "score {{.S}}", map[string]any{"S": score(*sc)})
}

// sideHeader is one record's identity, with a note for a central or
// purged record.
func sideHeader(title string, s port.DupSide) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), personGrid(s.Person))
	note := ""
	switch {
	case s.Central:
		note = lang.L("adj.central")
	case s.Purged:
		note = lang.L("adj.purged")
	}
	if note != "" {
		l := widget.NewLabel(note)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	return box
}

// thumb shows one capture: its image (fingers with their minutiae drawn
// over it), or its exception, or a dash.
func thumb(im port.DupImage, size fyne.Size) fyne.CanvasObject {
	if im.Image == nil {
		text := "—"
		if im.Exception != "" {
			text = exceptionLabel(im.Exception)
		}
		return container.NewCenter(widget.NewLabel(text))
	}
	img := im.Image
	if len(im.Minutiae) > 0 {
		img = drawMinutiae(img, im.Minutiae)
	}
	c := canvas.NewImageFromImage(img)
	c.FillMode = canvas.ImageFillContain
	c.SetMinSize(size)
	if im.Exception != "" {
		return container.NewBorder(nil, widget.NewLabel(exceptionLabel(im.Exception)), nil, nil, c)
	}
	return c
}

// Minutia marks: endings red, bifurcations blue.
var (
	endingColor      = color.RGBA{R: 230, G: 30, B: 30, A: 255}
	bifurcationColor = color.RGBA{R: 30, G: 90, B: 240, A: 255}
)

// drawMinutiae returns a colour copy of img with each minutia marked by a
// ring and a tick along its direction, two pixels wide so they survive
// the thumbnail's downscaling.
func drawMinutiae(img image.Image, ms []finger.Minutia) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	const radius, tick = 6, 16
	for _, m := range ms {
		col := endingColor
		if m.Type == finger.Bifurcation {
			col = bifurcationColor
		}
		for a := 0; a < 48; a++ {
			t := float64(a) * 2 * math.Pi / 48
			for _, r := range []float64{radius - 1, radius} {
				out.Set(m.X+int(math.Round(r*math.Cos(t))), m.Y+int(math.Round(r*math.Sin(t))), col)
			}
		}
		// The angle is counter-clockwise with y up; the image's y goes down.
		dx, dy := math.Cos(m.Angle), -math.Sin(m.Angle)
		for r := radius; r <= tick; r++ {
			x, y := float64(m.X)+float64(r)*dx, float64(m.Y)+float64(r)*dy
			out.Set(int(math.Round(x)), int(math.Round(y)), col)
			out.Set(int(math.Round(x-dy)), int(math.Round(y+dx)), col)
		}
	}
	return out
}

// decisionLabel names a check's decision.
func decisionLabel(d dedup.Decision) string {
	switch d {
	case dedup.Clear:
		return lang.L("dupcheck.decision.clear")
	case dedup.Review:
		return lang.L("dupcheck.decision.review")
	case dedup.Duplicate:
		return lang.L("dupcheck.decision.duplicate")
	case dedup.Blocked:
		return lang.L("dupcheck.decision.blocked")
	}
	return string(d)
}

// decide asks for the verdict's reason, then records it.
func (s *adjudicationScreen) decide(duplicate bool) {
	if s.cur == nil {
		s.msg.SetText(lang.L("adj.pick"))
		return
	}
	title := lang.L("adj.not_duplicate")
	if duplicate {
		title = lang.L("adj.duplicate")
	}
	reason := s.a.entry()
	reason.SetPlaceHolder(lang.L("adj.reason_hint"))
	var d *dialog.FormDialog
	d = dialog.NewForm(title, title, lang.L("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("approval.reason"), reason)}, func(ok bool) {
			if ok {
				s.submit(duplicate, strings.TrimSpace(reason.Text))
			}
		}, s.a.w)
	reason.OnSubmitted = func(string) { d.Submit() }
	d.Show()
	s.a.w.Canvas().Focus(reason)
}

// submit records a verdict in the background and reloads the queue.
func (s *adjudicationScreen) submit(duplicate bool, reason string) {
	if s.cur == nil {
		return
	}
	if reason == "" {
		s.msg.Importance = widget.DangerImportance
		s.msg.SetText(lang.L("adj.need_reason"))
		return
	}
	id, sess := s.cur.ID, s.a.sess
	s.busy(true)
	s.a.async(func() error { return s.dup.DecideDupCase(s.a.ctx, sess, id, duplicate, reason) }, func(err error) {
		s.busy(false)
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.Importance = widget.DangerImportance
				s.msg.SetText(adjErrorText(err))
			}
			return
		}
		s.load()
		s.msg.Importance = widget.SuccessImportance
		if duplicate {
			s.msg.SetText(lang.X("adj.done_duplicate", "Case #{{.ID}}: duplicate — the enrollment is rejected.", map[string]any{"ID": id}))
		} else {
			s.msg.SetText(lang.X("adj.done_not_duplicate", "Case #{{.ID}}: not a duplicate — the enrollment is approved.", map[string]any{"ID": id}))
		}
	})
}

// adjErrorText is errorText with the adjudication's own refusals.
func adjErrorText(err error) string {
	switch {
	case errors.Is(err, port.ErrSelfAdjudication):
		return lang.L("adj.self")
	case errors.Is(err, port.ErrNeedReason):
		return lang.L("adj.need_reason")
	}
	return errorText(err)
}
