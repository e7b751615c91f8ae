package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// MaxAttempts is a new station's number of captures below the quality
// gate a step takes before a supervisor may approve a force-capture; the
// station's own value, like the gates, is in its settings
// (App.captureSettings, config.DefaultSettings).
const MaxAttempts = 3

// captureTimeout bounds one capture on a device.
const captureTimeout = 30 * time.Second

// forcedException marks a capture kept below the gate with a supervisor's
// approval; the image is stored with it.
const forcedException = "forced_low_quality"

// captureItem is one capture step on a capture screen (a finger, an eye,
// the face).
type captureItem struct {
	step       string
	label      string
	gate       int
	exceptions []string
	device     port.Device
	capture    func(ctx context.Context, gate int, preview port.Preview) (port.Frame, error)
	// shown, when set, sees the saved image each time the tile shows it
	// (the face step checks the background rule with it).
	shown func(img image.Image)
}

// captureTile is an item's tile: preview, quality bar, attempts, state.
type captureTile struct {
	btn     *widget.Button
	img     *canvas.Image
	quality *widget.ProgressBar
	info    *widget.Label
}

// captureScreen captures a set of items with a quality gate, retries,
// exceptions and a supervisor-approved force-capture. Each success is in
// the store before its tile turns done.
type captureScreen struct {
	f       *enrollFlow
	items   []captureItem
	tiles   []*captureTile
	cur     int
	busy    bool
	live    *canvas.Image
	quality *widget.ProgressBar
	title   *widget.Label
	msg     *widget.Label
	force   *widget.Button
	next    int
	// intercept, when set, may take Capture over (the fingers step's slap
	// mode); it reports whether it did.
	intercept func() bool
}

// newCaptureScreen builds the grid of tiles (cols wide) and the live panel.
func (f *enrollFlow) newCaptureScreen(items []captureItem, cols, nextStep int) (*captureScreen, stepView) {
	c := &captureScreen{f: f, items: items, next: nextStep}
	grid := container.NewGridWithColumns(cols)
	for i, it := range items {
		i := i
		t := &captureTile{img: canvas.NewImageFromImage(nil), quality: widget.NewProgressBar(), info: widget.NewLabel("")}
		t.img.FillMode = canvas.ImageFillContain
		t.img.SetMinSize(fyne.NewSize(80, 90))
		t.quality.Max = 100
		t.btn = widget.NewButton(it.label, func() { c.selectItem(i) })
		grid.Add(container.NewBorder(t.btn, container.NewVBox(t.quality, t.info), nil, nil, t.img))
		c.tiles = append(c.tiles, t)
	}
	c.live = canvas.NewImageFromImage(nil)
	c.live.FillMode = canvas.ImageFillContain
	c.live.SetMinSize(fyne.NewSize(220, 240))
	c.quality = widget.NewProgressBar()
	c.quality.Max = 100
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	c.msg = widget.NewLabel("")
	c.msg.Wrapping = fyne.TextWrapWord
	captureBtn := widget.NewButton(lang.L("cmd.capture"), c.capture)
	captureBtn.Importance = widget.HighImportance
	exceptionBtn := widget.NewButton(lang.L("cmd.exception"), c.exception)
	if len(items[0].exceptions) == 0 {
		exceptionBtn.Disable()
	}
	c.force = widget.NewButton(lang.L("cmd.force"), c.forceCapture)
	panel := container.NewBorder(c.title, container.NewVBox(c.quality, c.msg, container.NewHBox(captureBtn, exceptionBtn, c.force)), nil, nil, c.live)
	for i := range items {
		c.renderTile(i)
	}
	c.selectItem(c.firstMissing())
	content := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(300, 440), panel), container.NewVScroll(grid))
	return c, stepView{content: content, acts: actions{next: c.done, capture: c.capture, exception: c.exception, force: c.forceCapture}, focus: captureBtn}
}

// firstMissing is the first item without a saved capture (0 when all are).
func (c *captureScreen) firstMissing() int {
	for i, it := range c.items {
		if _, ok := c.f.caps[it.step]; !ok {
			return i
		}
	}
	return 0
}

// selectItem makes item i the current one.
func (c *captureScreen) selectItem(i int) {
	if c.busy {
		return
	}
	c.cur = i
	for k, t := range c.tiles {
		t.btn.Importance = widget.MediumImportance
		if k == i {
			t.btn.Importance = widget.HighImportance
		}
		t.btn.Refresh()
	}
	it := c.items[i]
	c.title.SetText(it.label)
	if cp, ok := c.f.caps[it.step]; ok {
		c.live.Image = decodeImage(cp)
		c.quality.SetValue(float64(cp.Meta.Quality))
	} else {
		c.live.Image = nil
		c.quality.SetValue(0)
	}
	c.live.Refresh()
	c.updateForce()
	c.msg.SetText(lang.X("capture.ready", "Press Capture (Ctrl+R). The image is taken by itself at quality {{.Gate}}.", map[string]any{"Gate": it.gate}))
	c.f.a.touch()
}

// updateForce enables force-capture after MaxAttempts below the gate.
func (c *captureScreen) updateForce() {
	it := c.items[c.cur]
	_, saved := c.f.caps[it.step]
	if _, has := c.f.best[it.step]; has && !saved && c.f.attempts[it.step] >= c.f.a.captureSettings().MaxAttempts {
		c.force.Enable()
	} else {
		c.force.Disable()
	}
}

// renderTile shows an item's saved state.
func (c *captureScreen) renderTile(i int) {
	it, t := c.items[i], c.tiles[i]
	n := c.f.attempts[it.step]
	cp, saved := c.f.caps[it.step]
	switch {
	case saved && cp.Meta.Exception != "" && cp.Meta.Exception != forcedException:
		t.info.SetText("✗ " + exceptionLabel(cp.Meta.Exception))
		t.img.Image = decodeImage(cp) // the exception photo, if any
		t.quality.SetValue(0)
	case saved:
		t.img.Image = decodeImage(cp)
		t.quality.SetValue(float64(cp.Meta.Quality))
		if it.shown != nil {
			it.shown(t.img.Image)
		}
		s := lang.X("capture.tile_done", "✓ quality {{.Q}} · {{.N}}×", map[string]any{"Q": cp.Meta.Quality, "N": n})
		if cp.Meta.Exception == forcedException {
			s += " · " + exceptionLabel(forcedException)
		}
		t.info.SetText(s)
	default:
		t.info.SetText(lang.X("capture.tile_attempts", "attempts: {{.N}}", map[string]any{"N": n}))
	}
	t.img.Refresh()
}

// capture runs the current item's device off the UI thread, streams the
// preview, and on a frame at the gate saves it to the store before the
// tile turns done and the next missing item is selected.
func (c *captureScreen) capture() {
	if c.busy || (c.intercept != nil && c.intercept()) {
		return
	}
	it, i := c.items[c.cur], c.cur
	if it.device == nil {
		c.msg.SetText(errorText(port.ErrNoDevice))
		return
	}
	c.busy = true
	c.msg.SetText(lang.L("capture.running"))
	// Read on the UI thread: the worker must not touch the flow's maps.
	f, sess, eid, attempt := c.f, c.f.a.sess, c.f.enrollmentID, c.f.attempts[it.step]+1
	var frame port.Frame
	var capErr error
	f.a.async(func() error {
		ctx, cancel := context.WithTimeout(f.a.ctx, captureTimeout)
		defer cancel()
		frame, capErr = it.capture(ctx, it.gate, func(fr port.Frame) {
			fyne.Do(func() {
				c.live.Image = fr.Image
				c.live.Refresh()
				c.quality.SetValue(float64(fr.Quality))
			})
		})
		if capErr != nil {
			return nil
		}
		return c.save(sess, eid, it, frame, attempt, "")
	}, func(err error) {
		c.busy = false
		f.a.touch()
		switch {
		case err != nil:
			if !f.a.sessionLost(err) {
				c.msg.SetText(errorText(err))
			}
		case errors.Is(capErr, port.ErrBelowGate):
			f.attempts[it.step]++
			f.a.event(eventBelowGate, it.step)
			if b, ok := f.best[it.step]; !ok || frame.Quality > b.Quality {
				f.best[it.step] = frame
			}
			n := f.attempts[it.step]
			text := lang.X("capture.below_gate", "Quality {{.Q}} is below {{.Gate}}. Attempt {{.N}} of {{.Max}}: clean the glass and capture again.",
				map[string]any{"Q": frame.Quality, "Gate": it.gate, "N": n, "Max": c.f.a.captureSettings().MaxAttempts})
			if n >= c.f.a.captureSettings().MaxAttempts {
				text = lang.X("capture.force_hint", "Quality {{.Q}} is still below {{.Gate}} after {{.N}} attempts: a supervisor may approve a force-capture (Ctrl+F).",
					map[string]any{"Q": frame.Quality, "Gate": it.gate, "N": n})
			}
			c.msg.SetText(text)
			c.renderTile(i)
			c.updateForce()
		case capErr != nil:
			f.a.event(eventFailed, it.step)
			c.msg.SetText(errorText(capErr) + " " + lang.L("capture.retry"))
		default:
			c.renderTile(i)
			c.selectItem(c.nextMissing(i))
			c.msg.SetText(lang.X("capture.saved", "{{.Label}} saved (quality {{.Q}}).", map[string]any{"Label": it.label, "Q": frame.Quality}))
		}
	})
}

// save stores one capture (image or exception) and records it in the flow.
// It runs off the UI thread; the flow's maps are written on it afterwards.
func (c *captureScreen) save(sess *operator.Session, eid int64, it captureItem, fr port.Frame, attempts int, exception string) error {
	var blob []byte
	meta := store.CaptureMeta{Attempts: attempts, Exception: exception}
	if it.device != nil {
		meta.Device = it.device.Name()
	}
	if fr.Image != nil {
		var err error
		if blob, err = encodePNG(fr.Image); err != nil {
			return fmt.Errorf("encode %s: %w", it.step, err)
		}
		meta.Format, meta.Quality = "png", fr.Quality
	}
	if err := c.f.a.st.SaveCapture(c.f.a.ctx, sess, eid, it.step, blob, meta); err != nil {
		return err
	}
	cp := store.Capture{Step: it.step, Blob: blob, Meta: meta, SavedBy: sess.Name}
	c.f.a.onUI(func() {
		c.f.caps[it.step] = cp
		c.f.attempts[it.step] = attempts
	})
	c.f.a.event(eventSaved, it.step)
	return nil
}

// nextMissing is the first unsaved item after i (wrapping), else i.
func (c *captureScreen) nextMissing(i int) int {
	for k := 1; k <= len(c.items); k++ {
		j := (i + k) % len(c.items)
		if _, ok := c.f.caps[c.items[j].step]; !ok {
			return j
		}
	}
	return i
}

// exception records why the current item cannot be captured.
func (c *captureScreen) exception() {
	it, i := c.items[c.cur], c.cur
	if len(it.exceptions) == 0 || c.busy {
		return
	}
	opts := make([]string, len(it.exceptions))
	codes := map[string]string{}
	for k, e := range it.exceptions {
		opts[k] = exceptionLabel(e)
		codes[opts[k]] = e
	}
	sel := widget.NewSelect(opts, nil)
	sel.PlaceHolder = lang.L("form.choose")
	d := dialog.NewForm(lang.X("exception.title", "Exception: {{.Label}}", map[string]any{"Label": it.label}),
		lang.L("button.save"), lang.L("button.cancel"),
		[]*widget.FormItem{{Text: lang.L("exception.reason"), Widget: sel, HintText: lang.L("exception.photo_hint")}}, func(ok bool) {
			code := codes[sel.Selected]
			if !ok || code == "" {
				return
			}
			c.saveException(i, code)
		}, c.f.a.w)
	d.Show()
	c.f.a.w.Canvas().Focus(sel)
}

// saveException stores an exception for item i.
func (c *captureScreen) saveException(i int, code string) {
	it, f, sess := c.items[i], c.f, c.f.a.sess
	eid, n, cam := f.enrollmentID, f.attempts[it.step], f.a.opt.Devices.Face
	f.a.async(func() error {
		// The exception photo (the resident showing the hand or eye) is
		// kept as the step's image when a face camera is attached.
		var photo port.Frame
		if cam != nil {
			ctx, cancel := context.WithTimeout(f.a.ctx, captureTimeout)
			defer cancel()
			fr, err := cam.CaptureFace(ctx, 0, nil)
			if err != nil {
				return fmt.Errorf("%s: %w", lang.L("exception.photo"), err)
			}
			photo, it.device = port.Frame{Image: fr.Image}, cam
		}
		return c.save(sess, eid, it, photo, n, code)
	}, func(err error) {
		if err != nil {
			if !f.a.sessionLost(err) {
				c.msg.SetText(errorText(err))
			}
			return
		}
		c.renderTile(i)
		c.selectItem(c.nextMissing(i))
	})
}

// forceCapture keeps the best frame below the gate once a supervisor (not
// the operator) signs in to approve it.
func (c *captureScreen) forceCapture() {
	it, i := c.items[c.cur], c.cur
	best, ok := c.f.best[it.step]
	if !ok || c.f.attempts[it.step] < c.f.a.captureSettings().MaxAttempts || c.busy {
		return
	}
	name, pw := c.f.a.entry(), c.f.a.passwordEntry()
	d := dialog.NewForm(lang.L("force.title"), lang.L("force.approve"), lang.L("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("force.supervisor"), name), widget.NewFormItem(lang.L("login.password"), pw)},
		func(ok bool) {
			if ok {
				c.approveForce(i, best, name.Text, pw.Text)
			}
		}, c.f.a.w)
	d.Show()
	c.f.a.w.Canvas().Focus(name)
}

// approveForce checks the supervisor's password and role, then saves.
func (c *captureScreen) approveForce(i int, best port.Frame, name, pw string) {
	it, f, sess := c.items[i], c.f, c.f.a.sess
	eid, n := f.enrollmentID, f.attempts[it.step]
	f.a.async(func() error {
		sup, err := f.a.st.Login(f.a.ctx, name, pw)
		if err != nil {
			return err
		}
		if sup.Role != operator.RoleSupervisor || sup.Name == sess.Name {
			return errors.New(lang.L("force.need_supervisor"))
		}
		return c.save(sess, eid, it, best, n, forcedException)
	}, func(err error) {
		if err != nil {
			c.msg.SetText(errorText(err))
			return
		}
		c.renderTile(i)
		c.selectItem(c.nextMissing(i))
	})
}

// done moves on when every item is saved (captured or excepted).
func (c *captureScreen) done() {
	n := 0
	for _, it := range c.items {
		if _, ok := c.f.caps[it.step]; !ok {
			n++
		}
	}
	if n > 0 {
		c.msg.SetText(lang.X("capture.missing", "{{.N}} still to capture or mark as exception.", map[string]any{"N": n}))
		return
	}
	c.f.show(c.next)
}
