package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	vcdrv "github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	vcsim "github.com/rekam-ktp/rekam/simulators/vcom5s"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// simScanner attaches the simulated Veridicom 5thSense (the real vcom5s
// driver over the in-process fake USB bus, synthetic fingers) as the
// harness's finger scanner and returns the finger on its sensor.
func (h *harness) simScanner(person uint64) *biosrc.Placement {
	h.t.Helper()
	bus := &usbfake.Bus{}
	m := vcdrv.Models[0]
	eng := vcsim.New(m, person, biosrc.Synth{})
	bus.Attach(m.VID, m.PID, "1-3", eng)
	drv := vcdrv.New(bus, m, "", vcdrv.Config{Poll: time.Millisecond})
	h.t.Cleanup(func() { drv.Close() })
	h.a.opt.Devices.Finger = devport.NewFinger(context.Background(), drv)
	eng.Finger().SetIdentity(person, int(port.LoginFinger))
	return eng.Finger()
}

// enrolFinger enrols op's login finger through the operators screen, as
// the admin, with the given person's finger on the scanner.
func (h *harness) enrolFinger(sensor *biosrc.Placement, op string, person uint64) {
	h.t.Helper()
	sensor.SetIdentity(person, int(port.LoginFinger))
	h.login("admin")
	h.shortcut("O", false)
	if h.a.Screen() != "operators" {
		h.t.Fatalf("screen %q", h.a.Screen())
	}
	content := h.w.Canvas().Content()
	if b := button(content, lang.L("login2.enrol")); b == nil || !b.Disabled() {
		h.t.Fatal("enrol button missing or enabled before an account is chosen")
	}
	list := find[*widget.List](content)
	if len(list) == 0 {
		h.t.Fatal("no account list")
	}
	for i := 0; i < list[0].Length(); i++ {
		list[0].Select(i)
		if strings.Contains(labelsText(content), lang.X("login2.account", "", map[string]any{"Name": op})) {
			break
		}
	}
	test.Tap(button(content, lang.L("login2.enrol")))
	h.a.Wait()
	if got := labelsText(content); !strings.Contains(got, lang.L("login2.enrolled")) || !strings.Contains(got, op) {
		h.t.Fatalf("after enrolment:\n%s", got)
	}
	h.shortcut("L", true) // log out
}

func TestFingerLoginScreen(t *testing.T) {
	h := newHarness(t, true)
	sensor := h.simScanner(21)
	h.enrolFinger(sensor, "op1", 21)
	fs, err := h.store().OperatorFingers(context.Background(), h.session("admin"))
	if err != nil || len(fs) != 1 || fs[0].Name != "op1" || fs[0].Position != int(port.LoginFinger) {
		t.Fatalf("stored fingers %+v %v", fs, err)
	}

	tests := []struct {
		name   string
		person uint64
		want   string // the logged-in account, "" for none
		msg    string
	}{
		{"another person's finger", 22, "", lang.L("login2.no_match")},
		{"op1's finger", 21, "op1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h.a.Screen() != "login" {
				h.shortcut("L", true)
			}
			sensor.SetIdentity(tt.person, int(port.LoginFinger))
			h.shortcut("R", false) // Ctrl+R: log in with fingerprint
			if tt.want == "" {
				if h.a.Session() != nil {
					t.Fatalf("logged in as %s", h.a.Session().Name)
				}
				if got := labelsText(h.w.Canvas().Content()); !strings.Contains(got, tt.msg) {
					t.Fatalf("message missing:\n%s", got)
				}
				return
			}
			if s := h.a.Session(); s == nil || s.Name != tt.want || h.a.Screen() != "dashboard" {
				t.Fatalf("session %+v screen %s", s, h.a.Screen())
			}
		})
	}

	// A locked op1 cannot log in by finger.
	h.shortcut("L", true)
	if err := h.store().S.SetLocked(context.Background(), h.session("admin"), "op1", true); err != nil {
		t.Fatal(err)
	}
	sensor.SetIdentity(21, int(port.LoginFinger))
	test.Tap(button(h.w.Canvas().Content(), lang.L("login2.finger")))
	h.a.Wait()
	if h.a.Session() != nil {
		t.Fatal("locked account logged in by finger")
	}
	if got := labelsText(h.w.Canvas().Content()); !strings.Contains(got, lang.L("error.locked")) {
		t.Fatalf("locked message missing:\n%s", got)
	}
}

func TestFingerLoginWithoutScanner(t *testing.T) {
	h := newHarness(t, true)
	h.a.opt.Devices.Finger = nil
	h.shortcut("R", false)
	if h.a.Session() != nil {
		t.Fatal("logged in without a scanner")
	}
	if got := labelsText(h.w.Canvas().Content()); !strings.Contains(got, lang.L("error.no_device")) {
		t.Fatalf("no-device message missing:\n%s", got)
	}
}

func TestEnrolOwnFinger(t *testing.T) {
	h := newHarness(t, true)
	h.simScanner(31)
	h.login("op1")
	tests := []struct {
		name     string
		password string
		want     string // text of the dialog that follows
		stored   bool
	}{
		{"wrong password", "wrong-password", lang.L("error.login"), false},
		{"own password", password, "op1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.Tap(button(h.w.Canvas().Content(), lang.L("login2.own_title")))
			ov := h.w.Canvas().Overlays().Top()
			if ov == nil {
				t.Fatal("no password dialog")
			}
			test.Type(find[*widget.Entry](ov)[0], tt.password)
			test.Tap(button(ov, lang.L("login2.enrol")))
			h.a.Wait()
			if got := h.overlayText(); !strings.Contains(got, tt.want) {
				t.Fatalf("dialog %q, want %q", got, tt.want)
			}
			h.w.Canvas().Overlays().Remove(h.w.Canvas().Overlays().Top())
			fs, err := h.store().OperatorFingers(context.Background(), h.session("admin"))
			if err != nil || (len(fs) == 1) != tt.stored || (tt.stored && fs[0].EnrolledBy != "op1") {
				t.Fatalf("stored %+v %v", fs, err)
			}
		})
	}
	// The enrolled finger logs op1 in.
	h.shortcut("L", true)
	h.shortcut("R", false)
	if s := h.a.Session(); s == nil || s.Name != "op1" {
		t.Fatalf("finger login after self-enrolment: %+v", s)
	}
}
