package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// Options configure the station app.
type Options struct {
	// Launcher finds, opens or creates the station.
	Launcher port.Launcher
	// Devices are the capture sources (nil members are missing devices).
	Devices port.Devices
	// Bench is every device for the technician's screen, with the
	// simulator controls under --sim (nil: the screen lists none).
	Bench port.Bench
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// OnScreen, when set, is told the name of each screen put on show
	// (the launch-time script logs when the login appears).
	OnScreen func(name string)
	// OnEvent, when set, is told of work done inside a screen (see
	// events.go); names and step codes only, nothing personal.
	OnEvent func(name string)
	// NoTicker leaves the one-second ticker (idle check, device lights)
	// off; tests call Tick themselves.
	NoTicker bool

	// queueDone (tests) queues the UI half of background work for Wait to
	// run on the caller's goroutine: Fyne's test driver runs fyne.Do on
	// the calling goroutine, so without this the UI half would run on the
	// worker while the test goroutine still touches widgets.
	queueDone bool
}

// actions are what the current screen does for the shortcut-driven
// commands; nil ones are unavailable there.
type actions struct {
	next, back, capture, exception, force func()
}

// App is the station window: it owns the session, the navigation and the
// background work of every screen.
type App struct {
	w    fyne.Window
	opt  Options
	now  func() time.Time
	ctx  context.Context
	stop context.CancelFunc

	st     port.Station
	closer interface{ Close() error }
	info   store.Station
	sess   *operator.Session

	wg      sync.WaitGroup
	mu      sync.Mutex
	pending []func()
	acts    actions
	screen  string
	body    *fyne.Container
	status  *widget.Label

	lastActive time.Time
	idle       *idleWatch
	help       dialog.Dialog
	flow       *enrollFlow
	dash       *dashboard
	// leave, set by a screen with background streams, stops them when
	// another screen is shown.
	leave func()
	// tun caches the station's settings (see captureSettings).
	tun   *config.Settings
	tunMu sync.Mutex
}

// New builds the app into window w. Call Start to show the first screen.
func New(w fyne.Window, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	a := &App{w: w, opt: opt, now: opt.Now, ctx: ctx, stop: stop}
	a.body = container.NewStack()
	a.status = widget.NewLabel("")
	a.status.Truncation = fyne.TextTruncateEllipsis
	w.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), a.status), nil, nil, a.body))
	a.installShortcuts()
	return a
}

// Start opens the station (or shows the first-run setup) and the login.
func (a *App) Start() {
	if !a.opt.NoTicker {
		go a.ticker()
	}
	if !a.opt.Launcher.HasStation() {
		a.showSetup()
		return
	}
	a.async(func() error {
		st, err := a.opt.Launcher.Open(a.ctx)
		if err != nil {
			return err
		}
		a.setStation(st)
		return nil
	}, func(err error) {
		if err != nil {
			a.showFatal(err)
			return
		}
		a.showLogin("")
	})
}

// setStation records the opened station (called off the UI thread).
func (a *App) setStation(st *port.StoreStation) {
	info, _ := st.Info(a.ctx)
	a.st, a.closer, a.info = st, st, info
	a.preloadDuplicates() // dupcheck.go
}

// Close stops background work and closes the station.
func (a *App) Close() {
	a.stop()
	a.wg.Wait()
	if a.closer != nil {
		a.closer.Close()
	}
}

// Wait blocks until the background work started so far has finished and
// its results are on screen (tests use it).
func (a *App) Wait() {
	for {
		a.wg.Wait()
		a.mu.Lock()
		p := a.pending
		a.pending = nil
		a.mu.Unlock()
		if len(p) == 0 {
			return
		}
		for _, f := range p {
			f()
		}
	}
}

// Session returns the logged-in operator's session (nil when logged out).
func (a *App) Session() *operator.Session { return a.sess }

// Screen names the screen on show (for tests and the smoke script).
func (a *App) Screen() string { return a.screen }

// async runs work off the UI thread and then done on it, through fyne.Do.
func (a *App) async(work func() error, done func(error)) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		err := work()
		if a.opt.queueDone {
			a.mu.Lock()
			a.pending = append(a.pending, func() { done(err) })
			a.mu.Unlock()
			return
		}
		a.onUI(func() { done(err) })
	}()
}

// onUI runs f on the UI thread from a background goroutine and waits for
// it, unless the app closes first: it reports whether f ran. Not
// fyne.DoAndWait: Close waits for background work on the UI thread (the
// window's close callback), so a worker waiting for the UI thread would
// hang the closing app. Once the app closes, f is dropped.
func (a *App) onUI(f func()) bool {
	ran, did := make(chan struct{}), false
	fyne.Do(func() {
		defer close(ran)
		if a.ctx.Err() == nil {
			f()
			did = true
		}
	})
	select {
	case <-ran:
		return did
	case <-a.ctx.Done():
		return false
	}
}

// show puts a screen on the window with its shortcut actions.
func (a *App) show(name string, content fyne.CanvasObject, acts actions) {
	if leave := a.leave; leave != nil {
		a.leave = nil
		leave()
	}
	a.screen, a.acts = name, acts
	a.body.Objects = []fyne.CanvasObject{content}
	a.body.Refresh()
	a.refreshStatus()
	a.touch()
	if a.opt.OnScreen != nil {
		a.opt.OnScreen(name)
	}
}

// refreshStatus writes the status bar: station, operator and role.
func (a *App) refreshStatus() {
	s := lang.X("status.station", "Station {{.ID}} · kecamatan {{.Kec}}", map[string]any{"ID": a.info.ID, "Kec": a.info.Kecamatan})
	if a.sess != nil {
		s += " · " + lang.X("status.operator", "operator {{.Name}} ({{.Role}})", map[string]any{"Name": a.sess.Name, "Role": roleLabel(a.sess.Role)})
	}
	if a.info.ID == "" {
		s = lang.L("app.title")
	}
	a.status.SetText(s)
}

// touch records operator activity for the idle timer.
func (a *App) touch() {
	a.lastActive = a.now()
	if a.idle != nil {
		a.idle.dismiss()
	}
}

// entry returns an Entry whose typing counts as activity for the idle
// timer (Fyne has no window-wide input hook).
func (a *App) entry() *widget.Entry {
	e := widget.NewEntry()
	e.OnChanged = func(string) { a.touch() }
	return e
}

// passwordEntry is entry for secrets.
func (a *App) passwordEntry() *widget.Entry {
	e := widget.NewPasswordEntry()
	e.OnChanged = func(string) { a.touch() }
	return e
}

// act runs a shortcut action if the screen has it.
func (a *App) act(f func()) {
	if f == nil {
		return
	}
	a.touch()
	f()
}

// can reports whether the session's role allows an action.
func (a *App) can(action operator.Action) bool {
	return a.sess != nil && operator.Allowed(a.sess.Role, action)
}

// showError shows err in a dialog, in the operator's words.
func (a *App) showError(err error) {
	dialog.ShowInformation(lang.L("error.title"), errorText(err), a.w)
}

// showFatal replaces the window's content with an error the station
// cannot go on from.
func (a *App) showFatal(err error) {
	l := widget.NewLabel(errorText(err))
	l.Wrapping = fyne.TextWrapWord
	a.show("fatal", container.NewVBox(widget.NewLabelWithStyle(lang.L("error.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), l), actions{})
}

// errorText turns an error into a message for the operator: known causes
// get a translated sentence, the rest their text.
func errorText(err error) string {
	var de *port.DeviceError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, store.ErrLocked):
		return lang.L("error.locked")
	case errors.Is(err, store.ErrLogin):
		return lang.L("error.login")
	case errors.Is(err, operator.ErrIdle):
		return lang.L("error.idle")
	case errors.Is(err, operator.ErrForbidden):
		return lang.L("error.forbidden")
	case errors.Is(err, port.ErrOwnEnrollment):
		return lang.L("error.own_enrollment")
	case errors.Is(err, port.ErrNotCleared), errors.Is(err, store.ErrOpenDedupCase):
		return lang.L("error.dedup_case") // adjudication.go
	case errors.Is(err, port.ErrIncomplete):
		return lang.L("error.incomplete")
	case errors.Is(err, port.ErrNoDevice):
		return lang.L("error.no_device")
	case errors.Is(err, port.ErrBelowGate):
		return lang.L("error.below_gate")
	case errors.Is(err, port.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return lang.L("error.timeout")
	case errors.As(err, &de):
		return lang.X("error.device", "Device {{.Device}} failed: {{.Err}}", map[string]any{"Device": de.Device, "Err": de.Err.Error()})
	}
	return fmt.Sprint(err)
}

// sessionLost handles a store refusal because the session expired: back to
// the login, the draft stays in the store.
func (a *App) sessionLost(err error) bool {
	if !errors.Is(err, operator.ErrIdle) {
		return false
	}
	a.logout(lang.L("login.expired"))
	return true
}

// logout ends the session; the draft stays in the store to be resumed.
func (a *App) logout(msg string) {
	a.sess = nil
	a.flow = nil
	if a.idle != nil {
		a.idle.dismiss()
	}
	// No dialog of the last session (a supervisor's password, a reason)
	// stays over the login.
	for ov := a.w.Canvas().Overlays(); ov.Top() != nil; {
		ov.Remove(ov.Top())
	}
	a.help = nil
	a.showLogin(msg)
}

// ticker drives the idle check and the device lights once a second.
func (a *App) ticker() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-t.C:
			fyne.Do(a.Tick)
		}
	}
}

// Tick runs the once-a-second work on the UI thread: the idle countdown
// and the dashboard's device lights.
func (a *App) Tick() {
	a.checkIdle()
	if a.screen == "dashboard" && a.dash != nil {
		a.dash.refreshDevices()
	}
}
