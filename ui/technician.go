package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/ui/port"
)

// techScreen is the technician's bench: every device with its info,
// self-test, live preview and capture to file, and under --sim the
// simulator controls to rehearse each failure.
type techScreen struct {
	a      *App
	bench  port.Bench
	rows   []*techRow
	folder *widget.Entry
	msg    *widget.Label
	// live is the preview panel; pv the running preview (nil when none).
	live      *canvas.Image
	liveTitle *widget.Label
	stopBtn   *widget.Button
	pv        *techPreview
}

// techPreview is one running preview stream.
type techPreview struct {
	row    *techRow
	cancel context.CancelFunc
	done   chan struct{}
	frames int
	// handedOver: an operation on the same device stopped the preview to
	// use the device; that operation reports, not the preview's end.
	handedOver bool
}

// techRow is one device's card.
type techRow struct {
	t      *techScreen
	dev    port.BenchDevice
	title  *widget.Label
	info   *widget.Label
	state  *widget.Label
	result *widget.Label
	retry  *widget.Button
	// again reruns the operation that failed last.
	again func()
	busy  bool
	sim   *simRow
}

// simRow is a simulated device's controls.
type simRow struct {
	status  *widget.Label
	plug    *widget.Button
	finger  *widget.Button
	faults  *widget.Select
	byLabel map[string]string
	st      port.SimStatus
}

// goTechnician shows the technician's screen (technician and admin).
func (a *App) goTechnician() {
	if a.sess == nil {
		return
	}
	if !a.can(operator.DeviceService) {
		a.showError(operator.ErrForbidden)
		return
	}
	t := &techScreen{a: a, bench: a.opt.Bench}
	t.msg = widget.NewLabel("")
	t.msg.Wrapping = fyne.TextWrapWord
	t.folder = a.entry()
	t.folder.SetText(defaultCaptureFolder())
	t.live = canvas.NewImageFromImage(nil)
	t.live.FillMode = canvas.ImageFillContain
	t.live.SetMinSize(fyne.NewSize(320, 240))
	t.liveTitle = widget.NewLabel(lang.L("tech.preview_none"))
	t.stopBtn = widget.NewButton(lang.L("tech.preview_stop"), t.stopPreview)
	t.stopBtn.Disable()

	list := container.NewVBox()
	if t.bench != nil {
		for _, d := range t.bench.Devices() {
			r := t.newRow(d)
			t.rows = append(t.rows, r)
			list.Add(r.card())
		}
	}
	if len(t.rows) == 0 {
		list.Add(widget.NewLabel(lang.L("tech.no_devices")))
	}
	top := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("tech.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("tech.folder")), widget.NewButton(lang.L("cmd.dashboard"), a.goDashboard), t.folder),
		t.msg)
	right := widget.NewCard(lang.L("tech.preview"), "", container.NewBorder(t.liveTitle, t.stopBtn, nil, nil, t.live))
	body := container.NewBorder(top, nil, nil, nil, container.NewHSplit(container.NewVScroll(list), right))
	a.show("technician", container.NewPadded(body), actions{capture: t.reload})
	a.leave = t.stopPreview
	t.reload()
}

// defaultCaptureFolder is where captures go unless the technician names
// another folder.
func defaultCaptureFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "rekam-captures"
	}
	return filepath.Join(home, "rekam-captures")
}

// newRow builds a device's widgets.
func (t *techScreen) newRow(d port.BenchDevice) *techRow {
	r := &techRow{t: t, dev: d}
	r.title = widget.NewLabelWithStyle(kindLabel(d.Kind())+" · "+d.ID(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.info = widget.NewLabel("")
	r.info.Wrapping = fyne.TextWrapWord
	r.state = widget.NewLabel("")
	r.result = widget.NewLabel("")
	r.result.Wrapping = fyne.TextWrapWord
	r.result.Hide()
	r.retry = widget.NewButton(lang.L("tech.retry"), func() {
		if r.again != nil {
			r.again()
		}
	})
	r.retry.Importance = widget.WarningImportance
	r.retry.Hide()
	if t.bench.Sim() != nil {
		if _, err := t.bench.Sim().SimStatus(d.ID()); err == nil {
			r.sim = &simRow{status: widget.NewLabel(""), byLabel: map[string]string{}}
		}
	}
	return r
}

// card lays a row out.
func (r *techRow) card() fyne.CanvasObject {
	buttons := container.NewHBox(
		widget.NewButton(lang.L("tech.selftest"), r.selfTest),
		widget.NewButton(lang.L("tech.preview_start"), r.startPreview),
		widget.NewButton(lang.L("tech.capture"), r.capture),
		r.retry)
	box := container.NewVBox(r.title, r.info, r.state, buttons, r.result)
	if s := r.sim; s != nil {
		s.plug = widget.NewButton(lang.L("tech.sim_unplug"), r.togglePlug)
		s.finger = widget.NewButton(lang.L("tech.sim_lift"), r.toggleFinger)
		s.faults = widget.NewSelect(nil, nil)
		s.faults.PlaceHolder = lang.L("tech.sim_pick_fault")
		box.Add(widget.NewSeparator())
		box.Add(widget.NewLabel(lang.L("tech.sim_title")))
		box.Add(container.NewHBox(s.plug, s.finger))
		box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(
			widget.NewButton(lang.L("tech.sim_inject"), r.inject),
			widget.NewButton(lang.L("tech.sim_clear"), r.clearFaults)), s.faults))
		box.Add(s.status)
	}
	return widget.NewCard("", "", box)
}

// reload reads every device's info (and simulator state) in the
// background.
func (t *techScreen) reload() {
	for _, r := range t.rows {
		r.loadInfo()
		r.refreshSim()
	}
}

// loadInfo reads the device's identity.
func (r *techRow) loadInfo() {
	var info port.DeviceInfo
	r.run(func(ctx context.Context) error {
		var err error
		info, err = r.dev.Info(ctx)
		return err
	}, func() {
		r.info.SetText(infoText(info))
		r.setResult("")
	}, r.loadInfo)
}

// infoText lists what the driver exposes, skipping empty fields.
func infoText(i port.DeviceInfo) string {
	var parts []string
	for _, f := range []struct{ key, v string }{
		{"tech.info_model", strings.TrimSpace(i.Vendor + " " + i.Model)}, {"tech.info_serial", i.Serial},
		{"tech.info_firmware", i.Firmware}, {"tech.info_driver", i.Driver},
		{"tech.info_path", strings.TrimSpace(i.Transport + " " + i.Path)},
	} {
		if f.v != "" {
			parts = append(parts, lang.L(f.key)+": "+f.v)
		}
	}
	return strings.Join(parts, "\n")
}

// selfTest runs the device's own checks.
func (r *techRow) selfTest() {
	var h port.SelfTest
	r.run(func(ctx context.Context) error {
		var err error
		h, err = r.dev.SelfTest(ctx)
		return err
	}, func() {
		var lines []string
		for _, c := range h.Checks {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			lines = append(lines, fmt.Sprintf("%s %s: %s", mark, c.Name, c.Detail))
		}
		head := lang.X("tech.selftest_ok", "Self-test passed ({{.RTT}} round trip).", map[string]any{"RTT": h.RTT.Round(time.Microsecond)})
		if !h.OK {
			head = lang.L("tech.selftest_failed")
			r.retry.Show()
			r.again = r.selfTest
		}
		r.setResult(strings.Join(append([]string{head}, lines...), "\n"))
	}, r.selfTest)
}

// capture takes one capture and writes it into the named folder.
func (r *techRow) capture() {
	dir := strings.TrimSpace(r.t.folder.Text)
	if dir == "" {
		r.setResult(lang.L("tech.folder_missing"))
		return
	}
	name := fmt.Sprintf("%s-%s", r.dev.ID(), r.t.a.now().Format("20060102-150405"))
	sess := r.t.a.sess
	var paths []string
	var quality int
	r.run(func(ctx context.Context) error {
		s, err := r.dev.Snapshot(ctx)
		quality = s.Quality
		if err != nil {
			return err
		}
		// The role is checked and the write audited before any file
		// leaves the station.
		if au, ok := r.t.a.st.(port.BenchAudit); ok {
			n := 1
			if s.Record != nil {
				n = 2
			}
			if err := au.AuditCaptureFile(ctx, sess, r.dev.ID(), n); err != nil {
				return err
			}
		}
		paths, err = port.SaveSnapshot(dir, name, s)
		return err
	}, func() {
		r.setResult(lang.X("tech.captured", "Quality {{.Q}}; saved {{.Files}}", map[string]any{"Q": quality, "Files": strings.Join(paths, ", ")}))
	}, r.capture)
}

// run does device work off the UI thread (after stopping this device's
// preview, which holds the device), then ok on the UI thread; a failure
// shows its specific message and a retry that calls again.
func (r *techRow) run(work func(ctx context.Context) error, ok func(), again func()) {
	pv := r.t.pv
	previewing := pv != nil && pv.row == r && !pv.handedOver
	if r.busy && !previewing {
		return
	}
	r.busy = true
	r.retry.Hide()
	r.setResult(lang.L("tech.working"))
	r.showStateOf(port.DeviceBusy)
	var wait chan struct{}
	if previewing {
		pv.handedOver = true
		wait = pv.done
		r.t.stopPreview()
	}
	a := r.t.a
	a.async(func() error {
		if wait != nil {
			<-wait
		}
		return work(a.ctx)
	}, func(err error) {
		r.busy = false
		r.showState()
		r.refreshSim() // a fault the operation consumed is no longer active
		if err != nil {
			r.setResult(techErrorText(err))
			r.again = again
			r.retry.Show()
			return
		}
		ok()
		r.showState()
	})
}

// setResult writes the row's last outcome; an empty one takes no room.
func (r *techRow) setResult(text string) {
	r.result.SetText(text)
	if text == "" {
		r.result.Hide()
	} else {
		r.result.Show()
	}
}

// showState writes the device's light.
func (r *techRow) showState() { r.showStateOf(r.dev.State()) }

// showStateOf writes a light.
func (r *techRow) showStateOf(st port.DeviceState) {
	r.state.SetText(lang.L("tech.state") + ": " + deviceStateLabel(st))
}

// startPreview streams the device's live frames into the preview panel
// until it is stopped, another device is previewed or the screen closes.
func (r *techRow) startPreview() {
	t := r.t
	if r.busy {
		return
	}
	t.stopPreview()
	ctx, cancel := context.WithCancel(t.a.ctx)
	pv := &techPreview{row: r, cancel: cancel, done: make(chan struct{})}
	t.pv = pv
	t.liveTitle.SetText(lang.X("tech.preview_of", "Live: {{.Name}}", map[string]any{"Name": r.dev.ID()}))
	t.stopBtn.Enable()
	r.busy = true
	r.retry.Hide()
	r.setResult(lang.L("tech.previewing"))
	r.showStateOf(port.DeviceBusy)
	t.a.async(func() error {
		defer close(pv.done)
		var last time.Time
		return r.dev.Preview(ctx, func(f port.Frame) {
			now := time.Now()
			if now.Sub(last) < previewEvery {
				return // the screen need not repaint faster than the eye
			}
			last = now
			t.a.post(func() {
				if t.pv != pv || f.Image == nil {
					return
				}
				pv.frames++
				t.live.Image = f.Image
				t.live.Refresh()
			})
		})
	}, func(err error) {
		if t.pv == pv {
			t.pv = nil
			t.stopBtn.Disable()
			t.liveTitle.SetText(lang.L("tech.preview_none"))
		}
		if pv.handedOver {
			return
		}
		r.busy = false
		r.showState()
		if err != nil {
			r.setResult(techErrorText(err))
			r.again = r.startPreview
			r.retry.Show()
			return
		}
		r.setResult(lang.X("tech.preview_stopped", "Preview stopped after {{.N}} frames.", map[string]any{"N": pv.frames}))
	})
}

// previewEvery is the shortest interval between two repainted frames.
const previewEvery = 40 * time.Millisecond

// stopPreview ends the running preview, if any.
func (t *techScreen) stopPreview() {
	if t.pv != nil {
		t.pv.cancel()
	}
}

// post runs f on the UI thread (queued for Wait in tests, like async's
// second half).
func (a *App) post(f func()) {
	if a.opt.queueDone {
		a.mu.Lock()
		a.pending = append(a.pending, f)
		a.mu.Unlock()
		return
	}
	fyne.Do(f)
}

// techErrorText names a device failure specifically, with the driver's
// detail on a second line for the technician.
func techErrorText(err error) string {
	var key string
	switch {
	case errors.Is(err, port.ErrNoDevice):
		key = "tech.err_missing"
	case errors.Is(err, port.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		key = "tech.err_timeout"
	case errors.Is(err, port.ErrDeviceBusy):
		key = "tech.err_busy"
	case errors.Is(err, port.ErrSensorFault):
		key = "tech.err_sensor"
	case errors.Is(err, port.ErrProtocol):
		key = "tech.err_protocol"
	case errors.Is(err, port.ErrNoFinger):
		key = "tech.err_no_finger"
	case errors.Is(err, port.ErrPoorImage):
		key = "tech.err_poor_image"
	default:
		return errorText(err)
	}
	return lang.L(key) + "\n" + err.Error()
}

// kindLabel names a device kind.
func kindLabel(kind string) string {
	switch kind {
	case "finger":
		return lang.L("device.finger")
	case "iris":
		return lang.L("device.iris")
	case "face":
		return lang.L("device.face")
	case "signature":
		return lang.L("device.signature")
	}
	return kind
}

// simDo runs one simulator control call and refreshes the row's status.
func (r *techRow) simDo(call func(port.SimControl) error) {
	sim := r.t.bench.Sim()
	r.t.a.async(func() error { return call(sim) }, func(err error) {
		if err != nil {
			r.t.msg.SetText(errorText(err))
		} else {
			r.t.msg.SetText("")
		}
		r.refreshSim()
	})
}

// togglePlug unplugs or replugs the simulated device.
func (r *techRow) togglePlug() {
	id, plugged := r.dev.ID(), r.sim.st.Plugged
	r.simDo(func(s port.SimControl) error {
		if plugged {
			return s.Unplug(id)
		}
		return s.Replug(id)
	})
}

// toggleFinger lifts the simulated finger or puts it back.
func (r *techRow) toggleFinger() {
	id, present := r.dev.ID(), r.sim.st.FingerPresent
	r.simDo(func(s port.SimControl) error { return s.SetFinger(id, !present) })
}

// inject arms the fault picked in the list.
func (r *techRow) inject() {
	name, ok := r.sim.byLabel[r.sim.faults.Selected]
	if !ok {
		r.t.msg.SetText(lang.L("tech.sim_pick_fault"))
		return
	}
	id := r.dev.ID()
	r.simDo(func(s port.SimControl) error { return s.Inject(id, name) })
}

// clearFaults disarms every armed fault.
func (r *techRow) clearFaults() {
	id := r.dev.ID()
	r.simDo(func(s port.SimControl) error { return s.ClearFaults(id) })
}

// refreshSim reads the simulator's state (quick, no device I/O) and shows
// what is active: unplugged, finger lifted, armed faults.
func (r *techRow) refreshSim() {
	s := r.sim
	if s == nil {
		return
	}
	st, err := r.t.bench.Sim().SimStatus(r.dev.ID())
	if err != nil {
		s.status.SetText(errorText(err))
		return
	}
	s.st = st
	if len(s.faults.Options) == 0 {
		for _, f := range st.Supported {
			l := faultLabel(f)
			s.byLabel[l] = f
			s.faults.Options = append(s.faults.Options, l)
		}
		s.faults.Refresh()
	}
	var active []string
	if st.Plugged {
		s.plug.SetText(lang.L("tech.sim_unplug"))
	} else {
		s.plug.SetText(lang.L("tech.sim_replug"))
		active = append(active, lang.L("tech.sim_unplugged"))
	}
	if st.HasFinger {
		s.finger.Show()
		if st.FingerPresent {
			s.finger.SetText(lang.L("tech.sim_lift"))
		} else {
			s.finger.SetText(lang.L("tech.sim_place"))
			active = append(active, lang.L("tech.sim_no_finger"))
		}
	} else {
		s.finger.Hide()
	}
	for _, f := range st.Armed {
		name, n, _ := strings.Cut(f, "×")
		active = append(active, faultLabel(name)+" ×"+n)
	}
	if len(active) == 0 {
		s.status.SetText(lang.L("tech.sim_none_active"))
		return
	}
	s.status.SetText(lang.L("tech.sim_active") + ": " + strings.Join(active, ", "))
}

// faultLabel names a scripted fault (simulators/fault's names).
func faultLabel(name string) string {
	switch name {
	case "unplug":
		return lang.L("tech.fault_unplug")
	case "timeout":
		return lang.L("tech.fault_timeout")
	case "bad-checksum":
		return lang.L("tech.fault_bad_checksum")
	case "truncated":
		return lang.L("tech.fault_truncated")
	case "finger-count":
		return lang.L("tech.fault_finger_count")
	case "wet":
		return lang.L("tech.fault_wet")
	case "dry":
		return lang.L("tech.fault_dry")
	case "low-quality":
		return lang.L("tech.fault_low_quality")
	case "busy":
		return lang.L("tech.fault_busy")
	case "sensor":
		return lang.L("tech.fault_sensor")
	}
	return name
}
