package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/ui/port"
)

// dupCheckScreen is the duplicate check result shown after an enrollment
// is submitted: the check runs off the UI thread under a spinner, then the
// decision (clear, review, duplicate, blocked), the blocking enrollment or
// the re-record link, and the ranked candidates with their scores.
// Ctrl+L leaves it; Ctrl+R runs the check again after an error.
type dupCheckScreen struct {
	a       *App
	id      int64
	spinner *widget.Activity
	status  *widget.Label
	body    *fyne.Container
	res     *port.DupResult
	running bool
}

// dupCheckName is the screen's name for tests and the smoke script.
const dupCheckName = "enroll.dupcheck"

// goDupCheck shows the duplicate check of a just-submitted enrollment and
// starts it.
func (a *App) goDupCheck(id int64) {
	dup, ok := a.st.(port.Duplicates)
	if !ok {
		a.afterDuplicateCheck(id)
		return
	}
	s := &dupCheckScreen{a: a, id: id, spinner: widget.NewActivity()}
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.status.TextStyle.Bold = true
	s.body = container.NewVBox()
	title := widget.NewLabelWithStyle(lang.X("dupcheck.title", "Duplicate check — enrollment #{{.ID}}", map[string]any{"ID": id}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	submitted := widget.NewLabel(lang.X("review.submitted", "Enrollment #{{.ID}} was sent for a supervisor's approval.", map[string]any{"ID": id}))
	next := widget.NewButton(lang.L("dupcheck.continue"), s.next)
	next.Importance = widget.HighImportance
	top := container.NewVBox(title, submitted, container.NewBorder(nil, nil, s.spinner, nil, s.status), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(next))
	a.show(dupCheckName, container.NewPadded(container.NewBorder(top, bottom, nil, nil, container.NewVScroll(s.body))),
		actions{next: s.next, capture: func() { s.run(dup) }})
	s.run(dup)
}

// preloadDuplicates loads the duplicate check's gallery from the
// encrypted store in the background as soon as the station is open, so the
// first check after start-up does not wait for it (a failed load is
// retried, and reported, by the check itself).
func (a *App) preloadDuplicates() {
	p, ok := a.st.(interface {
		Checker(context.Context) (*dedup.Checker, error)
	})
	if !ok {
		return
	}
	a.async(func() error {
		_, err := p.Checker(a.ctx)
		return err
	}, func(error) {})
}

// run starts the check in the background.
func (s *dupCheckScreen) run(dup port.Duplicates) {
	if s.running {
		return
	}
	s.running = true
	sess, id := s.a.sess, s.id
	s.status.SetText(lang.L("dupcheck.running"))
	s.status.Importance = widget.MediumImportance
	s.spinner.Show()
	s.spinner.Start()
	var res port.DupResult
	s.a.async(func() error {
		var err error
		res, err = dup.CheckDuplicates(s.a.ctx, sess, id)
		return err
	}, func(err error) {
		s.running = false
		s.spinner.Stop()
		s.spinner.Hide()
		if err != nil {
			if !s.a.sessionLost(err) {
				s.status.Importance = widget.DangerImportance
				s.status.SetText(lang.X("dupcheck.failed", "The duplicate check failed: {{.Err}} — Ctrl+R tries again; the enrollment stays submitted.",
					map[string]any{"Err": errorText(err)}))
			}
			return
		}
		s.res = &res
		s.render(res)
	})
}

// next leaves the screen: a blocked resident stops at the dashboard,
// every other outcome goes on.
func (s *dupCheckScreen) next() {
	if s.res != nil && s.res.Decision == dedup.Blocked {
		s.a.goDashboard()
		s.a.dash.msg.SetText(lang.X("dupcheck.blocked_short", "Enrollment #{{.ID}} is blocked: the NIK already has enrollment #{{.Other}}.",
			map[string]any{"ID": s.id, "Other": s.res.Blocking.EnrollmentID}))
		return
	}
	s.a.afterDuplicateCheck(s.id)
}

// afterDuplicateCheck is where the flow goes once the duplicate check
// result has been seen. For now the dashboard; the integrator points it at
// the printable receipt (a.goReceipt).
func (a *App) afterDuplicateCheck(enrollmentID int64) {
	a.flow = nil
	a.goReceipt(enrollmentID)
}

// render shows a finished check.
func (s *dupCheckScreen) render(r port.DupResult) {
	s.status.SetText(decisionText(r))
	s.status.Importance = decisionImportance(r.Decision)
	s.status.Refresh()
	objs := []fyne.CanvasObject{}
	if r.Blocking != nil {
		b := r.Blocking
		objs = append(objs, widget.NewLabelWithStyle(lang.L("dupcheck.blocking"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			personGrid(*b), widget.NewSeparator())
	}
	if r.Supersedes != 0 {
		l := widget.NewLabel(lang.X("dupcheck.supersedes", "This is a re-record requested by the centre: it is linked to enrollment #{{.ID}} (ENROLL_FAILURE_AT_CENTRAL).",
			map[string]any{"ID": r.Supersedes}))
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	if r.Decision != dedup.Blocked {
		objs = append(objs, widget.NewLabel(lang.X("dupcheck.searched", "Searched {{.N}} identities. Thresholds: review {{.Review}}, duplicate {{.Dup}}.",
			map[string]any{"N": r.GallerySize, "Review": score(r.ReviewThreshold), "Dup": score(r.DuplicateThreshold)})))
	}
	if len(r.Skipped) > 0 {
		names := make([]string, len(r.Skipped))
		for i, st := range r.Skipped {
			names[i] = stepLabel(st)
		}
		l := widget.NewLabel(lang.X("dupcheck.skipped", "Not searchable (the engine could not read them): {{.Steps}}", map[string]any{"Steps": strings.Join(names, ", ")}))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		objs = append(objs, l)
	}
	if len(r.Candidates) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(lang.L("dupcheck.candidates"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			candidateGrid(r.Candidates, r.DuplicateThreshold))
	}
	if len(r.Demographic) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(lang.L("dupcheck.demographic"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, d := range r.Demographic {
			objs = append(objs, widget.NewLabel(demographicText(d)))
		}
	}
	s.body.Objects = objs
	s.body.Refresh()
}

// decisionText says what a check decided and what happens next.
func decisionText(r port.DupResult) string {
	switch r.Decision {
	case dedup.Clear:
		return lang.L("dupcheck.clear")
	case dedup.Review:
		return lang.X("dupcheck.review", "Possible duplicate: case #{{.Case}} waits for a supervisor's adjudication.", map[string]any{"Case": r.CaseID})
	case dedup.Duplicate:
		return lang.X("dupcheck.duplicate", "Duplicate found: case #{{.Case}} waits for a supervisor's adjudication.", map[string]any{"Case": r.CaseID})
	case dedup.Blocked:
		id, st := int64(0), ""
		if r.Blocking != nil {
			id, st = r.Blocking.EnrollmentID, stateLabel(r.Blocking.State)
		}
		return lang.X("dupcheck.blocked", "Blocked: this NIK already has enrollment #{{.ID}} ({{.State}}). This enrollment cannot go ahead.",
			map[string]any{"ID": id, "State": st})
	}
	return string(r.Decision)
}

// decisionImportance colours a decision.
func decisionImportance(d dedup.Decision) widget.Importance {
	switch d {
	case dedup.Clear:
		return widget.SuccessImportance
	case dedup.Review:
		return widget.WarningImportance
	}
	return widget.DangerImportance
}

// score spells a fused or per-modality score.
func score(v float64) string { return fmt.Sprintf("%.1f", v) }

// recordLabel names a candidate record: the local enrollment and its
// (masked) NIK, or the centre's opaque id.
func recordLabel(c port.DupCandidate) string {
	if c.Central {
		return lang.X("dupcheck.central", "Central record {{.ID}}", map[string]any{"ID": c.RecordID})
	}
	s := fmt.Sprintf("#%d  %s", c.Person.EnrollmentID, c.Person.NIK)
	if c.Person.Name != "" {
		s += "  " + c.Person.Name
	}
	return s
}

// modalityScores spells a candidate's per-finger and per-iris scores.
func modalityScores(c port.DupCandidate) string {
	var parts []string
	for p, v := range c.Fingers {
		if v != nil {
			parts = append(parts, fingerLabel(port.Finger(p+1))+" "+score(*v))
		}
	}
	for k, v := range c.Irises {
		if v != nil {
			parts = append(parts, eyeLabel(port.Eyes[k])+" "+score(*v))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

// candidateGrid is the ranked candidate table: rank, record, fused score
// (marked when at or above the duplicate threshold), per-modality scores.
func candidateGrid(cs []port.DupCandidate, dup float64) fyne.CanvasObject {
	g := container.NewVBox()
	for i, c := range cs {
		fused := widget.NewLabelWithStyle(lang.X("dupcheck.fused", "fused {{.S}}", map[string]any{"S": score(c.Score)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		if c.Score >= dup {
			fused.Importance = widget.DangerImportance
		} else {
			fused.Importance = widget.WarningImportance
		}
		mods := widget.NewLabel(modalityScores(c))
		mods.Wrapping = fyne.TextWrapWord
		g.Add(container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(fmt.Sprintf("%d.", i+1)), widget.NewLabel(recordLabel(c)), fused), nil, mods))
	}
	return g
}

// demographicText is one demographic near-duplicate.
func demographicText(d port.DupDemographic) string {
	matched := make([]string, len(d.Matched))
	for i, m := range d.Matched {
		matched[i] = matchLabel(m)
	}
	who := d.Person.NIK
	if d.Person.Name != "" {
		who += "  " + d.Person.Name
	}
	if d.Person.EnrollmentID != 0 {
		who = fmt.Sprintf("#%d  %s", d.Person.EnrollmentID, who)
	}
	return lang.X("dupcheck.demo_row", "{{.Who}} — same {{.Matched}}", map[string]any{"Who": who, "Matched": strings.Join(matched, ", ")})
}

// personGrid shows an enrollment's identity: enrollment, state, NIK, and
// the biodata the role may see.
func personGrid(p port.DupPerson) fyne.CanvasObject {
	g := container.NewGridWithColumns(2)
	add := func(k, v string) {
		if v == "" {
			return
		}
		g.Add(widget.NewLabelWithStyle(k, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		g.Add(widget.NewLabel(v))
	}
	if p.EnrollmentID != 0 {
		add(lang.L("dupcheck.enrollment"), fmt.Sprintf("#%d (%s)", p.EnrollmentID, stateLabel(p.State)))
	}
	add(lang.L("field.nik"), p.NIK)
	add(lang.L("field.name"), p.Name)
	add(lang.L("field.birth_place"), p.BirthPlace)
	add(lang.L("field.birth_date"), p.BirthDate)
	add(lang.L("field.mother_name"), p.MotherName)
	add(lang.L("dupcheck.recorded_by"), p.CreatedBy)
	return g
}

// matchLabel names a demographic field that agreed.
func matchLabel(m string) string {
	switch m {
	case "name":
		return lang.L("field.name")
	case "birth_date":
		return lang.L("field.birth_date")
	case "mother_name":
		return lang.L("field.mother_name")
	}
	return m
}
