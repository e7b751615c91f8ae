package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// dashboard shows today's work, the outbox, the devices and the disk.
type dashboard struct {
	a       *App
	today   *widget.Label
	states  *fyne.Container
	outbox  *widget.Label
	disk    *widget.Label
	lights  []*deviceLight
	msg     *widget.Label
	summary todaySummary
}

// todaySummary counts today's enrollments by state.
type todaySummary struct {
	byState map[enroll.State]int
	total   int
	backlog int
	disk    port.DiskInfo
	// lastSync tells the last sync pass (sync roles only).
	lastSync string
}

// deviceLight is one device's row: a coloured dot, its name and state.
type deviceLight struct {
	kind  string
	dev   port.Device
	dot   *canvas.Circle
	label *widget.Label
}

// goDashboard shows the dashboard.
func (a *App) goDashboard() {
	if a.sess == nil {
		return
	}
	d := &dashboard{a: a}
	a.dash = d
	d.today = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.states = container.NewGridWithColumns(2)
	d.outbox = widget.NewLabel("")
	d.disk = widget.NewLabel("")
	d.disk.Wrapping = fyne.TextWrapWord
	d.msg = widget.NewLabel("")
	devs := container.NewVBox()
	for _, x := range []struct {
		kind string
		dev  port.Device
	}{
		{lang.L("device.finger"), a.opt.Devices.Finger},
		{lang.L("device.iris"), a.opt.Devices.Iris},
		{lang.L("device.face"), a.opt.Devices.Face},
		{lang.L("device.signature"), a.opt.Devices.Signature},
	} {
		l := &deviceLight{kind: x.kind, dev: x.dev, dot: canvas.NewCircle(color.Gray{Y: 128}), label: widget.NewLabel("")}
		dot := container.NewGridWrap(fyne.NewSize(14, 14), l.dot)
		devs.Add(container.NewHBox(container.NewCenter(dot), l.label))
		d.lights = append(d.lights, l)
	}
	newBtn := widget.NewButton(lang.L("cmd.new"), a.startEnrollment)
	newBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(newBtn)
	if a.can(operator.EnrollmentDecide) {
		buttons.Add(widget.NewButton(lang.L("cmd.approvals"), a.goApprovals))
		buttons.Add(widget.NewButton(lang.L("cmd.adjudication"), a.goAdjudication))
	}
	if a.can(operator.OperatorManage) {
		buttons.Add(widget.NewButton(lang.L("cmd.operators"), a.goOperators))
	}
	if a.can(operator.DeviceService) {
		buttons.Add(widget.NewButton(lang.L("cmd.technician"), a.goTechnician))
	}
	if a.canSeeSettings() {
		buttons.Add(widget.NewButton(lang.L("cmd.settings"), a.goSettings))
	}
	if a.can(operator.EnrollmentSync) {
		buttons.Add(widget.NewButton(lang.L("cmd.sync"), a.goSync))
	}
	if a.can(operator.AuditRead) {
		buttons.Add(widget.NewButton(lang.L("audit.open"), a.goAudit))
	}
	if _, ok := a.st.(port.FingerLogin); ok {
		buttons.Add(widget.NewButton(lang.L("login2.own_title"), a.enrolOwnFinger))
	}
	buttons.Add(widget.NewButton(lang.L("dash.refresh"), d.refresh))
	left := widget.NewCard(lang.L("dash.today"), "", container.NewVBox(d.today, d.states))
	right := container.NewVBox(
		widget.NewCard(lang.L("dash.outbox"), "", d.outbox),
		widget.NewCard(lang.L("dash.devices"), "", devs),
		widget.NewCard(lang.L("dash.disk"), "", d.disk),
	)
	body := container.NewBorder(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("dash.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), buttons, d.msg),
		nil, nil, nil, container.NewGridWithColumns(2, left, right))
	a.show("dashboard", container.NewPadded(body), actions{capture: d.refresh, next: a.startEnrollment})
	d.refreshDevices()
	d.refresh()
}

// refresh loads the counts in the background.
func (d *dashboard) refresh() {
	sess := d.a.sess
	var sum todaySummary
	d.a.async(func() error {
		es, err := d.a.st.Enrollments(d.a.ctx, sess, "")
		if err != nil {
			return err
		}
		sum = summarize(es, d.a.now())
		sum.backlog = -1 // the outbox is sync work: supervisors see it
		if operator.Allowed(sess.Role, operator.EnrollmentSync) {
			out, err := d.a.st.Outbox(d.a.ctx, sess, store.OutboxPending)
			if err != nil {
				return err
			}
			sum.backlog = len(out)
			if sy, ok := d.a.st.(port.Sync); ok {
				// An unreadable record says nothing (the Sync screen
				// shows the error), never "not synced yet".
				if last, synced, err := sy.LastSync(d.a.ctx); err == nil {
					sum.lastSync = lastSyncLabel(last, synced, d.a.now())
				}
			}
		}
		sum.disk, err = d.a.st.Disk(d.a.ctx)
		return err
	}, func(err error) {
		if err != nil {
			if !d.a.sessionLost(err) {
				d.msg.SetText(errorText(err))
			}
			return
		}
		d.summary = sum
		d.render()
	})
}

// summarize counts the enrollments touched today by state.
func summarize(es []store.Enrollment, now time.Time) todaySummary {
	y, m, day := now.Date()
	start := time.Date(y, m, day, 0, 0, 0, 0, now.Location())
	s := todaySummary{byState: map[enroll.State]int{}}
	for _, e := range es {
		if e.UpdatedAt.Before(start) && e.CreatedAt.Before(start) {
			continue
		}
		s.byState[e.State]++
		s.total++
	}
	return s
}

// render writes the loaded summary into the widgets.
func (d *dashboard) render() {
	s := d.summary
	d.today.SetText(lang.X("dash.today_total", "{{.N}} enrollments today", map[string]any{"N": s.total}))
	d.states.Objects = nil
	for _, st := range enroll.States {
		if n := s.byState[st]; n > 0 {
			d.states.Add(widget.NewLabel(stateLabel(st)))
			d.states.Add(widget.NewLabel(fmt.Sprint(n)))
		}
	}
	d.states.Refresh()
	d.outbox.SetText(lang.X("dash.backlog", "{{.N}} packets waiting to be sent", map[string]any{"N": s.backlog}))
	if s.backlog < 0 {
		d.outbox.SetText(lang.L("dash.backlog_hidden"))
	} else if s.lastSync != "" {
		d.outbox.SetText(d.outbox.Text + "\n" + s.lastSync)
	}
	src := lang.L("dash.size_assumed")
	if s.disk.Measured {
		src = lang.L("dash.size_measured")
	}
	d.disk.SetText(lang.X("dash.disk_text", "{{.Free}} free: room for about {{.Fits}} more enrollments ({{.Per}} each, {{.Src}})",
		map[string]any{"Free": humanBytes(s.disk.Free), "Fits": s.disk.Fits(), "Per": humanBytes(s.disk.PerEnrollment), "Src": src}))
}

// refreshDevices updates each device's light.
func (d *dashboard) refreshDevices() {
	for _, l := range d.lights {
		st := port.DeviceMissing
		name := lang.L("device.none")
		if l.dev != nil {
			st, name = l.dev.State(), l.dev.Name()
		}
		l.dot.FillColor = stateColor(st)
		l.dot.Refresh()
		l.label.SetText(l.kind + ": " + deviceStateLabel(st) + " — " + name)
	}
}

// stateColor is a device light's colour, from the theme.
func stateColor(s port.DeviceState) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := fyne.CurrentApp().Settings().Theme()
	switch s {
	case port.DeviceReady:
		return th.Color(theme.ColorNameSuccess, v)
	case port.DeviceBusy:
		return th.Color(theme.ColorNameWarning, v)
	case port.DeviceFault:
		return th.Color(theme.ColorNameError, v)
	}
	return th.Color(theme.ColorNameDisabled, v)
}

// humanBytes spells a byte count in MB or GB.
func humanBytes(b uint64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
}
