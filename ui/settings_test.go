package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/simsource"
)

// newHarnessOn starts a second app on an existing station's folders, as a
// restart would.
func newHarnessOn(t *testing.T, l port.Launcher) *harness {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)}
	h := &harness{t: t, clk: clk, l: l, devs: simsource.NewDevices(0)}
	h.w = test.NewWindow(nil)
	h.w.Resize(fyne.NewSize(1200, 800))
	h.a = New(h.w, Options{Launcher: l, Devices: h.devs, Now: clk.Now, NoTicker: true, queueDone: true})
	t.Cleanup(func() { h.a.Close(); h.w.Close() })
	h.a.Start()
	h.a.Wait()
	return h
}

// openSettings logs name in and opens the settings from the dashboard.
func (h *harness) openSettings(name string) []*widget.Entry {
	h.t.Helper()
	h.login(name)
	b := button(h.w.Canvas().Content(), lang.L("cmd.settings"))
	if b == nil {
		h.t.Fatalf("%s has no settings button", name)
	}
	test.Tap(b)
	h.a.Wait()
	if h.a.Screen() != "settings" {
		h.t.Fatalf("screen %q", h.a.Screen())
	}
	return find[*widget.Entry](h.w.Canvas().Content())
}

// field returns the entry of a setting by its position in intFields.
func field(es []*widget.Entry, key string) *widget.Entry {
	for i, f := range intFields() {
		if f.key == key {
			return es[i]
		}
	}
	return nil
}

// TestSettingsAdminSaves: the admin changes the finger gate and the
// attempts; config.json holds them after a reload, the capture screens use
// them at once, and the change is audited.
func TestSettingsAdminSaves(t *testing.T) {
	h := newHarness(t, true)
	es := h.openSettings("admin")
	if got := field(es, config.FieldFingerGate).Text; got != "40" {
		t.Fatalf("finger gate shows %q", got)
	}
	field(es, config.FieldFingerGate).SetText("55")
	field(es, config.FieldMaxAttempts).SetText("4")
	sel := find[*widget.Select](h.w.Canvas().Content())
	sel[1].SetSelectedIndex(5) // left thumb
	test.Tap(button(h.w.Canvas().Content(), lang.L("button.save")))
	h.a.Wait()
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("settings.saved")) {
		t.Fatalf("not saved:\n%s", labelsText(h.w.Canvas().Content()))
	}
	c, err := config.Load(h.l.ConfigDir)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Tunables(); s.FingerGate != 55 || s.MaxAttempts != 4 || s.ChipFingers != [2]int{2, 6} {
		t.Fatalf("config.json after save: %+v", s)
	}
	if s := h.a.captureSettings(); s.FingerGate != 55 || s.MaxAttempts != 4 {
		t.Fatalf("not applied without restart: %+v", s)
	}
	es2, err := h.store().S.AuditLog(context.Background(), h.session("admin"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := ""
	for _, e := range es2 {
		if e.Action == "settings.change" {
			last = e.Detail
		}
	}
	if last != "finger_gate=40>55,max_attempts=3>4,chip_fingers=2/7>2/6" {
		t.Fatalf("audit detail %q", last)
	}
	// A second app on the same folders (a restart) shows the saved values.
	h.a.Close()
	h2 := newHarnessOn(t, h.l)
	es = h2.openSettings("admin")
	if got := field(es, config.FieldFingerGate).Text; got != "55" {
		t.Fatalf("after reload the finger gate shows %q", got)
	}
	if h2.a.captureSettings().MaxAttempts != 4 {
		t.Fatal("a restarted app does not read the saved attempts")
	}
}

// TestSettingsBadValueRefusedInline: out-of-range, non-numeric and
// conflicting values are refused next to the field and nothing is saved.
func TestSettingsBadValueRefusedInline(t *testing.T) {
	h := newHarness(t, true)
	es := h.openSettings("admin")
	tests := []struct {
		key, value string
	}{
		{config.FieldFingerGate, "0"},
		{config.FieldIrisGate, "abc"},
		{config.FieldSyncEnd, "24"},
		{config.FieldSyncJitter, "600"}, // longer than the 01–05 window
	}
	for _, tt := range tests {
		e := field(es, tt.key)
		old := e.Text
		e.SetText(tt.value)
		if err := e.Validate(); err == nil {
			t.Errorf("%s=%s: the entry accepts it", tt.key, tt.value)
		}
		test.Tap(button(h.w.Canvas().Content(), lang.L("button.save")))
		h.a.Wait()
		msg := labelsText(h.w.Canvas().Content())
		var label string
		for _, f := range intFields() {
			if f.key == tt.key {
				label = f.label
			}
		}
		if !strings.Contains(msg, label+":") || strings.Contains(msg, lang.L("settings.saved")) {
			t.Errorf("%s=%s: message does not name the field:\n%s", tt.key, tt.value, msg)
		}
		e.SetText(old)
		if err := e.Validate(); err != nil {
			t.Errorf("%s back to %s still refused: %v", tt.key, old, err)
		}
	}
	sel := find[*widget.Select](h.w.Canvas().Content())
	sel[1].SetSelectedIndex(1) // the same finger as the first chip finger
	test.Tap(button(h.w.Canvas().Content(), lang.L("button.save")))
	h.a.Wait()
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("settings.chip_fingers")+":") {
		t.Fatalf("same chip fingers accepted:\n%s", labelsText(h.w.Canvas().Content()))
	}
	c, err := config.Load(h.l.ConfigDir)
	if err != nil || c.Settings != nil {
		t.Fatalf("a refused form wrote config.json: %+v, %v", c.Settings, err)
	}
}

// TestSettingsByRole: an operator has no settings screen; a supervisor
// sees the values read-only and cannot save them.
func TestSettingsByRole(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	h.refused("settings", "cmd.settings", h.a.goSettings)
	h.a.logout("")
	es := h.openSettings("sup1")
	for _, e := range es {
		if !e.Disabled() {
			t.Fatal("a supervisor can edit a setting")
		}
	}
	if b := button(h.w.Canvas().Content(), lang.L("button.save")); b != nil {
		t.Fatal("a supervisor sees Save")
	}
	h.shortcut(fyne.KeyL, false) // Ctrl+L, "next", saves on the admin's form
	if _, err := config.Load(h.l.ConfigDir); err != nil {
		t.Fatal(err)
	}
	if c, _ := config.Load(h.l.ConfigDir); c.Settings != nil {
		t.Fatal("a supervisor's screen saved settings")
	}
}
