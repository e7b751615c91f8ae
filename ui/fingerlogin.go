package ui

import (
	"context"
	"errors"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// fingerErrorText is errorText with the finger login's own failures.
func fingerErrorText(err error) string {
	switch {
	case errors.Is(err, store.ErrFingerNoMatch):
		return lang.L("login2.no_match")
	case errors.Is(err, store.ErrFingerUnusable), errors.Is(err, finger.ErrNoPrint), errors.Is(err, port.ErrBelowGate):
		return lang.L("login2.unusable")
	case errors.Is(err, store.ErrFingerThrottled):
		return lang.L("login2.throttled")
	case errors.Is(err, store.ErrOperatorListExpired):
		return lang.L("login2.list_expired")
	}
	return errorText(err)
}

// captureLoginFinger takes one impression of the login finger off the UI
// thread. Below the gate the scanner's best frame is still used: the
// matcher's threshold, not the quality gate, decides who it is.
func (a *App) captureLoginFinger(ctx context.Context, src port.FingerSource) (image.Image, error) {
	ctx, cancel := context.WithTimeout(ctx, captureTimeout)
	defer cancel()
	fr, err := src.CaptureFinger(ctx, port.LoginFinger, a.captureSettings().FingerGate, nil)
	if err != nil && !(errors.Is(err, port.ErrBelowGate) && fr.Image != nil) {
		return nil, err
	}
	return fr.Image, nil
}

// captureLoginTemplate takes LoginImpressions impressions of the login
// finger off the UI thread and returns the best template; progress (may be
// nil) is told each impression's number on the UI thread first.
func (a *App) captureLoginTemplate(src port.FingerSource, progress func(k int)) (*finger.Template, error) {
	imgs := make([]image.Image, 0, port.LoginImpressions)
	for k := 1; k <= port.LoginImpressions; k++ {
		if progress != nil {
			fyne.Do(func() { progress(k) })
		}
		img, err := a.captureLoginFinger(a.ctx, src)
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, img)
	}
	return port.BestTemplate(imgs)
}

// fingerLogin captures the operator's finger, extracts it and matches it
// against the enrolled operators' fingers, all off the UI thread.
func (s *loginScreen) fingerLogin() {
	fl, ok := s.a.st.(port.FingerLogin)
	src := s.a.opt.Devices.Finger
	switch {
	case !ok:
		return
	case src == nil:
		s.showMsg(errorText(port.ErrNoDevice), true)
		return
	case s.finger.Disabled():
		return
	}
	s.finger.Disable()
	s.button.Disable()
	s.showMsg(lang.L("login2.place"), false)
	var sess *operator.Session
	s.a.async(func() error {
		img, err := s.a.captureLoginFinger(s.a.ctx, src)
		if err != nil {
			return err
		}
		t, err := port.ExtractFinger(img)
		if err != nil {
			return err
		}
		sess, err = fl.FingerLogin(s.a.ctx, t)
		return err
	}, func(err error) {
		s.finger.Enable()
		s.button.Enable()
		if err != nil {
			s.showMsg(fingerErrorText(err), true)
			return
		}
		s.a.sess = sess
		s.a.goDashboard()
		s.a.offerResume()
	})
}

// showMsg writes the login screen's message line.
func (s *loginScreen) showMsg(text string, bad bool) {
	s.msg.SetText(text)
	s.msg.Importance = widget.MediumImportance
	if bad {
		s.msg.Importance = widget.DangerImportance
	}
	s.msg.Refresh()
}

// fingerPanel is the operators screen's login-finger part: which accounts
// have one, and enrolling or removing the selected account's.
type fingerPanel struct {
	a        *App
	sess     *operator.Session
	fl       port.FingerLogin
	enrolled map[string]bool
	selected string
	account  *widget.Label
	msg      *widget.Label
	enrol    *widget.Button
	remove   *widget.Button
	onChange func()
}

// newFingerPanel builds the panel; onChange runs (on the UI thread) when
// the enrolled set changes, so the account list can redraw its marks. It
// returns nil when the station has no finger login.
func (a *App) newFingerPanel(sess *operator.Session, onChange func()) *fingerPanel {
	fl, ok := a.st.(port.FingerLogin)
	if !ok {
		return nil
	}
	p := &fingerPanel{a: a, sess: sess, fl: fl, enrolled: map[string]bool{}, onChange: onChange}
	p.account = widget.NewLabel(lang.L("login2.pick_account"))
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = fyne.TextWrapWord
	p.enrol = widget.NewButton(lang.L("login2.enrol"), p.enrolFinger)
	p.remove = widget.NewButton(lang.L("login2.remove"), p.removeFinger)
	p.enrol.Disable()
	p.remove.Disable()
	return p
}

// content is the panel's card (nil-safe: an empty box without finger login).
func (p *fingerPanel) content() fyne.CanvasObject {
	if p == nil {
		return container.NewVBox()
	}
	return widget.NewCard(lang.L("login2.panel"), "", container.NewVBox(p.account, container.NewHBox(p.enrol, p.remove), p.msg))
}

// mark is the list suffix of an account with a login finger.
func (p *fingerPanel) mark(name string) string {
	if p == nil || !p.enrolled[name] {
		return ""
	}
	return " — " + lang.L("login2.enrolled")
}

// load reads which accounts have a login finger.
func (p *fingerPanel) load() {
	if p == nil {
		return
	}
	var fs []store.OperatorFinger
	p.a.async(func() error {
		var err error
		fs, err = p.fl.OperatorFingers(p.a.ctx, p.sess)
		return err
	}, func(err error) {
		if err != nil {
			p.msg.SetText(errorText(err))
			return
		}
		p.enrolled = map[string]bool{}
		for _, f := range fs {
			p.enrolled[f.Name] = true
		}
		p.selectAccount(p.selected)
		p.onChange()
	})
}

// selectAccount makes name the account the buttons act on.
func (p *fingerPanel) selectAccount(name string) {
	if p == nil {
		return
	}
	p.selected = name
	if name == "" {
		return
	}
	p.account.SetText(lang.X("login2.account", "Account: {{.Name}}", map[string]any{"Name": name}))
	p.enrol.Enable()
	if p.enrolled[name] {
		p.remove.Enable()
	} else {
		p.remove.Disable()
	}
}

// enrolFinger captures LoginImpressions impressions of the selected
// account's login finger off the UI thread, keeps the best and stores it.
func (p *fingerPanel) enrolFinger() {
	src, name := p.a.opt.Devices.Finger, p.selected
	if name == "" || p.enrol.Disabled() {
		return
	}
	if src == nil {
		p.msg.SetText(errorText(port.ErrNoDevice))
		return
	}
	p.enrol.Disable()
	var quality uint8
	p.a.async(func() error {
		t, err := p.a.captureLoginTemplate(src, func(k int) {
			p.msg.SetText(lang.X("login2.impression", "Impression {{.N}} of {{.Total}}: place the right index finger.",
				map[string]any{"N": k, "Total": port.LoginImpressions}))
		})
		if err != nil {
			return err
		}
		quality = t.Quality
		return p.fl.EnrollOperatorFinger(p.a.ctx, p.sess, name, "", port.LoginFinger, t)
	}, func(err error) {
		p.enrol.Enable()
		if err != nil {
			if !p.a.sessionLost(err) {
				p.msg.SetText(fingerErrorText(err))
			}
			return
		}
		p.msg.SetText(lang.X("login2.enrolled_msg", "Fingerprint of {{.Name}} enrolled (quality {{.Q}}).", map[string]any{"Name": name, "Q": quality}))
		p.load()
	})
}

// removeFinger deletes the selected account's login finger.
func (p *fingerPanel) removeFinger() {
	name := p.selected
	if name == "" || p.remove.Disabled() {
		return
	}
	p.a.async(func() error {
		return p.fl.RemoveOperatorFinger(p.a.ctx, p.sess, name, "")
	}, func(err error) {
		if err != nil {
			if !p.a.sessionLost(err) {
				p.msg.SetText(errorText(err))
			}
			return
		}
		p.msg.SetText(lang.X("login2.removed", "Fingerprint of {{.Name}} removed.", map[string]any{"Name": name}))
		p.load()
	})
}

// enrolOwnFinger lets the logged-in operator enrol (or replace) their own
// login finger: they confirm with their password, then give
// LoginImpressions impressions; the best is stored.
func (a *App) enrolOwnFinger() {
	fl, ok := a.st.(port.FingerLogin)
	if !ok || a.sess == nil {
		return
	}
	src, sess := a.opt.Devices.Finger, a.sess
	if src == nil {
		a.showError(port.ErrNoDevice)
		return
	}
	pw := a.passwordEntry()
	d := dialog.NewForm(lang.L("login2.own_title"), lang.L("login2.enrol"), lang.L("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("login.password"), pw)}, func(ok bool) {
			if !ok {
				return
			}
			password := pw.Text
			var quality uint8
			a.async(func() error {
				t, err := a.captureLoginTemplate(src, nil)
				if err != nil {
					return err
				}
				quality = t.Quality
				return fl.EnrollOperatorFinger(a.ctx, sess, sess.Name, password, port.LoginFinger, t)
			}, func(err error) {
				if err != nil {
					if !a.sessionLost(err) {
						dialog.ShowInformation(lang.L("error.title"), fingerErrorText(err), a.w)
					}
					return
				}
				dialog.ShowInformation(lang.L("login2.own_title"), lang.X("login2.enrolled_msg", "Fingerprint of {{.Name}} enrolled (quality {{.Q}}).",
					map[string]any{"Name": sess.Name, "Q": quality}), a.w)
			})
		}, a.w)
	d.Show()
	a.w.Canvas().Focus(pw)
}
