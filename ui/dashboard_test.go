package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/simsource"
)

func TestDashboardCountsLightsAndDisk(t *testing.T) {
	h := newHarness(t, true)
	h.submitted("op1", "3211010101900002")
	h.submitted("op2", "3211010101900003")
	h.devs.Iris.(*simsource.Sim).SetState(port.DeviceFault)
	h.devs.Face.(*simsource.Sim).SetState(port.DeviceMissing)
	h.login("sup1")
	if h.a.Screen() != "dashboard" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	text := labelsText(h.w.Canvas().Content())
	for _, want := range []string{
		lang.X("dash.today_total", "", map[string]any{"N": 2}),
		lang.L("state.bio_captured"),
		lang.X("dash.backlog", "", map[string]any{"N": 0}),
		lang.L("device.finger") + ": " + lang.L("device.ready"),
		lang.L("device.iris") + ": " + lang.L("device.fault"),
		lang.L("device.face") + ": " + lang.L("device.missing"),
		lang.L("dash.size_assumed"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, text)
		}
	}
	// The lights follow the devices on the next tick.
	h.devs.Iris.(*simsource.Sim).SetState(port.DeviceReady)
	h.a.Tick()
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("device.iris")+": "+lang.L("device.ready")) {
		t.Error("iris light did not turn ready")
	}
	// Help overlay lists the shortcuts.
	h.shortcut(fyne.KeyH, false)
	help := h.overlayText()
	for _, want := range []string{"Ctrl+N", lang.L("cmd.new"), "Shift+Ctrl+L", lang.L("cmd.logout")} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

func TestSummarizeCountsTodayOnly(t *testing.T) {
	h := newHarness(t, true)
	h.submitted("op1", "3211010101900002")
	es := h.enrollments("")
	now := h.clk.Now()
	if s := summarize(es, now); s.total != 1 {
		t.Fatalf("today total = %d", s.total)
	}
	if s := summarize(es, now.AddDate(0, 0, 1)); s.total != 0 {
		t.Fatalf("tomorrow counts yesterday's enrollment: %d", s.total)
	}
}

func TestDashboardForOperatorHidesOutbox(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	text := labelsText(h.w.Canvas().Content())
	if strings.Contains(text, lang.L("error.forbidden")) || !strings.Contains(text, lang.L("dash.backlog_hidden")) {
		t.Fatalf("operator dashboard:\n%s", text)
	}
	if !strings.Contains(text, lang.L("dash.size_assumed")) {
		t.Fatalf("no disk forecast for an operator:\n%s", text)
	}
	h.shortcut(fyne.KeyH, false)
	h.shortcut(fyne.KeyH, false)
	if h.w.Canvas().Overlays().Top() != nil {
		t.Fatal("Ctrl+H did not close the help")
	}
}
