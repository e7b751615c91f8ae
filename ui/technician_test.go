package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// techBench is the harness with the serial simulated set (ptys, real
// drivers) on the technician's bench and a technician account "tech1"
// logged in on the technician screen.
type techBench struct {
	*harness
	bench *devport.Bench
}

func newTechBench(t *testing.T) *techBench {
	t.Helper()
	set, err := simset.Start(simset.Options{Serial: true, Identity: 7, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, bench, closeDevs := devport.FromSimSet(context.Background(), set)
	t.Cleanup(func() { closeDevs(); set.Close() })
	h := newHarness(t, true)
	h.a.opt.Bench = bench
	if err := h.store().AddOperator(context.Background(), h.session("admin"), "tech1", operator.RoleTechnician, password); err != nil {
		t.Fatal(err)
	}
	h.login("tech1")
	b := button(h.w.Canvas().Content(), lang.L("cmd.technician"))
	if b == nil {
		t.Fatal("no technician button on the technician's dashboard")
	}
	test.Tap(b)
	h.a.Wait()
	if h.a.Screen() != "technician" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	return &techBench{harness: h, bench: h.a.opt.Bench.(*devport.Bench)}
}

// index is the device's card position (cards follow the bench's order).
func (tb *techBench) index(id string) int {
	for i, d := range tb.bench.Devices() {
		if d.ID() == id {
			return i
		}
	}
	tb.t.Fatalf("no device %s", id)
	return -1
}

// nth finds the n-th visible button with text.
func (tb *techBench) nth(text string, n int) *widget.Button {
	tb.t.Helper()
	var bs []*widget.Button
	for _, b := range find[*widget.Button](tb.w.Canvas().Content()) {
		if b.Text == text && b.Visible() {
			bs = append(bs, b)
		}
	}
	if n >= len(bs) {
		tb.t.Fatalf("%d buttons %q, want #%d", len(bs), text, n)
	}
	return bs[n]
}

// tapNth taps the n-th visible button with text and waits for the work.
func (tb *techBench) tapNth(text string, n int) {
	tb.t.Helper()
	test.Tap(tb.nth(text, n))
	tb.a.Wait()
}

func (tb *techBench) text() string { return labelsText(tb.w.Canvas().Content()) }

// inject picks a fault for a device's card and arms it.
func (tb *techBench) inject(id, fault string) {
	tb.t.Helper()
	i := tb.index(id)
	sel := find[*widget.Select](tb.w.Canvas().Content())[i]
	sel.SetSelected(faultLabel(fault))
	tb.tapNth(lang.L("tech.sim_inject"), i)
	if want := faultLabel(fault) + " ×1"; !strings.Contains(tb.text(), want) {
		tb.t.Fatalf("armed %s not shown:\n%s", fault, tb.text())
	}
}

// TestTechnicianRehearsesFaults injects faults on the simulated r503 (on a
// pty, through its real driver): each shows its specific message and a
// retry, and the retry succeeds once the fault is spent or cleared.
func TestTechnicianRehearsesFaults(t *testing.T) {
	tb := newTechBench(t)
	fp := tb.index("fp0")
	if s := tb.text(); !strings.Contains(s, lang.L("tech.info_serial")+":") || !strings.Contains(s, lang.L("tech.sim_none_active")) {
		t.Fatalf("device info or sim state missing:\n%s", s)
	}
	tests := []struct {
		fault, op, want string
	}{
		{"timeout", "tech.selftest", "tech.err_timeout"},
		{"bad-checksum", "tech.selftest", "tech.err_protocol"},
		{"unplug", "tech.capture", "tech.err_missing"},
	}
	// The folder entry is the only entry on the screen.
	caps := filepath.Join(t.TempDir(), "caps")
	find[*widget.Entry](tb.w.Canvas().Content())[0].SetText(caps)
	for _, tt := range tests {
		tb.inject("fp0", tt.fault)
		tb.tapNth(lang.L(tt.op), fp)
		if s := tb.text(); !strings.Contains(s, lang.L(tt.want)) {
			t.Fatalf("%s: no %s message:\n%s", tt.fault, tt.want, s)
		}
		if button(tb.w.Canvas().Content(), lang.L("tech.retry")) == nil {
			t.Fatalf("%s: no retry", tt.fault)
		}
		if strings.Contains(tb.text(), faultLabel(tt.fault)+" ×1") {
			t.Fatalf("%s: a spent fault still shows as active", tt.fault)
		}
		if tt.fault == "unplug" { // the scanner vanished: plug it back first
			if !strings.Contains(tb.text(), lang.L("tech.sim_unplugged")) {
				t.Fatalf("unplugged device not shown as such:\n%s", tb.text())
			}
			tb.tapNth(lang.L("tech.sim_replug"), 0)
		}
		recovered := false
		for i := 0; i < 20 && !recovered; i++ { // a replugged port reconnects on the next call
			tb.tapNth(lang.L("tech.retry"), 0)
			recovered = button(tb.w.Canvas().Content(), lang.L("tech.retry")) == nil
			if !recovered {
				time.Sleep(100 * time.Millisecond)
			}
		}
		if !recovered {
			t.Fatalf("%s: retry never succeeded:\n%s", tt.fault, tb.text())
		}
	}
	files, _ := filepath.Glob(filepath.Join(caps, "fp0-*.png"))
	if len(files) == 0 {
		t.Fatal("the retried capture wrote no PNG")
	}
}

// TestTechnicianClearsArmedFault arms a fault, sees it active, clears it,
// and the self-test passes at once.
func TestTechnicianClearsArmedFault(t *testing.T) {
	tb := newTechBench(t)
	fp := tb.index("fp0")
	tb.inject("fp0", "sensor")
	tb.tapNth(lang.L("tech.sim_clear"), fp)
	if strings.Contains(tb.text(), faultLabel("sensor")+" ×1") || !strings.Contains(tb.text(), lang.L("tech.sim_none_active")) {
		t.Fatalf("cleared fault still active:\n%s", tb.text())
	}
	tb.tapNth(lang.L("tech.selftest"), fp)
	if s := tb.text(); strings.Contains(s, lang.L("tech.selftest_failed")) || button(tb.w.Canvas().Content(), lang.L("tech.retry")) != nil {
		t.Fatalf("self-test after clearing:\n%s", s)
	}
	// Armed and not cleared, the sensor fault fails the self-test's check.
	tb.inject("fp0", "sensor")
	tb.tapNth(lang.L("tech.selftest"), fp)
	if s := tb.text(); !strings.Contains(s, lang.L("tech.selftest_failed")) || !strings.Contains(s, "✗ sensor") {
		t.Fatalf("sensor fault not in the self-test:\n%s", s)
	}
	tb.tapNth(lang.L("tech.retry"), 0)
	if s := tb.text(); strings.Contains(s, lang.L("tech.selftest_failed")) {
		t.Fatalf("retry after a spent fault:\n%s", s)
	}
}

// TestTechnicianFingerAndCaptureToFile lifts the simulated finger (the
// capture then says there is none, with a retry), puts it back, retries,
// and captures the pad's ink (PNG and 19794-7) into the named folder;
// both captures are audited.
func TestTechnicianFingerAndCaptureToFile(t *testing.T) {
	tb := newTechBench(t)
	dir := filepath.Join(t.TempDir(), "bench captures")
	find[*widget.Entry](tb.w.Canvas().Content())[0].SetText(dir)
	for _, d := range tb.bench.Devices() {
		if d.Kind() == "finger" {
			d.(*devport.BenchDevice).Timeout = time.Second // a lifted finger fails fast
		}
		d.(*devport.BenchDevice).PadDone = 300 * time.Millisecond
	}
	tb.tapNth(lang.L("tech.sim_lift"), 0) // fp0 is the first finger device in name order
	if !strings.Contains(tb.text(), lang.L("tech.sim_no_finger")) {
		t.Fatalf("lifted finger not shown:\n%s", tb.text())
	}
	tb.tapNth(lang.L("tech.capture"), tb.index("fp0"))
	if !strings.Contains(tb.text(), lang.L("tech.err_no_finger")) {
		t.Fatalf("capture without a finger:\n%s", tb.text())
	}
	tb.tapNth(lang.L("tech.sim_place"), 0)
	tb.tapNth(lang.L("tech.retry"), 0)
	if button(tb.w.Canvas().Content(), lang.L("tech.retry")) != nil {
		t.Fatalf("retry with the finger back failed:\n%s", tb.text())
	}
	tb.tapNth(lang.L("tech.capture"), tb.index("pad0"))
	for _, want := range []string{"fp0-20261127-090000.png", "pad0-20261127-090000.png", "pad0-20261127-090000.sig"} {
		if st, err := os.Stat(filepath.Join(dir, want)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", want, err)
		}
	}
	log, err := tb.store().S.AuditLog(context.Background(), tb.session("admin"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var audited []string
	for _, e := range log {
		if e.Action == "device.capture_file" {
			audited = append(audited, e.Actor+" "+e.Object+" "+e.Detail)
		}
	}
	if strings.Join(audited, ";") != "tech1 device:fp0 files=1;tech1 device:pad0 files=2" {
		t.Fatalf("captures to file audited as %q", audited)
	}
	// A session that may not service devices writes no file: the check
	// comes before the write.
	tb.a.sess = tb.session("op1")
	tb.a.now = func() time.Time { return time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC) }
	tb.tapNth(lang.L("tech.capture"), tb.index("pad0"))
	if _, err := os.Stat(filepath.Join(dir, "pad0-20261127-093000.png")); !os.IsNotExist(err) {
		t.Fatalf("a capture refused by the role was still written: %v", err)
	}
}

// TestTechnicianPreviewStopsWithTheScreen streams live frames from the
// scanner into the preview panel; stopping shows them counted, and leaving
// the screen ends a running preview (Wait would never return otherwise)
// and frees the device.
func TestTechnicianPreviewStopsWithTheScreen(t *testing.T) {
	tb := newTechBench(t)
	fp := tb.index("fp0")
	waitFrames := func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			tb.a.mu.Lock()
			n := len(tb.a.pending)
			tb.a.mu.Unlock()
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("no preview frame in 10 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	test.Tap(tb.nth(lang.L("tech.preview_start"), fp)) // not tapNth: Wait would block on the stream
	waitFrames()
	test.Tap(button(tb.w.Canvas().Content(), lang.L("tech.preview_stop")))
	tb.a.Wait()
	var live *canvas.Image
	for _, img := range find[*canvas.Image](tb.w.Canvas().Content()) {
		if img.Image != nil {
			live = img
		}
	}
	if live == nil {
		t.Fatal("no frame in the preview panel")
	}
	if s := tb.text(); strings.Contains(s, lang.L("tech.previewing")) || !strings.Contains(s, lang.L("tech.preview_none")) {
		t.Fatalf("preview still shown as running:\n%s", s)
	}
	test.Tap(tb.nth(lang.L("tech.preview_start"), fp))
	waitFrames()
	tb.shortcut(fyne.KeyD, false) // the dashboard: leaving stops the stream
	if tb.a.Screen() != "dashboard" {
		t.Fatalf("screen %q", tb.a.Screen())
	}
	if st := tb.bench.Devices()[fp].State(); st != port.DeviceReady {
		t.Fatalf("device still busy after leaving the screen: %v", st)
	}
}

// TestTechnicianSelfTestDuringPreview: a self-test asked for while the same
// device is previewing stops the preview and runs on the freed device (it
// used to be ignored).
func TestTechnicianSelfTestDuringPreview(t *testing.T) {
	tb := newTechBench(t)
	fp := tb.index("fp0")
	test.Tap(tb.nth(lang.L("tech.preview_start"), fp)) // not tapNth: Wait would block on the stream
	if !strings.Contains(tb.text(), lang.L("tech.previewing")) {
		t.Fatalf("preview not running:\n%s", tb.text())
	}
	test.Tap(tb.nth(lang.L("tech.selftest"), fp))
	// Stop as well, so that Wait returns even when the self-test is
	// ignored and the stream goes on.
	test.Tap(button(tb.w.Canvas().Content(), lang.L("tech.preview_stop")))
	tb.a.Wait()
	s := tb.text()
	passed := lang.X("tech.selftest_ok", "", map[string]any{"RTT": time.Duration(0)})
	if !strings.Contains(s, passed[:strings.Index(passed, "(")]) || strings.Contains(s, lang.L("tech.previewing")) || !strings.Contains(s, lang.L("tech.preview_none")) {
		t.Fatalf("self-test during the preview not run:\n%s", s)
	}
	if st := tb.bench.Devices()[fp].State(); st != port.DeviceReady {
		t.Fatalf("device light %v after the self-test", st)
	}
}

// TestTechnicianScreenByRole: operators and supervisors have no technician
// screen; the admin has it.
func TestTechnicianScreenByRole(t *testing.T) {
	h := newHarness(t, true)
	for _, name := range []string{"op1", "sup1"} {
		h.login(name)
		h.refused("technician", "cmd.technician", h.a.goTechnician)
		h.a.logout("")
	}
	h.login("admin")
	if button(h.w.Canvas().Content(), lang.L("cmd.technician")) == nil {
		t.Fatal("admin lacks the technician button")
	}
	h.a.goTechnician()
	if h.a.Screen() != "technician" || !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("tech.no_devices")) {
		t.Fatalf("admin without devices: %s", h.a.Screen())
	}
}

// refused checks that the logged-in account has no button for a screen
// and that opening it anyway shows "forbidden" and leaves the screen.
func (h *harness) refused(screen, buttonKey string, open func()) {
	h.t.Helper()
	if button(h.w.Canvas().Content(), lang.L(buttonKey)) != nil {
		h.t.Fatalf("%s sees the %s button", h.a.Session().Name, screen)
	}
	open()
	h.a.Wait()
	if h.a.Screen() == screen || !strings.Contains(h.overlayText(), lang.L("error.forbidden")) {
		h.t.Fatalf("%s opened the %s screen", h.a.Session().Name, screen)
	}
}
