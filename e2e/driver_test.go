package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Waits, generous for a loaded two-core machine: each is a ceiling, the
// driver moves on as soon as the app's log says so.
const (
	// startTimeout bounds the launch up to the login screen.
	startTimeout = 60 * time.Second
	// loginTimeout bounds a password check (argon2id) and the dashboard.
	loginTimeout = 60 * time.Second
	// resendAfter is how long a key's effect is awaited before the key is
	// sent again (only keys that are safe to repeat are).
	resendAfter = 10 * time.Second
	// sends is how many times such a key is sent at most.
	sends = 3
	// captureTimeout bounds one capture step, retries included.
	captureTimeout = 60 * time.Second
	// settle lets the frame after a log line reach the screen before a
	// screenshot (the log line is written when the content is set).
	settle = 600 * time.Millisecond
)

// entry is one line of the app's REKAM_STARTUP_LOG output: a screen put on
// show or an event inside one (see ui/events.go).
type entry struct {
	kind string // "screen" or "event"
	text string // the screen's name, or "<event> <detail>"
}

func (e entry) String() string { return e.kind + " " + e.text }

var logLine = regexp.MustCompile(`^rekam: (screen|event) (.+) at \d+ ms$`)

// window is the running rekam process and its window, driven by xdotool.
type window struct {
	t     *testing.T
	cmd   *exec.Cmd
	exit  chan struct{} // closed when the process has exited
	log   string        // its stderr, with the screen and event lines
	id    string        // X window id
	shots string        // screenshot folder
	shotN int
}

// launch starts `rekam --data DIR --sim` on the test's display in
// Indonesian with the screen log on, waits for its window and the login
// screen, and places the window at the top left, 1280×860.
func launch(t *testing.T, bin string, s station, shots string) *window {
	t.Helper()
	dir := t.TempDir()
	w := &window{t: t, log: filepath.Join(dir, "rekam.log"), shots: shots, exit: make(chan struct{})}
	f, err := os.Create(w.log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w.cmd = exec.Command(filepath.Join(bin, "rekam"), "--data", s.data, "--config", s.config, "--sim")
	w.cmd.Env = append(os.Environ(), "REKAM_STARTUP_LOG=1", "LANG=en_US.UTF-8", "LANGUAGE=id",
		"XDG_CONFIG_HOME="+filepath.Join(dir, "xdg-config"))
	w.cmd.Stdout, w.cmd.Stderr = f, f
	if err := w.cmd.Start(); err != nil {
		t.Fatalf("start rekam: %v", err)
	}
	go func() { w.cmd.Wait(); close(w.exit) }()
	t.Cleanup(w.stop)

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--pid",
		fmt.Sprint(w.cmd.Process.Pid), "--name", "Rekam").Output()
	if err != nil {
		w.fail("no rekam window within %s: %v", startTimeout, err)
	}
	w.id = strings.Fields(string(out))[0]
	w.xdotool("windowsize", w.id, "1280", "860", "windowmove", w.id, "0", "0")
	w.await(0, startTimeout, screen("login"))
	return w
}

// stop ends the app (SIGTERM, then SIGKILL) if it still runs.
func (w *window) stop() {
	select {
	case <-w.exit:
		return
	default:
	}
	w.cmd.Process.Signal(os.Interrupt)
	select {
	case <-w.exit:
	case <-time.After(10 * time.Second):
		w.cmd.Process.Kill()
		<-w.exit
	}
}

// logText returns the app's log so far.
func (w *window) logText() string {
	b, err := os.ReadFile(w.log)
	if err != nil {
		w.t.Fatalf("read the app log: %v", err)
	}
	return string(b)
}

// entries parses the screen and event lines of the log so far.
func (w *window) entries() []entry {
	var out []entry
	for _, l := range strings.Split(w.logText(), "\n") {
		if m := logLine.FindStringSubmatch(l); m != nil {
			out = append(out, entry{m[1], m[2]})
		}
	}
	return out
}

// mark is the number of log entries so far: await(mark, ...) looks only at
// what comes after it.
func (w *window) mark() int { return len(w.entries()) }

// screen matches a screen by name.
func screen(name string) func(entry) bool {
	return func(e entry) bool { return e.kind == "screen" && e.text == name }
}

// event matches an event by its name (the detail is free).
func event(name string) func(entry) bool {
	return func(e entry) bool { return e.kind == "event" && strings.SplitN(e.text, " ", 2)[0] == name }
}

// poll looks for an entry after since that matches, for up to d; it
// returns the entry and the mark after it. It fails the test when the app
// exits.
func (w *window) poll(since int, d time.Duration, match func(entry) bool) (entry, int, bool) {
	for deadline := time.Now().Add(d); ; {
		es := w.entries()
		for i := since; i < len(es); i++ {
			if match(es[i]) {
				return es[i], i + 1, true
			}
		}
		select {
		case <-w.exit:
			w.fail("rekam exited (%v)", w.cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			return entry{}, len(es), false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// await is poll that fails the test on a timeout.
func (w *window) await(since int, d time.Duration, match func(entry) bool) (entry, int) {
	w.t.Helper()
	e, next, ok := w.poll(since, d, match)
	if !ok {
		w.fail("waited %s in vain after log entry %d", d, since)
	}
	return e, next
}

// xdotool runs xdotool with args.
func (w *window) xdotool(args ...string) {
	w.t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		w.fail("xdotool %s: %v %s", strings.Join(args, " "), err, out)
	}
}

// keys focuses the window and presses each key (xdotool names, e.g.
// ctrl+l, shift+ctrl+l, Return).
func (w *window) keys(keys ...string) {
	w.t.Helper()
	w.xdotool(append([]string{"windowfocus", w.id, "key", "--clearmodifiers", "--delay", "80"}, keys...)...)
}

// typeText focuses the window and types s.
func (w *window) typeText(s string) {
	w.t.Helper()
	w.xdotool("windowfocus", w.id, "type", "--delay", "40", s)
}

// press sends key until the screen named want is shown (the key must be
// harmless to repeat there: every Next checks its step first).
func (w *window) press(key, want string) {
	w.t.Helper()
	w.until(key, screen(want))
}

// until sends key until an entry matching match follows; it returns the
// entry.
func (w *window) until(key string, match func(entry) bool) entry {
	w.t.Helper()
	m := w.mark()
	for i := 0; i < sends; i++ {
		w.keys(key)
		if e, _, ok := w.poll(m, resendAfter, match); ok {
			return e
		}
	}
	w.fail("%s sent %d times without the expected effect", key, sends)
	return entry{}
}

// login types an account's name and password on the login screen and
// waits for the dashboard.
func (w *window) login(name string) {
	w.t.Helper()
	m := w.mark()
	w.typeText(name)
	w.keys("Tab")
	w.typeText(password)
	w.keys("Return")
	w.await(m, loginTimeout, screen("dashboard"))
}

// captureAll presses Ctrl+R until n capture steps of the screen are saved
// (each capture moves on to the next missing step) and returns the saved
// step codes in order.
func (w *window) captureAll(n int) []string {
	w.t.Helper()
	var saved []string
	for len(saved) < n {
		saved = append(saved, w.captureOne())
	}
	return saved
}

// captureOne presses Ctrl+R until a capture is saved and returns its step.
// Ctrl+R is ignored while a capture runs, so it is safe to repeat when no
// outcome shows in time. A capture below its quality gate or failed on the
// device (a timeout on a loaded machine) is tried again at once; three
// below the gate fail the test (the simulated devices reach the gate).
func (w *window) captureOne() string {
	w.t.Helper()
	below := 0
	m := w.mark()
	for deadline := time.Now().Add(captureTimeout); time.Now().Before(deadline); {
		w.keys("ctrl+r")
		e, next, ok := w.poll(m, resendAfter, captureOutcome)
		if !ok {
			continue
		}
		m = next
		name, step, _ := strings.Cut(e.text, " ")
		switch name {
		case "saved":
			return step
		case "below-gate":
			if below++; below >= 3 {
				w.fail("%s stayed below its quality gate three times", step)
			}
		}
	}
	w.fail("no capture saved within %s", captureTimeout)
	return ""
}

// captureOutcome matches what a capture ends in: saved, below the gate or
// failed on the device.
func captureOutcome(e entry) bool {
	return event("saved")(e) || event("below-gate")(e) || event("capture-failed")(e)
}

// shot saves a screenshot of the window as NN-name.png in the shot folder.
func (w *window) shot(name string) {
	w.t.Helper()
	time.Sleep(settle)
	w.shotN++
	path := filepath.Join(w.shots, fmt.Sprintf("%02d-%s.png", w.shotN, name))
	if out, err := exec.Command("import", "-window", w.id, path).CombinedOutput(); err != nil {
		w.t.Errorf("screenshot %s: %v %s", path, err, out)
	}
}

// fail saves a screenshot of the whole display, then fails the test with
// the message and the app's log.
func (w *window) fail(format string, args ...any) {
	w.t.Helper()
	path := filepath.Join(w.shots, "failure.png")
	exec.Command("import", "-window", "root", path).Run()
	w.t.Fatalf("%s\nscreenshot: %s\napp log:\n%s", fmt.Sprintf(format, args...), path, w.logText())
}
