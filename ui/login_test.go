package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/ui/port"
)

func TestLoginWrongPasswordThenLockout(t *testing.T) {
	h := newHarness(t, true)
	s := h.loginScreen()
	policy := h.a.st.Policy()
	for i := 0; i < policy.LockoutAfter; i++ {
		s.name.SetText("op1")
		test.Type(s.password, "wrong-password-x")
		s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.a.Wait()
	}
	if h.a.Session() != nil {
		t.Fatal("logged in with a wrong password")
	}
	s.name.SetText("op1")
	test.Type(s.password, password)
	s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	text := labelsText(h.w.Canvas().Content())
	if h.a.Session() != nil || !strings.Contains(text, lang.L("error.locked")) {
		t.Fatalf("locked account: session %v, text:\n%s", h.a.Session(), text)
	}
	// Another account still logs in; a wrong password says so.
	s.name.SetText("op2")
	test.Type(s.password, "nope-nope-nope")
	s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("error.login")) {
		t.Fatal("wrong password not reported")
	}
	h.login("op2")
	if h.a.Screen() != "dashboard" {
		t.Fatalf("screen %q", h.a.Screen())
	}
}

func TestIdleCountdownLogoutKeepsDraftAndResume(t *testing.T) {
	h := newHarness(t, true)
	h.toFingers("op1")
	h.shortcut(fyne.KeyR, false) // right thumb saved
	h.shortcut(fyne.KeyR, false) // right index saved
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	limit := h.a.st.Policy().IdleTimeout

	h.clk.Add(limit - 20*time.Second)
	h.a.Tick()
	if got := h.a.IdleCountdownText(); !strings.Contains(got, "20") {
		t.Fatalf("countdown = %q, want 20 seconds left", got)
	}
	h.clk.Add(5 * time.Second)
	h.a.Tick()
	if got := h.a.IdleCountdownText(); !strings.Contains(got, "15") {
		t.Fatalf("countdown = %q, want 15 seconds left", got)
	}
	h.clk.Add(16 * time.Second)
	h.a.Tick()
	if h.a.Session() != nil || h.a.Screen() != "login" {
		t.Fatalf("not logged out: screen %q", h.a.Screen())
	}
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("login.idle_logout")) {
		t.Fatal("idle logout not explained")
	}
	drafts := h.enrollments(enroll.Draft)
	if len(drafts) != 1 || drafts[0].Captures != 2 {
		t.Fatalf("draft after idle logout = %+v", drafts)
	}

	// Log in again: the draft is offered and resumes at the third finger.
	h.login("op1")
	top := h.w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(h.overlayText(), nik.Mask(testNIK)) {
		t.Fatalf("no resume offer with the masked NIK: %q", h.overlayText())
	}
	if strings.Contains(h.overlayText(), testNIK) {
		t.Fatal("resume offer shows the whole NIK")
	}
	test.Tap(button(top, lang.L("Yes")))
	h.a.Wait()
	if h.a.Screen() != "enroll.fingers" || h.a.flow.enrollmentID != drafts[0].ID {
		t.Fatalf("resume: screen %q", h.a.Screen())
	}
	h.shortcut(fyne.KeyR, false)
	if _, ok := h.captures(drafts[0].ID)[port.Finger(3).Step()]; !ok {
		t.Fatal("resumed capture did not continue at finger 3")
	}
}

func TestActivityDefersIdleLogout(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	limit := h.a.st.Policy().IdleTimeout
	h.clk.Add(limit - 10*time.Second)
	h.a.Tick()
	if h.a.IdleCountdownText() == "" {
		t.Fatal("no countdown near the limit")
	}
	h.shortcut(fyne.KeyD, false) // any command counts as activity
	if h.a.IdleCountdownText() != "" {
		t.Fatal("countdown still shown after activity")
	}
	h.clk.Add(limit - time.Minute)
	h.a.Tick()
	if h.a.Session() == nil {
		t.Fatal("logged out although active")
	}
}

func TestLogoutShortcutAndOtherOperatorsDraftNotOffered(t *testing.T) {
	h := newHarness(t, true)
	ctx := context.Background()
	op2 := h.session("op2")
	rid, err := h.store().SaveResident(ctx, op2, 0, enroll.Resident{NIK: testNIK, Name: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store().StartEnrollment(ctx, op2, rid); err != nil {
		t.Fatal(err)
	}
	h.login("op1")
	if h.w.Canvas().Overlays().Top() != nil {
		t.Fatalf("op1 offered op2's draft: %q", h.overlayText())
	}
	h.shortcut(fyne.KeyL, true) // Ctrl+Shift+L
	if h.a.Session() != nil || h.a.Screen() != "login" {
		t.Fatal("Ctrl+Shift+L did not log out")
	}
}

func TestRestartAfterCrashOffersResume(t *testing.T) {
	h := newHarness(t, true)
	h.toFingers("op1")
	for i := 0; i < 10; i++ {
		h.shortcut(fyne.KeyR, false)
	}
	h.shortcut(fyne.KeyL, false)
	h.shortcut(fyne.KeyR, false) // right iris saved, then the station dies
	h.a.Close()
	h.w.Close()

	// A new process on the same folders: login, resume at the left iris.
	// The harness's cleanup closes the new app and window.
	w := test.NewWindow(nil)
	a := New(w, Options{Launcher: h.l, Devices: h.devs, Now: h.clk.Now, NoTicker: true, queueDone: true})
	a.Start()
	a.Wait()
	h.a, h.w = a, w
	h.login("op1")
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no resume offer after restart")
	}
	test.Tap(button(top, lang.L("Yes")))
	a.Wait()
	if a.Screen() != "enroll.irises" {
		t.Fatalf("resumed at %q, want enroll.irises", a.Screen())
	}
	if got := a.flow.bio; got != nil {
		t.Fatal("resume rebuilt the biodata form")
	}
	h.shortcut(fyne.KeyR, false)
	if _, ok := h.captures(a.flow.enrollmentID)[port.LeftEye.Step()]; !ok {
		t.Fatal("resumed capture did not take the left iris")
	}
}

func TestIdleLogoutClosesDialogs(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	h.shortcut(fyne.KeyH, false)
	if h.w.Canvas().Overlays().Top() == nil {
		t.Fatal("no help overlay")
	}
	h.clk.Add(h.a.st.Policy().IdleTimeout + time.Second)
	h.a.Tick()
	if h.a.Screen() != "login" || h.w.Canvas().Overlays().Top() != nil {
		t.Fatalf("after idle logout: screen %q, overlay %v", h.a.Screen(), h.w.Canvas().Overlays().Top())
	}
	h.shortcut(fyne.KeyH, false) // help still opens after the logout
	if h.w.Canvas().Overlays().Top() == nil {
		t.Fatal("help does not open after logout")
	}
}
