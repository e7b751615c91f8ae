package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/ui/port"
)

// settingsScreen edits the station's settings. The admin edits them;
// supervisors and technicians see them read-only (they answer for the
// capture quality and the devices); operators and auditors do not open it.
type settingsScreen struct {
	a        *App
	editable bool
	loaded   port.SettingsValues
	fields   []*settingsField
	chip     [2]*widget.Select
	msg      *widget.Label
	save     *widget.Button
}

// settingsField is one whole-number setting.
type settingsField struct {
	key   string // config.Field* name
	group string // the card it sits on: capture, sync or accounts
	label string
	entry *widget.Entry
	value func(*port.SettingsValues) *int
}

// canSeeSettings reports whether the session may open the settings.
func (a *App) canSeeSettings() bool {
	return a.can(operator.StationConfigure) || a.can(operator.DeviceService) || a.can(operator.EnrollmentDecide)
}

// captureSettings returns the station's capture and sync settings,
// read from config.json once and updated when the admin saves, so a new
// gate applies to the next capture without a restart.
func (a *App) captureSettings() config.Settings {
	// Capture workers (the login finger) read it off the UI thread too.
	a.tunMu.Lock()
	defer a.tunMu.Unlock()
	if a.tun == nil {
		s := config.DefaultSettings
		if ss, ok := a.st.(port.StationSettings); ok {
			if v, err := ss.Settings(a.ctx); err == nil {
				s = v.Settings
			}
		}
		a.tun = &s
	}
	return *a.tun
}

// goSettings shows the settings screen.
func (a *App) goSettings() {
	if a.sess == nil {
		return
	}
	ss, ok := a.st.(port.StationSettings)
	if !ok || !a.canSeeSettings() {
		a.showError(operator.ErrForbidden)
		return
	}
	s := &settingsScreen{a: a, editable: a.can(operator.StationConfigure)}
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	var v port.SettingsValues
	a.async(func() error {
		var err error
		v, err = ss.Settings(a.ctx)
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		s.loaded = v
		s.build()
	})
}

// intFields lists the whole-number settings in screen order.
func intFields() []*settingsField {
	f := func(key, group, label string, value func(*port.SettingsValues) *int) *settingsField {
		return &settingsField{key: key, group: group, label: lang.L(label), value: value}
	}
	return []*settingsField{
		f(config.FieldFingerGate, "capture", "settings.finger_gate", func(v *port.SettingsValues) *int { return &v.FingerGate }),
		f(config.FieldIrisGate, "capture", "settings.iris_gate", func(v *port.SettingsValues) *int { return &v.IrisGate }),
		f(config.FieldFaceGate, "capture", "settings.face_gate", func(v *port.SettingsValues) *int { return &v.FaceGate }),
		f(config.FieldMaxAttempts, "capture", "settings.max_attempts", func(v *port.SettingsValues) *int { return &v.MaxAttempts }),
		f(config.FieldSyncStart, "sync", "settings.sync_start", func(v *port.SettingsValues) *int { return &v.SyncStartHour }),
		f(config.FieldSyncEnd, "sync", "settings.sync_end", func(v *port.SettingsValues) *int { return &v.SyncEndHour }),
		f(config.FieldSyncJitter, "sync", "settings.sync_jitter", func(v *port.SettingsValues) *int { return &v.SyncJitterMinutes }),
		f(config.FieldSyncRate, "sync", "settings.sync_rate", func(v *port.SettingsValues) *int { return &v.SyncRateKBps }),
		f(config.FieldIdleTimeout, "accounts", "settings.idle_timeout", func(v *port.SettingsValues) *int { return &v.IdleTimeoutMinutes }),
		f(config.FieldLockout, "accounts", "settings.lockout", func(v *port.SettingsValues) *int { return &v.LockoutAfter }),
	}
}

// build lays the form out with the loaded values: one card per group.
func (s *settingsScreen) build() {
	a := s.a
	forms := map[string]*widget.Form{"capture": widget.NewForm(), "sync": widget.NewForm(), "accounts": widget.NewForm()}
	s.fields = intFields()
	for _, f := range s.fields {
		f := f
		f.entry = a.entry()
		f.entry.SetText(strconv.Itoa(*f.value(&s.loaded)))
		f.entry.Validator = func(string) error { return s.validate(f.key) }
		if !s.editable {
			f.entry.Disable()
		}
		forms[f.group].Append(f.label, f.entry)
	}
	var fingers []string
	for _, fg := range port.Fingers {
		fingers = append(fingers, fingerLabel(fg))
	}
	for i := range s.chip {
		s.chip[i] = widget.NewSelect(fingers, nil)
		if c := s.loaded.ChipFingers[i]; c >= 1 && c <= len(fingers) {
			s.chip[i].SetSelectedIndex(c - 1)
		}
		if !s.editable {
			s.chip[i].Disable()
		}
		forms["capture"].Append(lang.L(fmt.Sprintf("settings.chip_finger_%d", i+1)), s.chip[i])
	}
	s.save = widget.NewButton(lang.L("button.save"), s.submit)
	s.save.Importance = widget.HighImportance
	note := widget.NewLabel(lang.L("settings.note"))
	note.Wrapping = fyne.TextWrapWord
	if !s.editable {
		s.save.Hide()
		note.SetText(lang.L("settings.read_only"))
	}
	top := container.NewVBox(widget.NewLabelWithStyle(lang.L("settings.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), note)
	bottom := container.NewVBox(container.NewHBox(s.save, widget.NewButton(lang.L("cmd.dashboard"), a.goDashboard)), s.msg)
	cards := container.NewVBox(
		widget.NewCard(lang.L("settings.group_capture"), "", forms["capture"]),
		widget.NewCard(lang.L("settings.group_sync"), "", forms["sync"]),
		widget.NewCard(lang.L("settings.group_accounts"), "", forms["accounts"]))
	acts := actions{}
	if s.editable {
		acts.next = s.submit
	}
	a.show("settings", container.NewPadded(container.NewBorder(top, bottom, nil, nil, container.NewVScroll(cards))), acts)
	if s.editable {
		a.w.Canvas().Focus(s.fields[0].entry)
	}
}

// values reads the form; the error names the first field that is not a
// whole number.
func (s *settingsScreen) values() (port.SettingsValues, error) {
	v := s.loaded
	for _, f := range s.fields {
		if f.entry == nil { // still being built
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.entry.Text))
		if err != nil {
			return v, &config.SettingsError{Field: f.key, Reason: lang.L("settings.not_number")}
		}
		*f.value(&v) = n
	}
	for i, sel := range s.chip {
		if sel != nil && sel.SelectedIndex() >= 0 {
			v.ChipFingers[i] = sel.SelectedIndex() + 1
		}
	}
	return v, nil
}

// validate checks the whole form and returns the error only when it is
// about field key, so each entry shows its own refusal inline.
func (s *settingsScreen) validate(key string) error {
	v, err := s.values()
	if err == nil {
		err = v.Check()
	}
	var se *config.SettingsError
	if errors.As(err, &se) && se.Field == key {
		return errors.New(s.errText(err))
	}
	return nil
}

// errText turns a refused value into "label: reason".
func (s *settingsScreen) errText(err error) string {
	var se *config.SettingsError
	if !errors.As(err, &se) {
		return errorText(err)
	}
	label := se.Field
	if se.Field == config.FieldChipFingers {
		label = lang.L("settings.chip_fingers")
	}
	for _, f := range s.fields {
		if f.key == se.Field {
			label = f.label
		}
	}
	return lang.X("settings.invalid", "{{.Field}}: {{.Reason}}", map[string]any{"Field": label, "Reason": se.Reason})
}

// submit validates and saves in the background; the new gates and
// attempts apply to the next capture.
func (s *settingsScreen) submit() {
	if !s.editable {
		return
	}
	v, err := s.values()
	if err == nil {
		err = v.Check()
	}
	if err != nil {
		s.refuse(err)
		return
	}
	a, sess := s.a, s.a.sess
	ss := a.st.(port.StationSettings)
	s.save.Disable()
	a.async(func() error { return ss.SaveSettings(a.ctx, sess, v) }, func(err error) {
		s.save.Enable()
		if err != nil {
			if !a.sessionLost(err) {
				s.refuse(err)
			}
			return
		}
		s.loaded = v
		tun := v.Settings
		a.tunMu.Lock()
		a.tun = &tun
		a.tunMu.Unlock()
		s.msg.SetText(lang.L("settings.saved"))
	})
}

// refuse shows a refusal next to its field and in the message line.
func (s *settingsScreen) refuse(err error) {
	text := s.errText(err)
	var se *config.SettingsError
	if errors.As(err, &se) {
		for _, f := range s.fields {
			if f.key == se.Field {
				f.entry.SetValidationError(errors.New(text))
			}
		}
	}
	s.msg.SetText(text)
}
