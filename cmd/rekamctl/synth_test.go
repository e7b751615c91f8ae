package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSynthFingerWritesFVCLayout(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, nil, "", "synth", "finger", "--identity", "7", "--fingers", "2-3", "--impressions", "2",
		"--width", "120", "--height", "140", "--out", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"images":4`) {
		t.Errorf("stdout %q", out)
	}
	for _, name := range []string{"1_1.png", "1_2.png", "2_1.png", "2_2.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 120 || b.Dy() != 140 {
			t.Errorf("%s: size %v", name, b)
		}
	}
	truth, err := os.ReadFile(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(truth), "\n"); n != 2 || !strings.Contains(string(truth), `"finger":3`) {
		t.Errorf("truth.jsonl: %q", truth)
	}
}

func TestSynthFingerUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no out", []string{"synth", "finger"}, "need --out"},
		{"bad finger", []string{"synth", "finger", "--out", "x", "--fingers", "11"}, "1–10"},
		{"bad range", []string{"synth", "finger", "--out", "x", "--fingers", "3-a"}, "bad finger range"},
		{"bad condition", []string{"synth", "finger", "--out", "x", "--condition", "oily"}, "unknown --condition"},
		{"zero impressions", []string{"synth", "finger", "--out", "x", "--impressions", "0"}, "must be ≥ 1"},
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
