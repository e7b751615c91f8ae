package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rekam-ktp/rekam/biometric/face"
)

func init() {
	register(&command{path: "eval eyes", summary: "calibrate the eyes-open threshold on a folder of faces with hand-labelled closed eyes", run: runEvalEyes})
}

// faceEyesReport is the result of `rekamctl eval eyes`.
type faceEyesReport struct {
	Set      string `json:"set"`
	Images   int    `json:"images"`
	Detected int    `json:"detected"`
	Open     int    `json:"open"`
	Closed   int    `json:"closed"`
	Excluded int    `json:"excluded"`
	// NotFrontal counts faces left out because they failed the roll or yaw
	// check (with --frontal).
	NotFrontal int     `json:"not_frontal"`
	FalseAlarm float64 `json:"false_alarm_target"`
	// Threshold is the false-alarm quantile of the open eyes' openness.
	Threshold    float64 `json:"threshold"`
	ClosedCaught int     `json:"closed_caught"`
	// Default* judge the set with face.DefaultThresholds.
	DefaultThreshold    float64 `json:"default_threshold"`
	DefaultOpenFailed   int     `json:"default_open_failed"`
	DefaultClosedCaught int     `json:"default_closed_caught"`
}

func runEvalEyes(cx *context, args []string) int {
	fl, c := newFlags(cx, "eval eyes")
	labels := fl.String("labels", "", "file of `<image key> closed|exclude` lines; the key is the path under DIR without an image extension (e.g. s1/5)")
	fa := fl.Float64("false-alarm", 0.05, "share of open-eyed faces the threshold may flag")
	repeats := fl.Int("repeats", 3, "locate the eyes this many times per image and take the median openness (the pupil search is randomised)")
	frontal := fl.Bool("frontal", true, "count only faces that pass the roll and yaw checks: the station judges the eyes of captures that are otherwise compliant")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() != 1 || *labels == "" {
		return failf(cx, exitUsage, "eval eyes: want --labels FILE and one folder of face images")
	}
	if *repeats < 1 || *repeats > 25 {
		return failf(cx, exitUsage, "eval eyes: --repeats %d outside 1..25", *repeats)
	}
	if !(*fa > 0 && *fa < 1) {
		return failf(cx, exitUsage, "eval eyes: --false-alarm %v outside (0, 1)", *fa)
	}
	lab, err := faceEyeLabels(*labels)
	if err != nil {
		return failf(cx, exitUsage, "eval eyes: %v", err)
	}
	dir := fl.Arg(0)
	det, err := face.DefaultDetector()
	if err != nil {
		return failf(cx, exitUsage, "eval eyes: %v", err)
	}
	r := faceEyesReport{Set: filepath.Base(filepath.Clean(dir)), FalseAlarm: *fa, DefaultThreshold: face.DefaultThresholds.MinEyeOpen}
	var open, closed []float64
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		img, err := faceDecode(p)
		if err != nil {
			return nil // not an image
		}
		r.Images++
		rel, _ := filepath.Rel(dir, p)
		key := faceImageKey(filepath.ToSlash(rel))
		if lab[key] == "exclude" {
			r.Excluded++
			return nil
		}
		var vs []float64
		posed := 0
		for range *repeats {
			rep := face.Assess(img, det, face.DefaultThresholds)
			if rep.Face == nil {
				continue
			}
			if !faceFrontal(rep) {
				posed++
			}
			o := face.EyeOpenness(img, *rep.Face)
			vs = append(vs, math.Min(o[0], o[1]))
		}
		if len(vs) == 0 {
			return nil
		}
		r.Detected++
		if *frontal && 2*posed > len(vs) {
			r.NotFrontal++
			return nil
		}
		sort.Float64s(vs)
		v := vs[len(vs)/2]
		if lab[key] == "closed" {
			closed = append(closed, v)
		} else {
			open = append(open, v)
		}
		return nil
	})
	if err != nil {
		return failf(cx, exitUsage, "eval eyes: %v", err)
	}
	if len(open) == 0 {
		return failf(cx, exitUsage, "eval eyes: no open-eyed face found in %s", dir)
	}
	r.Open, r.Closed = len(open), len(closed)
	sort.Float64s(open)
	r.Threshold = open[int(*fa*float64(len(open)))]
	below := func(vs []float64, th float64) int {
		n := 0
		for _, v := range vs {
			if v < th {
				n++
			}
		}
		return n
	}
	r.ClosedCaught = below(closed, r.Threshold)
	r.DefaultOpenFailed = below(open, r.DefaultThreshold)
	r.DefaultClosedCaught = below(closed, r.DefaultThreshold)
	if c.jsonOut {
		if err := emitJSON(cx, r); err != nil {
			return failf(cx, exitUsage, "eval eyes: %v", err)
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "set %s: %d images (%d excluded), %d faces (%d not frontal): %d open-eyed, %d closed\n", r.Set, r.Images, r.Excluded, r.Detected, r.NotFrontal, r.Open, r.Closed)
	fmt.Fprintf(cx.stdout, "threshold at %.1f%% false alarms: %.3f (closed caught %d/%d)\n", 100*r.FalseAlarm, r.Threshold, r.ClosedCaught, r.Closed)
	fmt.Fprintf(cx.stdout, "default threshold %.3f: open failed %d/%d, closed caught %d/%d\n", r.DefaultThreshold, r.DefaultOpenFailed, r.Open, r.DefaultClosedCaught, r.Closed)
	return exitOK
}

// faceFrontal reports whether a report's roll and yaw checks passed.
func faceFrontal(rep face.Report) bool {
	for _, n := range []string{face.CheckRoll, face.CheckYaw} {
		if r, ok := rep.Get(n); !ok || !r.Pass {
			return false
		}
	}
	return true
}

// faceImageKey strips a known image extension from a relative path.
func faceImageKey(rel string) string {
	for _, ext := range []string{".pgm", ".png", ".jpg", ".jpeg", ".gif"} {
		if strings.HasSuffix(strings.ToLower(rel), ext) {
			return rel[:len(rel)-len(ext)]
		}
	}
	return rel
}

// faceEyeLabels reads `<key> closed|exclude` lines; blank lines and lines
// starting with # are skipped.
func faceEyeLabels(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	return parseFaceEyeLabels(path, b)
}

// parseFaceEyeLabels reads a label file's lines, `<key> closed|exclude`
// ('#' comments and blank lines skipped); path only names it in errors.
func parseFaceEyeLabels(path string, b []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || (f[1] != "closed" && f[1] != "exclude") {
			return nil, fmt.Errorf("labels: %s line %d: want `<key> closed|exclude`, got %q", path, n, line)
		}
		out[f[0]] = f[1]
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	return out, nil
}

// faceGray turns a decoded PGM into an image.
func faceGray(fi *fingerImage) image.Image {
	return &image.Gray{Pix: fi.pix, Stride: fi.w, Rect: image.Rect(0, 0, fi.w, fi.h)}
}
