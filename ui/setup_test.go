package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestSetupCreatesStationThenLogin(t *testing.T) {
	h := newHarness(t, false)
	if h.a.Screen() != "setup" {
		t.Fatalf("empty data folder: screen %q, want setup", h.a.Screen())
	}
	content := h.w.Canvas().Content()
	entries := findEntries(content)
	test.Type(entries["station"], "3211-01")
	entries["kecamatan"].SetText("32.11.01")
	test.Type(entries["password"], password)
	test.Type(entries["password2"], password+"x")
	test.Type(entries["recovery"], "recovery-passphrase-1")
	test.Type(entries["recovery2"], "recovery-passphrase-1")
	h.shortcut("L", false) // Ctrl+L submits
	if !strings.Contains(labelsText(content), lang.L("setup.password_mismatch")) {
		t.Fatalf("mismatched passwords not reported:\n%s", labelsText(content))
	}
	if h.l.HasStation() {
		t.Fatal("station created despite the mismatch")
	}
	entries["password2"].SetText(password)
	test.Tap(button(content, lang.L("setup.create")))
	h.a.Wait()
	if h.a.Screen() != "login" {
		t.Fatalf("after setup: screen %q, want login", h.a.Screen())
	}
	if !h.l.HasStation() {
		t.Fatal("no station on disk after setup")
	}
	info, err := h.a.st.Info(context.Background())
	if err != nil || info.ID != "3211-01" || info.Kecamatan != "32.11.01" {
		t.Fatalf("station = %+v, %v", info, err)
	}
	h.login("admin")
	if h.a.Screen() != "dashboard" {
		t.Fatalf("after admin login: %q", h.a.Screen())
	}
}

func TestSetupRejectsBadKecamatan(t *testing.T) {
	h := newHarness(t, false)
	e := findEntries(h.w.Canvas().Content())
	e["station"].SetText("3211-01")
	e["kecamatan"].SetText("3211")
	for _, k := range []string{"password", "password2"} {
		e[k].SetText(password)
	}
	for _, k := range []string{"recovery", "recovery2"} {
		e[k].SetText("recovery-passphrase-1")
	}
	h.shortcut("L", false)
	if h.a.Screen() != "setup" || h.l.HasStation() {
		t.Fatalf("bad kecamatan accepted: screen %q", h.a.Screen())
	}
	if !strings.Contains(labelsText(h.w.Canvas().Content()), "kecamatan") {
		t.Fatal("no message about the kecamatan code")
	}
}

// findEntries names the setup form's entries in their order on screen.
func findEntries(o fyne.CanvasObject) map[string]*widget.Entry {
	es := find[*widget.Entry](o)
	names := []string{"station", "regions", "kecamatan", "admin", "password", "password2", "recovery", "recovery2"}
	m := map[string]*widget.Entry{}
	for i, n := range names {
		if i < len(es) {
			m[n] = es[i]
		}
	}
	return m
}
