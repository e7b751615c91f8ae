package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// queued is one enrollment awaiting a decision, with its resident.
type queued struct {
	e        store.Enrollment
	resident enroll.Resident
}

// approvalScreen is the supervisor's queue: list on the left (NIKs
// masked), the selected enrollment on the right, approve or reject with a
// reason. The store checks the role; the port checks that the supervisor
// did not record the enrollment.
type approvalScreen struct {
	a      *App
	items  []queued
	list   *widget.List
	detail *fyne.Container
	msg    *widget.Label
	sel    int
}

// goApprovals shows the approval queue.
func (a *App) goApprovals() {
	if a.sess == nil {
		return
	}
	if !a.can(operator.EnrollmentDecide) {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &approvalScreen{a: a, sel: -1}
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.detail = container.NewVBox(widget.NewLabel(lang.L("approval.pick")))
	s.list = widget.NewList(func() int { return len(s.items) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.row(i)) })
	s.list.OnSelected = func(i widget.ListItemID) { s.pick(i) }
	approve := widget.NewButton(lang.L("approval.approve"), s.approve)
	approve.Importance = widget.SuccessImportance
	reject := widget.NewButton(lang.L("approval.reject"), s.reject)
	reject.Importance = widget.DangerImportance
	receipt := widget.NewButton(lang.L("receipt.button"), func() {
		if s.sel >= 0 && s.sel < len(s.items) {
			a.goReceipt(s.items[s.sel].e.ID)
		}
	})
	right := container.NewBorder(nil, container.NewVBox(s.msg, container.NewHBox(approve, reject, receipt)), nil, nil, container.NewVScroll(s.detail))
	split := container.NewHSplit(s.list, right)
	split.Offset = 0.38
	top := widget.NewLabelWithStyle(lang.L("approval.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.show("approvals", container.NewPadded(container.NewBorder(top, nil, nil, nil, split)),
		actions{capture: s.load, next: s.approve, exception: s.reject})
	a.w.Canvas().Focus(s.list)
	s.load()
}

// row is one list line: id, masked NIK, name, who recorded it.
func (s *approvalScreen) row(i int) string {
	q := s.items[i]
	return fmt.Sprintf("#%d  %s  %s  (%s, %s)", q.e.ID, nik.Mask(q.resident.NIK), q.resident.Name, q.e.CreatedBy, stateLabel(q.e.State))
}

// load fetches the enrollments waiting for a decision.
func (s *approvalScreen) load() {
	sess := s.a.sess
	var items []queued
	s.a.async(func() error {
		for _, st := range []enroll.State{enroll.BioCaptured, enroll.Review} {
			es, err := s.a.st.Enrollments(s.a.ctx, sess, st)
			if err != nil {
				return err
			}
			for _, e := range es {
				r, err := s.a.st.Resident(s.a.ctx, sess, e.ResidentID)
				if err != nil {
					return err
				}
				items = append(items, queued{e: e, resident: r.Resident})
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.SetText(errorText(err))
			}
			return
		}
		s.items, s.sel = items, -1
		defer s.a.event(eventQueue, strconv.Itoa(len(items)))
		s.list.UnselectAll()
		s.list.Refresh()
		s.detail.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("approval.pick"))}
		if len(items) == 0 {
			s.detail.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("approval.empty"))}
		}
		s.detail.Refresh()
	})
}

// pick shows one enrollment's biodata and captures.
func (s *approvalScreen) pick(i int) {
	s.sel = i
	s.a.touch()
	q, sess := s.items[i], s.a.sess
	var caps []store.Capture
	s.a.async(func() error {
		var err error
		caps, err = s.a.st.Captures(s.a.ctx, sess, q.e.ID)
		return err
	}, func(err error) {
		if err != nil {
			s.msg.SetText(errorText(err))
			return
		}
		m := map[string]store.Capture{}
		for _, c := range caps {
			m[c.Step] = c
		}
		s.detail.Objects = []fyne.CanvasObject{residentSummary(q.resident, true), widget.NewSeparator(), captureThumbs(m)}
		s.detail.Refresh()
		s.msg.SetText("")
	})
}

// approve approves the selected enrollment.
func (s *approvalScreen) approve() { s.decide(true, "") }

// reject asks for a reason, then rejects.
func (s *approvalScreen) reject() {
	if s.sel < 0 {
		return
	}
	reason := s.a.entry()
	d := dialog.NewForm(lang.L("approval.reject"), lang.L("approval.reject"), lang.L("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("approval.reason"), reason)}, func(ok bool) {
			if ok {
				s.decide(false, strings.TrimSpace(reason.Text))
			}
		}, s.a.w)
	d.Show()
	s.a.w.Canvas().Focus(reason)
}

// decide records the decision in the background and reloads the queue.
func (s *approvalScreen) decide(approve bool, reason string) {
	if s.sel < 0 || s.sel >= len(s.items) {
		s.msg.SetText(lang.L("approval.pick"))
		return
	}
	id, sess := s.items[s.sel].e.ID, s.a.sess
	if !approve && reason == "" {
		s.msg.SetText(lang.L("approval.need_reason"))
		return
	}
	s.a.async(func() error { return s.a.st.Decide(s.a.ctx, sess, id, approve, reason) }, func(err error) {
		if err != nil {
			if !s.a.sessionLost(err) {
				s.msg.SetText(errorText(err))
			}
			return
		}
		s.a.event(eventDecided, strconv.FormatInt(id, 10))
		s.load()
		key := lang.X("approval.approved", "Enrollment #{{.ID}} approved.", map[string]any{"ID": id})
		if !approve {
			key = lang.X("approval.rejected", "Enrollment #{{.ID}} rejected.", map[string]any{"ID": id})
		}
		s.msg.SetText(key)
	})
}
