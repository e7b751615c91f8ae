package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/formats/minutiae"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// smallFVCSet copies 3 fingers × 3 impressions (images and ISO templates) of
// an FVC2002 set into a temporary folder.
func smallFVCSet(t *testing.T, set string) string {
	t.Helper()
	src := shareddata.Require(t, "fvc2002", set)
	dst := t.TempDir()
	if err := os.Mkdir(filepath.Join(dst, "iso_secugen"), 0o755); err != nil {
		t.Fatal(err)
	}
	for f := 101; f <= 103; f++ {
		for i := 1; i <= 3; i++ {
			for _, name := range []string{fmt.Sprintf("%d_%d.tif", f, i), filepath.Join("iso_secugen", fmt.Sprintf("%d_%d.iso", f, i))} {
				b, err := os.ReadFile(filepath.Join(src, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return dst
}

func TestEvalFinger(t *testing.T) {
	dir := smallFVCSet(t, "DB1_B")
	tests := []struct {
		name string
		args []string
	}{
		{"images", []string{"eval", "finger", "--json", dir + ":500"}},
		{"iso", []string{"eval", "finger", "--json", "--iso", dir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, nil, "", tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			want := []string{"set", "images", "fte", "genuine", "impostors", "eer", "fmr100", "fmr1000", "zero_fmr", "extract_ms_median", "matches_per_s"}
			if len(m) != len(want) {
				t.Fatalf("keys %v, want exactly %v", m, want)
			}
			for _, k := range want {
				if _, ok := m[k]; !ok {
					t.Fatalf("key %q missing in %s", k, out)
				}
			}
			if m["images"] != 9.0 || m["genuine"] != 9.0 || m["impostors"] != 27.0 {
				t.Fatalf("counts in %s", out)
			}
			if eer := m["eer"].(float64); eer > 0.2 {
				t.Fatalf("EER %.3f on 3 clean fingers", eer)
			}
		})
	}
	code, out, _ := runCLI(t, nil, "", "eval", "finger", dir)
	if code != exitOK || !strings.Contains(out, "genuine rejected") || !strings.Contains(out, "quality gate") {
		t.Fatalf("table output (exit %d):\n%s", code, out)
	}
	if code, _, errs := runCLI(t, nil, "", "eval", "finger", t.TempDir()); code != exitUsage || !strings.Contains(errs, "no <finger>_<impression>") {
		t.Fatalf("empty folder: exit %d, %q", code, errs)
	}
	if code, _, _ := runCLI(t, nil, "", "eval", "finger"); code != exitUsage {
		t.Fatalf("no folder: exit %d", code)
	}
}

func TestISOUndoResample(t *testing.T) {
	tests := []struct {
		name             string
		w, h             uint16 // record size
		src              fingerImage
		setDPI, flagDPI  float64
		wantXRes, wantYR uint16
	}{
		{"DB2 296x560 at 569 dpi from 300x400", 300, 400, fingerImage{w: 296, h: 560}, 569, 500, 227, 160},
		{"DB3 300x300 at 500 dpi from 300x400", 300, 400, fingerImage{w: 300, h: 300}, 0, 500, 197, 262},
		{"resolution from the image's tag", 300, 400, fingerImage{w: 600, h: 800, dpi: 1000}, 0, 500, 197, 197},
		{"same size: left alone", 300, 400, fingerImage{w: 300, h: 400}, 569, 500, 11, 22},
		{"no size in the record: left alone", 0, 0, fingerImage{w: 300, h: 400}, 500, 500, 11, 22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &minutiae.Record{Width: tt.w, Height: tt.h, XRes: 11, YRes: 22}
			isoUndoResample(r, &tt.src, tt.setDPI, tt.flagDPI)
			if r.XRes != tt.wantXRes || r.YRes != tt.wantYR {
				t.Errorf("resolution %d×%d px/cm, want %d×%d", r.XRes, r.YRes, tt.wantXRes, tt.wantYR)
			}
		})
	}
}

// TestEvalFingerJitter: --jitter N adds one line per set averaging N
// cropped rounds, with the counts summed over the rounds.
func TestEvalFingerJitter(t *testing.T) {
	dir := smallFVCSet(t, "DB1_B")
	code, out, errs := runCLI(t, nil, "", "eval", "finger", "--json", "--jitter", "2", dir+":500")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want the set and its jitter line: %s", len(lines), out)
	}
	var base, jit fingerEvalJSON
	if err := json.Unmarshal([]byte(lines[0]), &base); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &jit); err != nil {
		t.Fatal(err)
	}
	if jit.Set != filepath.Base(dir)+"/jitter2" {
		t.Errorf("set %q", jit.Set)
	}
	if jit.Images != 2*base.Images || jit.Genuine != 2*base.Genuine || jit.Impostors != 2*base.Impostors {
		t.Errorf("counts %+v, want twice %+v", jit, base)
	}
	if jit.EER < 0 || jit.EER > 0.2 || jit.MatchesPerS <= 0 {
		t.Errorf("rates %+v", jit)
	}
}

func TestCropFingerImage(t *testing.T) {
	fi := &fingerImage{w: 3, h: 2, pix: []uint8{1, 2, 3, 4, 5, 6}, dpi: 500}
	tests := []struct {
		dx, dy int
		want   []uint8
		w, h   int
	}{
		{0, 0, []uint8{1, 2, 3, 4, 5, 6}, 3, 2},
		{1, 0, []uint8{2, 3, 5, 6}, 2, 2},
		{0, 1, []uint8{4, 5, 6}, 3, 1},
		{2, 1, []uint8{6}, 1, 1},
		{3, 0, []uint8{1, 2, 3, 4, 5, 6}, 3, 2}, // nothing would be left: unchanged
	}
	for _, tt := range tests {
		got := cropFingerImage(fi, tt.dx, tt.dy)
		if got.w != tt.w || got.h != tt.h || string(got.pix) != string(tt.want) || got.dpi != 500 {
			t.Errorf("crop %d,%d: %dx%d %v, want %dx%d %v", tt.dx, tt.dy, got.w, got.h, got.pix, tt.w, tt.h, tt.want)
		}
	}
}

func TestSplitDirDPI(t *testing.T) {
	tests := []struct {
		arg, dir string
		dpi      float64
	}{
		{"DB2_B:569", "DB2_B", 569},
		{"/data/fvc2002/DB1_B", "/data/fvc2002/DB1_B", 0},
		{"a:b/DB1_B", "a:b/DB1_B", 0}, // a colon that is not a resolution stays in the path
		{":500", ":500", 0},           // no folder before the colon
	}
	for _, tt := range tests {
		if dir, dpi := splitDirDPI(tt.arg); dir != tt.dir || dpi != tt.dpi {
			t.Errorf("splitDirDPI(%q) = %q, %v; want %q, %v", tt.arg, dir, dpi, tt.dir, tt.dpi)
		}
	}
}

func TestSetResolution(t *testing.T) {
	tests := []struct{ set, file, flag, want float64 }{
		{569, 500, 500, 569}, // the :DPI suffix wins
		{0, 1000, 500, 1000}, // else the file's tag
		{0, 0, 508, 508},     // else --dpi
	}
	for _, tt := range tests {
		if got := setResolution(tt.set, tt.file, tt.flag); got != tt.want {
			t.Errorf("setResolution(%v, %v, %v) = %v, want %v", tt.set, tt.file, tt.flag, got, tt.want)
		}
	}
}
