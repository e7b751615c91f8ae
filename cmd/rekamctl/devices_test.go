package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/simulators/simset"
)

func TestDevicesListSim(t *testing.T) {
	code, out, errs := runCLI(t, nil, "", "devices", "list", "--sim", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"face0", "fp0", "fp1", "iris0", "pad0", "pad1", "usbfp0", "usbfp1"} {
		if !strings.Contains(out, `"name":"`+name+`"`) {
			t.Errorf("%s missing from %s", name, out)
		}
	}
}

func TestDevicesCaptureSim(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cap.png")
	code, stdout, errs := runCLI(t, nil, "", "devices", "capture", "--sim", "--json", "--out", out, "--min-quality", "60", "--sign-for", "300ms")
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, stdout, errs)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d results: %s", len(lines), stdout)
	}
	for _, l := range lines {
		var r struct {
			Name    string `json:"name"`
			Quality int    `json:"quality"`
			Image   string `json:"image"`
			Error   string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Error != "" || r.Image == "" {
			t.Fatalf("result %q: %v", l, err)
		}
		f, err := os.Open(r.Image)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Fatalf("%s: bad PNG %v", r.Name, err)
		}
		if !strings.HasPrefix(r.Name, "pad") && r.Quality < 60 {
			t.Fatalf("%s quality %d", r.Name, r.Quality)
		}
	}
}

// TestDevicesPortAgainstPTY drives a simulated module through --port and
// --driver exactly as a /dev/ttyUSB0 module: info, selftest, a capture with
// a scripted wet finger (negative result, exit 1) and a good one.
func TestDevicesPortAgainstPTY(t *testing.T) {
	set, err := simset.Start(simset.Options{Serial: true, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	fp0, _ := set.Get("fp0")
	port := []string{"--port", fp0.Path(), "--driver", "r503"}
	if code, out, errs := runCLI(t, nil, "", append([]string{"devices", "info"}, port...)...); code != exitOK || !strings.Contains(out, "R503") {
		t.Fatalf("info exit %d: %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, nil, "", append([]string{"devices", "info", "--baud", "9600"}, port...)...); code != exitNegative {
		t.Fatalf("info at the wrong baud rate: exit %d: %s", code, out)
	}
	if code, out, errs := runCLI(t, nil, "", append([]string{"devices", "selftest"}, port...)...); code != exitOK || !strings.Contains(out, "sensor") {
		t.Fatalf("selftest exit %d: %s %s", code, out, errs)
	}
	fp0.Faults().Inject("wet", 1)
	png := filepath.Join(t.TempDir(), "f.png")
	code, out, _ := runCLI(t, nil, "", append([]string{"devices", "capture", "--json", "--min-quality", "60", "--out", png}, port...)...)
	if code != exitNegative || !strings.Contains(out, `"error_kind":"poor image quality"`) {
		t.Fatalf("wet capture exit %d: %s", code, out)
	}
	code, out, _ = runCLI(t, nil, "", append([]string{"devices", "capture", "--min-quality", "60", "--out", png}, port...)...)
	if code != exitOK || !strings.Contains(out, "wrote") {
		t.Fatalf("capture exit %d: %s", code, out)
	}
	if code, _, errs := runCLI(t, nil, "", "devices", "info", "--port", fp0.Path()); code != exitUsage || !strings.Contains(errs, "--driver") {
		t.Fatalf("missing driver: %d %s", code, errs)
	}
}

func TestDevicesWatchSim(t *testing.T) {
	code, out, errs := runCLI(t, nil, "", "devices", "watch", "--sim", "--json", "--for", "300ms", "--interval", "50ms")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := strings.Count(out, `"type":"attached"`); n != 8 {
		t.Fatalf("%d attach events, want the 8 simulated devices: %s", n, out)
	}
	if strings.Contains(out, "detached") {
		t.Fatalf("spurious detach: %s", out)
	}
}
