package ui

import (
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
	"github.com/rekam-ktp/rekam/ui/port"
)

// loginScreen asks for the operator's name and password.
type loginScreen struct {
	a        *App
	name     *widget.Entry
	password *widget.Entry
	msg      *widget.Label
	button   *widget.Button
	finger   *widget.Button // fingerprint login (fingerlogin.go)
}

// showLogin shows the login with an optional message (why we are here).
func (a *App) showLogin(msg string) {
	s := &loginScreen{a: a}
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(lang.L("login.name"))
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder(lang.L("login.password"))
	s.password.OnSubmitted = func(string) { s.submit() }
	s.name.OnSubmitted = func(string) { a.w.Canvas().Focus(s.password) }
	s.msg = widget.NewLabel(msg)
	s.msg.Wrapping = fyne.TextWrapWord
	s.button = widget.NewButton(lang.L("login.submit"), s.submit)
	s.button.Importance = widget.HighImportance
	s.finger = widget.NewButton(lang.L("login2.finger"), s.fingerLogin)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("login.name"), s.name),
		widget.NewFormItem(lang.L("login.password"), s.password),
	)
	card := widget.NewCard(lang.L("app.title"), lang.L("login.title"),
		container.NewVBox(form, s.button, s.finger, s.msg))
	a.show("login", container.NewCenter(container.NewGridWrap(fyne.NewSize(460, 370), card)), actions{next: s.submit, capture: s.fingerLogin})
	a.w.Canvas().Focus(s.name)
}

// submit checks the password in the background (argon2id takes tens of
// milliseconds) and opens the session.
func (s *loginScreen) submit() {
	name, pw := strings.TrimSpace(s.name.Text), s.password.Text
	if name == "" || pw == "" {
		s.msg.SetText(lang.L("login.empty"))
		return
	}
	s.button.Disable()
	var sess *operator.Session
	s.a.async(func() error {
		var err error
		sess, err = s.a.st.Login(s.a.ctx, name, pw)
		return err
	}, func(err error) {
		s.button.Enable()
		s.password.SetText("")
		if err != nil {
			s.msg.SetText(errorText(err))
			s.msg.Importance = widget.DangerImportance
			s.msg.Refresh()
			return
		}
		s.a.sess = sess
		s.a.goDashboard()
		s.a.offerResume()
	})
}

// userLogout ends the session on the operator's request.
func (a *App) userLogout() {
	if a.sess == nil {
		return
	}
	a.logout(lang.L("login.logged_out"))
}

// draftInfo is an unfinished enrollment offered for resuming.
type draftInfo struct {
	e        store.Enrollment
	resident enroll.Resident
}

// offerResume looks for this operator's unfinished DRAFT enrollments and
// offers to resume the latest where it stopped.
func (a *App) offerResume() {
	if !a.can(operator.BiometricWrite) {
		return
	}
	sess := a.sess
	var drafts []draftInfo
	a.async(func() error {
		es, err := a.st.Enrollments(a.ctx, sess, enroll.Draft)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.CreatedBy != sess.Name {
				continue
			}
			r, err := a.st.Resident(a.ctx, sess, e.ResidentID)
			if err != nil {
				return err
			}
			drafts = append(drafts, draftInfo{e: e, resident: r.Resident})
		}
		return nil
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if len(drafts) == 0 || a.sess != sess {
			return
		}
		d := drafts[len(drafts)-1]
		text := lang.X("resume.text", "Enrollment #{{.ID}} of {{.Name}} (NIK {{.NIK}}) is unfinished: {{.N}} of {{.Total}} steps saved. Resume where it stopped?",
			map[string]any{"ID": d.e.ID, "Name": d.resident.Name, "NIK": nik.Mask(d.resident.NIK), "N": d.e.Captures, "Total": len(port.Steps())})
		dialog.ShowConfirm(lang.L("resume.title"), text, func(ok bool) {
			if ok {
				a.resumeEnrollment(d.e.ID)
			}
		}, a.w)
	})
}
