package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// auditPageSize is how many entries the audit viewer shows per page.
const auditPageSize = 25

// auditScreen is the audit viewer: filters (dates, operator, action), one
// page of entries newest first, and paging. It shows only what the log
// holds (codes and account names, no personal data); each page read is
// audited by the store.
type auditScreen struct {
	a        *App
	av       port.AuditViewer
	from, to *widget.Entry
	actor    *widget.Select
	action   *widget.Select
	rows     *fyne.Container
	pageInfo *widget.Label
	msg      *widget.Label
	prev     *widget.Button
	next     *widget.Button
	filter   store.AuditFilter
	page     store.AuditPage
}

// goAudit shows the audit viewer to the roles that may read the log.
func (a *App) goAudit() {
	if a.sess == nil {
		return
	}
	av, ok := a.st.(port.AuditViewer)
	if !ok || !a.can(operator.AuditRead) {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &auditScreen{a: a, av: av}
	s.from, s.to = a.entry(), a.entry()
	s.from.SetPlaceHolder(lang.L("audit.date_hint"))
	s.to.SetPlaceHolder(lang.L("audit.date_hint"))
	s.actor = widget.NewSelect(nil, nil)
	s.action = widget.NewSelect(nil, nil)
	s.rows = container.NewVBox()
	s.pageInfo = widget.NewLabel("")
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	search := widget.NewButton(lang.L("audit.search"), s.search)
	search.Importance = widget.HighImportance
	s.prev = widget.NewButton(lang.L("audit.prev"), s.prevPage)
	s.next = widget.NewButton(lang.L("audit.next"), s.nextPage)
	filters := widget.NewForm(
		widget.NewFormItem(lang.L("audit.from"), s.from),
		widget.NewFormItem(lang.L("audit.to"), s.to),
		widget.NewFormItem(lang.L("audit.actor"), s.actor),
		widget.NewFormItem(lang.L("audit.action"), s.action),
	)
	top := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("audit.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		filters, container.NewHBox(search, s.prev, s.next, s.pageInfo), s.msg, widget.NewSeparator())
	a.show("audit", container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(s.rows))),
		actions{capture: s.search, next: s.nextPage, back: s.prevPage})
	a.w.Canvas().Focus(s.from)
	s.loadFacets()
	s.search()
}

// loadFacets fills the operator and action choices from the log.
func (s *auditScreen) loadFacets() {
	sess := s.a.sess
	var actors, acts []string
	s.a.async(func() error {
		var err error
		actors, acts, err = s.av.AuditFacets(s.a.ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			s.showErr(err)
			return
		}
		all := lang.L("audit.all")
		s.actor.Options = append([]string{all}, actors...)
		s.action.Options = append([]string{all}, acts...)
		if s.actor.Selected == "" {
			s.actor.SetSelected(all)
		}
		if s.action.Selected == "" {
			s.action.SetSelected(all)
		}
		s.actor.Refresh()
		s.action.Refresh()
	})
}

// parseDay reads a YYYY-MM-DD date in the station's time zone (zero when
// empty); end moves it to the next midnight so the day is included.
func (s *auditScreen) parseDay(text string, end bool) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", text, s.a.now().Location())
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %s", lang.L("audit.bad_date"), text)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// search reads the filters and loads their first page.
func (s *auditScreen) search() {
	from, err := s.parseDay(s.from.Text, false)
	if err == nil {
		var to time.Time
		if to, err = s.parseDay(s.to.Text, true); err == nil {
			s.filter = store.AuditFilter{From: from, To: to, PageSize: auditPageSize,
				Actor: s.choice(s.actor), Action: s.choice(s.action)}
			s.load(0)
			return
		}
	}
	s.msg.SetText(err.Error())
}

// choice is a filter select's value ("" for all).
func (s *auditScreen) choice(sel *widget.Select) string {
	if sel.Selected == lang.L("audit.all") {
		return ""
	}
	return sel.Selected
}

// prevPage and nextPage move through the matches.
func (s *auditScreen) prevPage() {
	if s.page.Page > 0 {
		s.load(s.page.Page - 1)
	}
}

func (s *auditScreen) nextPage() {
	if s.page.Page+1 < s.page.Pages() {
		s.load(s.page.Page + 1)
	}
}

// load reads page n of the current filter off the UI thread.
func (s *auditScreen) load(n int) {
	f, sess := s.filter, s.a.sess
	f.Page = n
	var page store.AuditPage
	s.a.async(func() error {
		var err error
		page, err = s.av.AuditQuery(s.a.ctx, sess, f)
		return err
	}, func(err error) {
		if err != nil {
			s.showErr(err)
			return
		}
		s.page = page
		s.msg.SetText("")
		s.render()
	})
}

// showErr shows a failure, or returns to the login when the session ended.
func (s *auditScreen) showErr(err error) {
	if !s.a.sessionLost(err) {
		s.msg.SetText(errorText(err))
	}
}

// render shows the loaded page: one row per entry, newest first.
func (s *auditScreen) render() {
	loc := s.a.now().Location()
	s.rows.Objects = nil
	for _, e := range s.page.Entries {
		line := fmt.Sprintf("#%d  %s  %s  %s  %s  %s", e.Seq, e.At.In(loc).Format("2006-01-02 15:04:05"),
			e.Actor, e.Action, e.Object, e.Detail)
		s.rows.Add(widget.NewLabelWithStyle(strings.TrimSpace(line), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
	}
	if len(s.page.Entries) == 0 {
		s.rows.Add(widget.NewLabel(lang.L("audit.none")))
	}
	s.rows.Refresh()
	s.pageInfo.SetText(lang.X("audit.page", "Page {{.Page}} of {{.Pages}} · {{.Total}} entries",
		map[string]any{"Page": s.page.Page + 1, "Pages": s.page.Pages(), "Total": s.page.Total}))
	if s.page.Page > 0 {
		s.prev.Enable()
	} else {
		s.prev.Disable()
	}
	if s.page.Page+1 < s.page.Pages() {
		s.next.Enable()
	} else {
		s.next.Disable()
	}
}
