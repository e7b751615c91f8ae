package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func TestEvalFaceCLI(t *testing.T) {
	src := shareddata.Require(t, "faces", "yale")
	dir := t.TempDir()
	for _, n := range []string{"subject01.normal", "subject01.leftlight", "subject01.sleepy", "subject02.surprised",
		"subject02.sleepy", "subject02.normal", "subject03.sleepy", "subject03.happy", "subject04.sleepy", "subject04.normal"} {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, nil, "", "eval", "face", "--json", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Set      string                    `json:"set"`
		Images   int                       `json:"images"`
		Detected int                       `json:"detected"`
		Checks   map[string]map[string]int `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if r.Images != 10 || r.Detected != 10 {
		t.Fatalf("images %d detected %d", r.Images, r.Detected)
	}
	il := r.Checks["illumination"]
	if il["true_fail"] != 1 || il["true_pass"] != 9 {
		t.Fatalf("illumination counts %v", il)
	}
	if m := r.Checks["mouth_closed"]; m["true_fail"]+m["false_pass"] != 1 {
		t.Fatalf("mouth_closed counts %v (surprised is labelled fail)", m)
	}
	// the built-in openness measure judges every labelled image (its rates
	// are measured by the evaluation of the full set)
	if e := r.Checks["eyes_open"]; e["true_pass"]+e["false_fail"] != 4 || e["true_fail"]+e["false_pass"] != 4 {
		t.Fatalf("eyes_open counts %v", e)
	}
	// so do leave-one-subject-out eye models (three training subjects each)
	code, out, errs = runCLI(t, nil, "", "eval", "face", "--json", "--loso", dir)
	if code != exitOK {
		t.Fatalf("--loso: exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if e := r.Checks["eyes_open"]; e["true_pass"]+e["false_fail"] != 4 || e["true_fail"]+e["false_pass"] != 4 {
		t.Fatalf("--loso eyes_open counts %v", e)
	}
	model := filepath.Join(t.TempDir(), "eyes.json")
	if code, _, errs := runCLI(t, nil, "", "eval", "face", "--save-eye-model", model, dir); code != exitOK {
		t.Fatalf("save model: exit %d: %s", code, errs)
	}
	if code, out, errs := runCLI(t, nil, "", "eval", "face", "--eye-model", model, dir); code != exitOK || !strings.Contains(out, "eyes_open") {
		t.Fatalf("load model: exit %d: %s %s", code, out, errs)
	}
	if code, _, _ := runCLI(t, nil, "", "eval", "face", t.TempDir()); code != exitUsage {
		t.Fatalf("empty folder: exit %d", code)
	}
}

func TestEvalEyesCLI(t *testing.T) {
	src := shareddata.Require(t, "faces", "yale")
	dir := t.TempDir()
	for _, n := range []string{"subject01.normal", "subject02.normal", "subject03.normal", "subject01.sleepy", "subject02.sleepy", "subject03.glasses"} {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	labels := filepath.Join(t.TempDir(), "labels.txt")
	if err := os.WriteFile(labels, []byte("# test labels\nsubject01.sleepy closed\nsubject02.sleepy closed\n\nsubject03.glasses exclude\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, frontal := range []string{"--frontal=false", "--frontal=true"} {
		code, out, errs := runCLI(t, nil, "", "eval", "eyes", "--json", "--repeats", "1", frontal, "--labels", labels, dir)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", frontal, code, errs)
		}
		var r faceEyesReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		if r.Images != 6 || r.Excluded != 1 || r.Detected != 5 || r.Open+r.Closed+r.NotFrontal != 5 || r.DefaultThreshold <= 0 {
			t.Fatalf("%s: report %+v", frontal, r)
		}
		if frontal == "--frontal=false" && (r.Open != 3 || r.Closed != 2 || r.NotFrontal != 0) {
			t.Fatalf("%s: report %+v", frontal, r)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("subject01.sleepy shut\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"no labels", []string{"eval", "eyes", dir}},
		{"bad label", []string{"eval", "eyes", "--labels", bad, dir}},
		{"false alarm out of range", []string{"eval", "eyes", "--labels", labels, "--false-alarm", "1.5", dir}},
		{"no open eyes", []string{"eval", "eyes", "--labels", labels, t.TempDir()}},
	}
	for _, tt := range tests {
		if code, _, _ := runCLI(t, nil, "", tt.args...); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", tt.name, code, exitUsage)
		}
	}
}

// FuzzFaceEyeLabels: the eye label parser never panics, and what it
// accepts is only "closed" or "exclude" under a key without spaces.
func FuzzFaceEyeLabels(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "orl_eye_labels.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("# comment\n\ns1/1 closed\ns1/2 exclude\n"))
	f.Add([]byte("s1/1 open\n"))
	f.Add([]byte("s1/1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		labels, err := parseFaceEyeLabels("fuzz", b)
		if err != nil {
			return
		}
		for k, v := range labels {
			if k == "" || strings.ContainsAny(k, " \t\n") || (v != "closed" && v != "exclude") {
				t.Fatalf("accepted %q → %q", k, v)
			}
		}
	})
}
