package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// checkPNG decodes dir/name and checks its size.
func checkPNG(t *testing.T, dir, name string, w, h int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: size %v, want %dx%d", name, b, w, h)
	}
}

// truthLines reads truth.jsonl and returns its lines.
func truthLines(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestSynthFingerWritesFVCLayout(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, nil, "", "synth", "finger", "--identity", "7", "--fingers", "2-3", "--impressions", "2",
		"--width", "120", "--height", "140", "--out", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"files":4`) {
		t.Errorf("stdout %q", out)
	}
	for _, name := range []string{"1_1.png", "1_2.png", "2_1.png", "2_2.png"} {
		checkPNG(t, dir, name, 120, 140)
	}
	if lines := truthLines(t, dir); len(lines) != 2 || !strings.Contains(lines[1], `"finger":3`) || !strings.Contains(lines[0], `"kind":"`) {
		t.Errorf("truth.jsonl: %q", lines)
	}
}

func TestSynthFingerMixedConditions(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCLI(t, nil, "", "synth", "finger", "--identity", "7", "--fingers", "1", "--impressions", "30",
		"--width", "64", "--height", "64", "--condition", "mixed", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	truth := truthLines(t, dir)[0]
	normal := strings.Count(truth, `"condition":"normal"`)
	if normal < 12 || normal == 30 || strings.Count(truth, `"condition":`) != 30 {
		t.Errorf("mixed set of 30: %d normal impressions", normal)
	}
}

func TestSynthIrisFaceSignature(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"synth", "iris", "--identity", "3", "--impressions", "2", "--defocus", "1", "--out", filepath.Join(dir, "iris")},
		{"synth", "face", "--identity", "3", "--background", "#C81E1E", "--hijab", "--out", filepath.Join(dir, "face")},
		{"synth", "slap", "--identity", "3", "--slaps", "TH", "--missing", "1", "--out", filepath.Join(dir, "slap")},
		{"synth", "signature", "--identity", "3", "--impressions", "2", "--forgeries", "1", "--out", filepath.Join(dir, "sig")},
	} {
		if code, _, errs := runCLI(t, nil, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	checkPNG(t, filepath.Join(dir, "iris"), "3_L_2.png", 320, 280)
	checkPNG(t, filepath.Join(dir, "face"), "3_1.png", 480, 640)
	checkPNG(t, filepath.Join(dir, "slap"), "3_TH_1.png", 1600, 1500)
	if slap := truthLines(t, filepath.Join(dir, "slap")); strings.Count(slap[0], `"finger":`) != 1 {
		t.Errorf("thumbs with the right thumb missing should list one finger: %s", slap[0])
	}
	if n := len(truthLines(t, filepath.Join(dir, "iris"))); n != 4 {
		t.Errorf("iris truth has %d lines, want 4", n)
	}
	// SVC2004 layout: a count line, then that many 7-column rows.
	b, err := os.ReadFile(filepath.Join(dir, "sig", "U1S3.TXT"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	n, err := strconv.Atoi(lines[0])
	if err != nil || n != len(lines)-1 || n < 100 {
		t.Fatalf("U1S3.TXT: count line %q for %d rows", lines[0], len(lines)-1)
	}
	if f := strings.Fields(lines[1]); len(f) != 7 {
		t.Errorf("row %q: want 7 columns", lines[1])
	}
	if truth := truthLines(t, filepath.Join(dir, "sig")); !strings.Contains(truth[2], `"genuine":false`) {
		t.Errorf("third signature should be a forgery: %s", truth[2])
	}
}

func TestSynthUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no out", []string{"synth", "finger"}, "need --out"},
		{"bad finger", []string{"synth", "finger", "--out", "x", "--fingers", "11"}, "1–10"},
		{"bad range", []string{"synth", "finger", "--out", "x", "--fingers", "3-a"}, "bad finger range"},
		{"bad condition", []string{"synth", "finger", "--out", "x", "--condition", "oily"}, "unknown --condition"},
		{"zero impressions", []string{"synth", "iris", "--out", "x", "--impressions", "0"}, "--impressions must be 1–10000"},
		{"small iris canvas", []string{"synth", "iris", "--out", "x", "--width", "100"}, "240–4096"},
		{"bad colour", []string{"synth", "face", "--out", "x", "--background", "red"}, "want RRGGBB"},
		{"negative forgeries", []string{"synth", "signature", "--out", "x", "--forgeries", "-1"}, "--forgeries"},
		{"bad slap", []string{"synth", "slap", "--out", "x", "--slaps", "R5"}, "unknown slap"},
		{"bad missing", []string{"synth", "slap", "--out", "x", "--missing", "12"}, "--missing"},
		{"stray argument", []string{"synth", "face", "--out", "x", "extra"}, "no positional"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, nil, "", tt.args...)
			if code != exitUsage || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tt.err)
			}
		})
	}
}

func FuzzSynthParseFingers(f *testing.F) {
	for _, s := range []string{"1-10", "2", "1,6", "1-5,7", "", "-", "3-", "10-1", "0", "99999999999999999999", " 4 , 5-6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := synthParseFingers(s)
		if err != nil {
			return
		}
		if len(list) == 0 || len(list) > 10*(strings.Count(s, ",")+1) {
			t.Fatalf("%q → %v", s, list)
		}
		for _, v := range list {
			if v < 1 || v > 10 {
				t.Fatalf("%q → finger %d out of range", s, v)
			}
		}
	})
}
