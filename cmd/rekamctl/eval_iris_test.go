package main

import (
	"encoding/json"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// writeEye draws a simple NIR-like eye: dark pupil, an iris whose texture
// is fixed by seed and turned by rotDeg, bright sclera.
func writeEye(t *testing.T, path string, seed uint64, rotDeg float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	type wave struct{ n, ph, rho, amp float64 }
	var ws []wave
	for i := 0; i < 40; i++ {
		ws = append(ws, wave{float64(4 + r.IntN(30)), r.Float64() * 6.28, r.Float64(), 0.5 + r.Float64()})
	}
	img := image.NewGray(image.Rect(0, 0, 320, 280))
	const cx, cy, rp, ri = 160.0, 140.0, 34.0, 95.0
	for y := 0; y < 280; y++ {
		for x := 0; x < 320; x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			th := math.Atan2(float64(y)-cy, float64(x)-cx) - rotDeg*math.Pi/180
			v := 190.0
			switch {
			case d < rp:
				v = 30
			case d < ri:
				rho := (d - rp) / (ri - rp)
				v = 110
				for _, w := range ws {
					v += 10 * w.amp * math.Cos(w.n*th+w.ph) * math.Exp(-(rho-w.rho)*(rho-w.rho)/0.02)
				}
			}
			img.Pix[y*img.Stride+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestEvalIrisJSON(t *testing.T) {
	dir := t.TempDir()
	writeEye(t, filepath.Join(dir, "1", "a.png"), 1, 0)
	writeEye(t, filepath.Join(dir, "1", "b.png"), 1, 4)
	writeEye(t, filepath.Join(dir, "2", "a.png"), 2, 0)
	writeEye(t, filepath.Join(dir, "2", "b.png"), 2, -3)
	if err := os.WriteFile(filepath.Join(dir, "1", "notes.txt"), []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, nil, "", "eval", "iris", "--json", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "dprime eer enroll_ms_median fnmr_at_fmr1e3 fnmr_at_fmr1e4 fte genuine images impostors matches_per_s set"
	if got := strings.Join(keys, " "); got != want {
		t.Fatalf("keys %q, want %q", got, want)
	}
	if m["images"] != 4.0 || m["genuine"] != 2.0 || m["impostors"] != 4.0 || m["fte"] != 0.0 {
		t.Errorf("counts: %v", m)
	}
	// Two clearly different synthetic eyes separate perfectly.
	if m["eer"] != 0.0 || m["fnmr_at_fmr1e3"] != 0.0 {
		t.Errorf("error rates: %v", m)
	}
	if m["matches_per_s"].(float64) <= 0 || m["enroll_ms_median"].(float64) <= 0 {
		t.Errorf("timings: %v", m)
	}
}

func TestEvalIrisEyeDepth(t *testing.T) {
	dir := t.TempDir()
	writeEye(t, filepath.Join(dir, "7", "left", "a.png"), 3, 0)
	writeEye(t, filepath.Join(dir, "7", "left", "b.png"), 3, 2)
	writeEye(t, filepath.Join(dir, "7", "right", "a.png"), 4, 0)
	tests := []struct {
		depth         string
		gen, impostor float64
	}{
		{"1", 3, 0}, // all three under eye "7"
		{"2", 1, 2}, // 7/left and 7/right
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, nil, "", "eval", "iris", "--json", "--eye-depth", tt.depth, dir)
		if code != exitOK {
			t.Fatalf("depth %s: exit %d: %s", tt.depth, code, errs)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if m["genuine"] != tt.gen || m["impostors"] != tt.impostor {
			t.Errorf("depth %s: genuine %v impostors %v, want %v %v", tt.depth, m["genuine"], m["impostors"], tt.gen, tt.impostor)
		}
	}
}

func TestEvalIrisUsage(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no dir", []string{"eval", "iris"}, "usage"},
		{"bad depth", []string{"eval", "iris", "--eye-depth", "0", empty}, "usage"},
		{"no images", []string{"eval", "iris", empty}, "no images"},
		{"missing dir", []string{"eval", "iris", filepath.Join(empty, "nope")}, "walk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, nil, "", tt.args...)
			if code != exitUsage || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d stderr %q, want %d and %q", code, errs, exitUsage, tt.err)
			}
		})
	}
}
