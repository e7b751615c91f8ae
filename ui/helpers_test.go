package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/simsource"
)

func TestMain(m *testing.M) {
	if err := LoadTranslations(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// password is every test account's password.
const password = "correct-horse-1"

// clock is a settable clock shared by the store and the app.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is the app in a test window over a real store in a temp dir.
type harness struct {
	t    *testing.T
	a    *App
	w    fyne.Window
	clk  *clock
	l    port.Launcher
	devs port.Devices
}

// launcher returns a Launcher over fresh temp folders with cheap hashes.
func testLauncher(t *testing.T, clk *clock) port.Launcher {
	dir := t.TempDir()
	return port.Launcher{DataDir: filepath.Join(dir, "data"), ConfigDir: filepath.Join(dir, "config"),
		Options:  store.Options{Now: clk.Now, HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}},
		Recovery: keys.KDFParams{Time: 1, Memory: 64, Threads: 1}}
}

// newHarness starts the app; with station it first creates a station with
// the regions below and accounts op1, op2 (operators), sup1, sup2
// (supervisors).
func newHarness(t *testing.T, station bool) *harness {
	t.Helper()
	test.NewTempApp(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local)}
	h := &harness{t: t, clk: clk, l: testLauncher(t, clk), devs: simsource.NewDevices(0)}
	if station {
		ctx := context.Background()
		st, err := h.l.Create(ctx, port.SetupRequest{Station: store.Station{ID: "3211-01", Kecamatan: "32.11.01"},
			Admin: "admin", Password: password, Recovery: "recovery-passphrase-1", Regions: testRegions})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := st.Login(ctx, "admin", password)
		if err != nil {
			t.Fatal(err)
		}
		for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "op2": operator.RoleOperator,
			"sup1": operator.RoleSupervisor, "sup2": operator.RoleSupervisor} {
			if err := st.AddOperator(ctx, admin, name, role, password); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
	}
	h.w = test.NewWindow(nil)
	h.w.Resize(fyne.NewSize(1200, 800))
	h.a = New(h.w, Options{Launcher: h.l, Devices: h.devs, Now: clk.Now, NoTicker: true, queueDone: true})
	t.Cleanup(func() { h.a.Close(); h.w.Close() })
	h.a.Start()
	h.a.Wait()
	return h
}

// testRegions is a tiny master data set: one path down to two desa.
var testRegions = []wilayah.Region{
	{Code: "32", Name: "JAWA BARAT", Level: wilayah.Provinsi},
	{Code: "32.11", Name: "KAB. SUMEDANG", Level: wilayah.KabKota},
	{Code: "32.11.01", Name: "JATINANGOR", Level: wilayah.Kecamatan},
	{Code: "32.11.01.2001", Name: "CIPACING", Level: wilayah.Desa},
	{Code: "32.11.01.2002", Name: "SAYANG", Level: wilayah.Desa},
}

// store opens a second handle on the harness's store for checks.
func (h *harness) store() *port.StoreStation {
	return h.a.st.(*port.StoreStation)
}

// session logs an account in directly on the store (for checks).
func (h *harness) session(name string) *operator.Session {
	s, err := h.store().Login(context.Background(), name, password)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// shortcut presses a Ctrl (+Shift) shortcut on the canvas and waits.
func (h *harness) shortcut(key fyne.KeyName, shift bool) {
	mod := fyne.KeyModifierShortcutDefault
	if shift {
		mod |= fyne.KeyModifierShift
	}
	h.w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod})
	h.a.Wait()
}

// login logs in through the login screen.
func (h *harness) login(name string) {
	h.t.Helper()
	if h.a.Screen() != "login" {
		h.t.Fatalf("screen %q, want login", h.a.Screen())
	}
	s := h.loginScreen()
	s.name.SetText(name)
	test.Type(s.password, password)
	s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	if h.a.Session() == nil {
		h.t.Fatalf("login %s failed", name)
	}
}

// loginScreen finds the login form's widgets on the canvas.
func (h *harness) loginScreen() *loginScreen {
	entries := find[*widget.Entry](h.w.Canvas().Content())
	if len(entries) < 2 {
		h.t.Fatalf("login screen has %d entries", len(entries))
	}
	return &loginScreen{name: entries[0], password: entries[1]}
}

// find returns every object of type T under o, in tree order.
func find[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil {
			return
		}
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, k := range c.Objects {
				walk(k)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(c)
			for _, k := range r.Objects() {
				walk(k)
			}
		}
	}
	walk(o)
	return out
}

// button finds a visible button by its text under o (nil when none).
func button(o fyne.CanvasObject, text string) *widget.Button {
	for _, b := range find[*widget.Button](o) {
		if b.Text == text && b.Visible() {
			return b
		}
	}
	return nil
}

// labelsText joins every label's text under o, for contains checks.
func labelsText(o fyne.CanvasObject) string {
	s := ""
	for _, l := range find[*widget.Label](o) {
		s += l.Text + "\n"
	}
	return s
}

// overlayText joins the labels of the top overlay (dialogs).
func (h *harness) overlayText() string {
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return labelsText(top)
}

// enrollments returns the store's enrollments in a state.
func (h *harness) enrollments(state enroll.State) []store.Enrollment {
	es, err := h.store().Enrollments(context.Background(), h.session("sup2"), state)
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}
