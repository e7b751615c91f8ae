package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
	"github.com/rekam-ktp/rekam/ui/port"
)

// syncScreen is the outbox and the centre's answers: every sealed packet
// with its status, "sync now" in the background, an export to a drive,
// and the enrollments the centre asks to record again.
type syncScreen struct {
	a         *App
	sy        port.Sync
	packets   []port.Packet
	rerecords []port.Rerecord
	pktList   *widget.List
	rrList    *widget.List
	pktSel    int
	rrSel     int
	reg       *widget.Label
	last      *widget.Label
	phase     *widget.Label
	bar       *widget.ProgressBar
	result    *widget.Label
	syncBtn   *widget.Button
	exportBtn *widget.Button
	receipt   *widget.Button
	again     *widget.Button
	drive     *widget.Entry
	frame     *fyne.Container
	running   bool
}

// goSync shows the Sync screen to the roles allowed to sync.
func (a *App) goSync() {
	if a.sess == nil {
		return
	}
	sy, ok := a.st.(port.Sync)
	if !ok || !a.can(operator.EnrollmentSync) {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &syncScreen{a: a, sy: sy, pktSel: -1, rrSel: -1}
	s.reg = widget.NewLabel("")
	s.reg.Wrapping = fyne.TextWrapWord
	s.last = widget.NewLabel("")
	s.phase = widget.NewLabel("")
	s.phase.Hide()
	s.bar = widget.NewProgressBar()
	s.bar.Hide()
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapWord
	s.syncBtn = widget.NewButton(lang.L("sync.now"), s.syncNow)
	s.syncBtn.Importance = widget.HighImportance
	s.drive = a.entry()
	s.drive.SetPlaceHolder(lang.L("sync.drive_hint"))
	s.drive.OnSubmitted = func(string) { s.export() }
	s.exportBtn = widget.NewButton(lang.L("sync.export"), s.export)
	s.receipt = widget.NewButton(lang.L("receipt.button"), s.openReceipt)
	s.receipt.Disable()
	s.again = widget.NewButton(lang.L("sync.rerecord"), s.rerecord)
	s.again.Disable()

	s.pktList = widget.NewList(func() int { return len(s.packets) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(packetRow(s.packets[i])) })
	s.pktList.OnSelected = func(i widget.ListItemID) { s.pktSel = i; s.receipt.Enable(); a.touch() }
	s.rrList = widget.NewList(func() int { return len(s.rerecords) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(rerecordRow(s.rerecords[i])) })
	s.rrList.OnSelected = func(i widget.ListItemID) {
		s.rrSel = i
		a.touch()
		if s.rerecords[i].Again == 0 {
			s.again.Enable()
		} else {
			s.again.Disable()
		}
	}

	top := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("sync.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.reg, s.last,
		container.NewHBox(widget.NewButton(lang.L("cmd.back"), a.goDashboard), s.syncBtn, widget.NewButton(lang.L("dash.refresh"), s.load)),
		s.phase, s.bar, s.result,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("sync.drive")), s.exportBtn, s.drive),
		widget.NewSeparator())
	packets := container.NewBorder(widget.NewLabelWithStyle(lang.L("sync.packets"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.receipt), nil, nil, s.pktList)
	rerecords := container.NewBorder(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("sync.rerecords"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(lang.L("sync.rerecords_hint"))), container.NewHBox(s.again), nil, nil, s.rrList)
	split := container.NewVSplit(packets, rerecords)
	split.Offset = 0.6
	s.frame = container.NewBorder(top, nil, nil, nil, split)
	a.show("sync", container.NewPadded(s.frame),
		actions{next: s.syncNow, capture: s.load, back: a.goDashboard})
	a.w.Canvas().Focus(s.syncBtn)
	s.load()
}

// load reads the registration, the outbox and the re-record requests.
func (s *syncScreen) load() {
	a, sess := s.a, s.a.sess
	var packets []port.Packet
	var rerecords []port.Rerecord
	var registered, synced bool
	var last syncstation.LastRun
	a.async(func() error {
		registered = s.sy.Registered()
		var err error
		if last, synced, err = s.sy.LastSync(a.ctx); err != nil {
			return err
		}
		if packets, err = s.sy.Packets(a.ctx, sess); err != nil {
			return err
		}
		rerecords, err = s.sy.Rerecords(a.ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			if !a.sessionLost(err) {
				s.say(errorText(err))
			}
			return
		}
		s.reg.SetText(lang.L("sync.registered"))
		if !registered {
			s.reg.SetText(lang.L("sync.not_registered"))
		}
		s.last.SetText(lastSyncLabel(last, synced, a.now()))
		s.setEnabled(registered && !s.running)
		s.packets, s.rerecords, s.pktSel, s.rrSel = packets, rerecords, -1, -1
		s.pktList.UnselectAll()
		s.rrList.UnselectAll()
		s.receipt.Disable()
		s.again.Disable()
		s.pktList.Refresh()
		s.rrList.Refresh()
	})
}

// say shows a result or an error above the lists, making room for it.
func (s *syncScreen) say(text string) {
	s.result.SetText(text)
	s.frame.Refresh()
}

// setEnabled turns the sync and export buttons on or off.
func (s *syncScreen) setEnabled(on bool) {
	for _, b := range []*widget.Button{s.syncBtn, s.exportBtn} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// syncNow runs one sync pass in the background; its progress and result
// show on the screen, the window stays live.
func (s *syncScreen) syncNow() {
	if s.running || s.syncBtn.Disabled() {
		return
	}
	a, sess := s.a, s.a.sess
	s.running = true
	s.setEnabled(false)
	s.bar.SetValue(0)
	s.bar.Show()
	s.phase.SetText(lang.L("sync.phase.upload"))
	s.phase.Show()
	s.say("")
	var rep syncstation.Report
	a.async(func() error {
		var err error
		rep, err = s.sy.SyncNow(a.ctx, sess, func(p syncstation.Progress) {
			a.post(func() { s.showProgress(p) })
		})
		return err
	}, func(err error) {
		s.running = false
		s.bar.Hide()
		s.phase.Hide()
		text := lang.X("sync.result", "Done: {{.Received}} received by the centre, {{.Failed}} failed (retried later), {{.Refused}} refused; {{.Statuses}} statuses updated.",
			map[string]any{"Received": rep.Received, "Failed": rep.Failed, "Refused": rep.Refused, "Statuses": rep.Statuses})
		if err != nil {
			if a.sessionLost(err) {
				return
			}
			text += "\n" + errorText(err)
		}
		s.say(text)
		s.load()
	})
}

// showProgress shows where the running pass stands.
func (s *syncScreen) showProgress(p syncstation.Progress) {
	switch p.Phase {
	case "upload":
		if p.Total > 0 {
			s.bar.SetValue(float64(p.Done) / float64(p.Total))
			s.phase.SetText(lang.X("sync.phase.uploading", "Uploading packet {{.N}} of {{.Total}}…", map[string]any{"N": p.Done + 1, "Total": p.Total}))
			return
		}
		s.phase.SetText(lang.L("sync.phase.upload"))
	case "status":
		s.bar.SetValue(1)
		s.phase.SetText(lang.L("sync.phase.status"))
	case "feeds":
		s.phase.SetText(lang.L("sync.phase.feeds"))
	case "purge":
		s.phase.SetText(lang.L("sync.phase.purge"))
	}
}

// export writes the unsent packets to the folder typed (a drive).
func (s *syncScreen) export() {
	dir := strings.TrimSpace(s.drive.Text)
	if s.running || s.exportBtn.Disabled() {
		return
	}
	if dir == "" {
		s.say(lang.L("sync.drive_needed"))
		return
	}
	a, sess := s.a, s.a.sess
	var n int
	s.exportBtn.Disable()
	a.async(func() error {
		var err error
		n, err = s.sy.ExportOutbox(a.ctx, sess, dir)
		return err
	}, func(err error) {
		s.exportBtn.Enable()
		if err != nil {
			if !a.sessionLost(err) {
				s.say(errorText(err))
			}
			return
		}
		s.say(lang.X("sync.exported", "{{.N}} packets exported to {{.Dir}}.", map[string]any{"N": n, "Dir": dir}))
	})
}

// openReceipt shows the selected packet's enrollment receipt.
func (s *syncScreen) openReceipt() {
	if s.pktSel >= 0 && s.pktSel < len(s.packets) {
		s.a.goReceipt(s.packets[s.pktSel].EnrollmentID)
	}
}

// rerecord starts a new enrollment of the selected refused one's resident,
// at the privacy notice with the biodata filled in; the dedup check links
// the new enrollment to the refused one.
func (s *syncScreen) rerecord() {
	if s.rrSel < 0 || s.rrSel >= len(s.rerecords) || s.rerecords[s.rrSel].Again != 0 {
		return
	}
	if !s.a.can(operator.BiometricWrite) {
		s.a.showError(operator.ErrForbidden)
		return
	}
	rr := s.rerecords[s.rrSel]
	f := s.a.newFlow()
	f.residentID, f.resident = rr.Resident.ID, rr.Resident.Resident
	s.a.flow = f
	f.show(stepPrivacy)
}

// lastSyncLabel tells when the last pass ran and what it did.
func lastSyncLabel(r syncstation.LastRun, ok bool, now time.Time) string {
	if !ok {
		return lang.L("sync.never")
	}
	key, text := "sync.last_ok", "Last sync {{.At}}: {{.Received}} received, {{.Statuses}} statuses."
	if r.Failed {
		key, text = "sync.last_failed", "Last sync {{.At}} did not complete: {{.Received}} received, {{.Failed}} failed."
	}
	at := r.At.In(now.Location()).Format("02-01-2006 15:04")
	return lang.X(key, text, map[string]any{"At": at, "Received": r.Report.Received, "Failed": r.Report.Failed + r.Report.Refused, "Statuses": r.Report.Statuses})
}

// packetRow is one outbox line: enrollment, the centre's status, the
// packet's status, size, attempts and the last error.
func packetRow(p port.Packet) string {
	size := lang.L("sync.file_missing")
	if p.Size >= 0 {
		size = fmt.Sprintf("%.1f KB", float64(p.Size)/1024)
	}
	s := lang.X("sync.packet_row", "#{{.ID}} · {{.State}} · {{.Status}} · {{.Size}} · {{.Attempts}} attempts",
		map[string]any{"ID": p.EnrollmentID, "State": stateLabel(p.State), "Status": outboxLabel(p.Status), "Size": size, "Attempts": p.Attempts})
	if p.LastError != "" {
		s += " · " + p.LastError
	}
	return s
}

// rerecordRow is one re-record line: enrollment, masked NIK, name, the
// centre's reason, and the new enrollment when one is started.
func rerecordRow(r port.Rerecord) string {
	s := fmt.Sprintf("#%d  %s  %s — %s", r.Enrollment.ID, nik.Mask(r.Resident.Resident.NIK), r.Resident.Resident.Name, r.Reason)
	if r.Again != 0 {
		s += " · " + lang.X("sync.rerecorded", "recorded again as #{{.ID}}", map[string]any{"ID": r.Again})
	}
	return s
}

// outboxLabel names an outbox status.
func outboxLabel(status string) string {
	switch status {
	case store.OutboxPending:
		return lang.L("sync.outbox.pending")
	case store.OutboxSending:
		return lang.L("sync.outbox.sending")
	case store.OutboxReceived:
		return lang.L("sync.outbox.received")
	case store.OutboxRefused:
		return lang.L("sync.outbox.refused")
	}
	return status
}
