package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

func init() {
	register(&command{path: "synth finger", summary: "write synthetic fingerprints (SFinGe-style) as PNGs in the FVC layout", run: runSynthFinger})
}

// synthFingerRecord is one line of truth.jsonl for a synthetic finger.
type synthFingerRecord struct {
	Number   int             `json:"number"`
	Identity uint64          `json:"identity"`
	Finger   int             `json:"finger"`
	Class    string          `json:"class"`
	Cores    []synth.Point   `json:"cores"`
	Deltas   []synth.Point   `json:"deltas"`
	Minutiae int             `json:"master_minutiae"`
	Poses    []synthPoseJSON `json:"poses"`
}

// synthPoseJSON is the rigid placement of the master in one impression.
type synthPoseJSON struct {
	File     string      `json:"file"`
	Rotation float64     `json:"rotation_rad"`
	Master   synth.Point `json:"master_centre"`
	Image    synth.Point `json:"image_centre"`
}

func runSynthFinger(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth finger")
	identity := fs.Uint64("identity", 1, "first identity seed")
	persons := fs.Int("identities", 1, "number of consecutive identities")
	fingers := fs.String("fingers", "1-10", "ISO finger positions: a list or ranges, e.g. 2 or 1-10 or 1,6")
	impressions := fs.Int("impressions", 8, "impressions per finger")
	first := fs.Int("first-number", 1, "number of the first finger in file names (FVC B sets use 101)")
	cond := fs.String("condition", "normal", "normal, wet, dry or low")
	width := fs.Int("width", synth.DefaultFingerWidth, "image width in pixels (500 dpi)")
	height := fs.Int("height", synth.DefaultFingerHeight, "image height in pixels (500 dpi)")
	out := fs.String("out", "", "output folder (created if missing)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *out == "" || fs.NArg() > 0 {
		return failf(cx, exitUsage, "synth finger: need --out DIR and no positional arguments")
	}
	list, err := synthParseFingers(*fingers)
	if err != nil {
		return failf(cx, exitUsage, "synth finger: --fingers: %v", err)
	}
	condition, err := synthParseCondition(*cond)
	if err != nil {
		return failf(cx, exitUsage, "synth finger: %v", err)
	}
	if *impressions < 1 || *persons < 1 || *width < 16 || *height < 16 || *width > 4096 || *height > 4096 {
		return failf(cx, exitUsage, "synth finger: --impressions and --identities must be ≥ 1, sizes 16–4096")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return failf(cx, exitUsage, "synth finger: create output folder: %v", err)
	}
	opts := synth.FingerOptions{Condition: condition, Width: *width, Height: *height}
	var truth []byte
	number := *first
	files := 0
	for p := 0; p < *persons; p++ {
		id := *identity + uint64(p)
		for _, f := range list {
			t := synth.FingerTruth(id, f)
			rec := synthFingerRecord{Number: number, Identity: id, Finger: f, Class: t.Class.String(),
				Cores: t.Cores, Deltas: t.Deltas, Minutiae: len(t.Minutiae)}
			for i := 1; i <= *impressions; i++ {
				name := fmt.Sprintf("%d_%d.png", number, i)
				if err := synthWritePNG(filepath.Join(*out, name), synth.Finger(id, f, i-1, opts)); err != nil {
					return failf(cx, exitUsage, "synth finger: %v", err)
				}
				pose := synth.FingerImpressionPose(id, f, i-1, opts)
				rec.Poses = append(rec.Poses, synthPoseJSON{File: name, Rotation: pose.Rotation, Master: pose.MasterCentre, Image: pose.ImageCentre})
				files++
			}
			line, err := json.Marshal(rec)
			if err != nil {
				return failf(cx, exitUsage, "synth finger: encode truth: %v", err)
			}
			truth = append(append(truth, line...), '\n')
			number++
		}
	}
	if err := os.WriteFile(filepath.Join(*out, "truth.jsonl"), truth, 0o644); err != nil {
		return failf(cx, exitUsage, "synth finger: write truth: %v", err)
	}
	if c.jsonOut {
		if err := emitJSON(cx, map[string]any{"out": *out, "fingers": number - *first, "images": files}); err != nil {
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "wrote %d images of %d fingers to %s\n", files, number-*first, *out)
	return exitOK
}

// synthParseFingers parses "2", "1-10", "1,6" or "1-5,7" into finger positions.
func synthParseFingers(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("bad finger %q", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("bad finger range %q", part)
			}
		}
		if a < 1 || b > 10 || a > b {
			return nil, fmt.Errorf("finger positions must be 1–10, got %q", part)
		}
		for f := a; f <= b; f++ {
			out = append(out, f)
		}
	}
	return out, nil
}

// synthParseCondition maps a --condition value to a synth.Condition.
func synthParseCondition(s string) (synth.Condition, error) {
	switch s {
	case "normal":
		return synth.Normal, nil
	case "wet":
		return synth.Wet, nil
	case "dry":
		return synth.Dry, nil
	case "low", "low-quality":
		return synth.LowQuality, nil
	}
	return 0, fmt.Errorf("unknown --condition %q (normal, wet, dry, low)", s)
}

// synthWritePNG writes img to path through a temporary file and a rename.
func synthWritePNG(path string, img image.Image) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename to %s: %w", path, err)
	}
	return nil
}
