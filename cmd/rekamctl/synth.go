package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

func init() {
	register(&command{path: "synth finger", summary: "write synthetic fingerprints (SFinGe-style) as PNGs in the FVC layout", run: runSynthFinger})
	register(&command{path: "synth slap", summary: "write synthetic slap captures (four fingers or thumbs) as PNGs with finger layout", run: runSynthSlap})
	register(&command{path: "synth iris", summary: "write synthetic NIR iris images (320×280 PNG) with geometry truth", run: runSynthIris})
	register(&command{path: "synth face", summary: "write synthetic frontal face images (PNG) with landmark truth", run: runSynthFace})
	register(&command{path: "synth signature", summary: "write synthetic on-line signatures in the SVC2004 text layout", run: runSynthSignature})
}

// synthSet holds the flags every synth command shares and collects the
// ground truth, one JSON object per line, for truth.jsonl.
type synthSet struct {
	what        string
	identity    *uint64
	persons     *int
	impressions *int
	out         *string
	truth       []byte
	files       int
}

// newSynthSet defines the shared flags: --identity, --identities,
// --impressions and --out.
func newSynthSet(fs *flag.FlagSet, what string, impressions int) *synthSet {
	return &synthSet{
		what:        what,
		identity:    fs.Uint64("identity", 1, "first identity seed"),
		persons:     fs.Int("identities", 1, "number of consecutive identities"),
		impressions: fs.Int("impressions", impressions, "impressions (renditions) per finger, eye, face or writer"),
		out:         fs.String("out", "", "output folder (created if missing)"),
	}
}

// check validates the shared flags and creates the output folder.
func (s *synthSet) check(fs *flag.FlagSet) error {
	if *s.out == "" || fs.NArg() > 0 {
		return fmt.Errorf("need --out DIR and no positional arguments")
	}
	if *s.impressions < 1 || *s.persons < 1 || *s.impressions > 10000 || *s.persons > 100000 {
		return fmt.Errorf("--impressions must be 1–10000 and --identities 1–100000")
	}
	if err := os.MkdirAll(*s.out, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	return nil
}

// ids returns the identities to generate.
func (s *synthSet) ids() []uint64 {
	out := make([]uint64, *s.persons)
	for i := range out {
		out[i] = *s.identity + uint64(i)
	}
	return out
}

// addTruth appends one truth record.
func (s *synthSet) addTruth(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode truth: %w", err)
	}
	s.truth = append(append(s.truth, line...), '\n')
	return nil
}

// writePNG writes one image into the output folder.
func (s *synthSet) writePNG(name string, img image.Image) error {
	s.files++
	return synthWriteFile(filepath.Join(*s.out, name), func(f *os.File) error { return png.Encode(f, img) })
}

// finish writes truth.jsonl and the summary; it returns the exit code.
func (s *synthSet) finish(cx *context, jsonOut bool) int {
	err := synthWriteFile(filepath.Join(*s.out, "truth.jsonl"), func(f *os.File) error {
		_, err := f.Write(s.truth)
		return err
	})
	if err != nil {
		return failf(cx, exitUsage, "synth %s: write truth: %v", s.what, err)
	}
	if jsonOut {
		if err := emitJSON(cx, map[string]any{"kind": s.what, "out": *s.out, "files": s.files}); err != nil {
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "wrote %d %s files to %s\n", s.files, s.what, *s.out)
	return exitOK
}

// synthFingerRecord is one line of truth.jsonl for a synthetic finger:
// the master's truth and, per impression file, what is visible in it.
type synthFingerRecord struct {
	Number      int                     `json:"number"`
	Master      synth.MasterTruth       `json:"master"`
	Impressions []synthImpressionRecord `json:"impressions"`
}

// synthImpressionRecord is the truth of one impression file.
type synthImpressionRecord struct {
	File      string          `json:"file"`
	Condition synth.Condition `json:"condition"`
	synth.ImpressionTruth
}

// runSynthFinger writes <number>_<impression>.png (impressions from 1)
// where number runs over (identity, finger) pairs from --first-number: with
// one identity and --fingers 1-10 the number is the ISO finger position.
func runSynthFinger(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth finger")
	set := newSynthSet(fs, "finger", 8)
	fingers := fs.String("fingers", "1-10", "ISO finger positions: a list or ranges, e.g. 2 or 1-10 or 1,6")
	first := fs.Int("first-number", 1, "number of the first finger in file names (FVC B sets use 101)")
	cond := fs.String("condition", "normal", "normal, wet, dry, low, or mixed (70 % normal, 10 % each of the others)")
	width := fs.Int("width", synth.DefaultFingerWidth, "image width in pixels (500 dpi)")
	height := fs.Int("height", synth.DefaultFingerHeight, "image height in pixels (500 dpi)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	list, err := synthParseFingers(*fingers)
	if err != nil {
		return failf(cx, exitUsage, "synth finger: --fingers: %v", err)
	}
	mixed := *cond == "mixed"
	condition, err := synthParseCondition(*cond)
	if err != nil && !mixed {
		return failf(cx, exitUsage, "synth finger: %v", err)
	}
	if *width < 16 || *height < 16 || *width > 4096 || *height > 4096 {
		return failf(cx, exitUsage, "synth finger: --width and --height must be 16–4096")
	}
	if err := set.check(fs); err != nil {
		return failf(cx, exitUsage, "synth finger: %v", err)
	}
	opts := synth.FingerOptions{Condition: condition, Width: *width, Height: *height}
	number := *first
	for _, id := range set.ids() {
		for _, f := range list {
			rec := synthFingerRecord{Number: number, Master: synth.FingerTruth(id, f)}
			for i := 1; i <= *set.impressions; i++ {
				name := fmt.Sprintf("%d_%d.png", number, i)
				if mixed {
					opts.Condition = synthMixedCondition(id, f, i-1)
				}
				if err := set.writePNG(name, synth.Finger(id, f, i-1, opts)); err != nil {
					return failf(cx, exitUsage, "synth finger: %v", err)
				}
				rec.Impressions = append(rec.Impressions, synthImpressionRecord{
					File: name, Condition: opts.Condition, ImpressionTruth: synth.FingerImpressionTruth(id, f, i-1, opts)})
			}
			if err := set.addTruth(rec); err != nil {
				return failf(cx, exitUsage, "synth finger: %v", err)
			}
			number++
		}
	}
	return set.finish(cx, c.jsonOut)
}

// synthSlapNames maps the --slaps names to slap kinds.
var synthSlapNames = map[string]synth.Slap{"R4": synth.RightFour, "L4": synth.LeftFour, "TH": synth.Thumbs}

// runSynthSlap writes <identity>_<R4|L4|TH>_<impression>.png (impressions from 1).
func runSynthSlap(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth slap")
	set := newSynthSet(fs, "slap", 1)
	slaps := fs.String("slaps", "R4,L4,TH", "slaps to write: R4 (right four), L4 (left four), TH (thumbs)")
	missing := fs.String("missing", "", "ISO finger positions to leave out, e.g. 4 or 2,9")
	cond := fs.String("condition", "normal", "normal, wet, dry or low")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	condition, err := synthParseCondition(*cond)
	if err != nil {
		return failf(cx, exitUsage, "synth slap: %v", err)
	}
	opts := synth.SlapOptions{Condition: condition}
	if *missing != "" {
		if opts.Missing, err = synthParseFingers(*missing); err != nil {
			return failf(cx, exitUsage, "synth slap: --missing: %v", err)
		}
	}
	var kinds []string
	for _, k := range strings.Split(*slaps, ",") {
		if _, ok := synthSlapNames[k]; !ok {
			return failf(cx, exitUsage, "synth slap: unknown slap %q (R4, L4, TH)", k)
		}
		kinds = append(kinds, k)
	}
	if err := set.check(fs); err != nil {
		return failf(cx, exitUsage, "synth slap: %v", err)
	}
	for _, id := range set.ids() {
		for _, k := range kinds {
			for i := 1; i <= *set.impressions; i++ {
				name := fmt.Sprintf("%d_%s_%d.png", id, k, i)
				if err := set.writePNG(name, synth.SlapImage(id, synthSlapNames[k], i-1, opts)); err != nil {
					return failf(cx, exitUsage, "synth slap: %v", err)
				}
				rec := struct {
					File     string             `json:"file"`
					Identity uint64             `json:"identity"`
					Fingers  []synth.SlapFinger `json:"fingers"`
				}{name, id, synth.SlapLayout(id, synthSlapNames[k], i-1, opts)}
				if err := set.addTruth(rec); err != nil {
					return failf(cx, exitUsage, "synth slap: %v", err)
				}
			}
		}
	}
	return set.finish(cx, c.jsonOut)
}

// runSynthIris writes <identity>_<R|L>_<impression>.png (impressions from 1).
// The file name marks the subject's eye: R is eye 0, L eye 1.
func runSynthIris(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth iris")
	set := newSynthSet(fs, "iris", 7)
	defocus := fs.Int("defocus", 0, "blur: 0 sharp … 4 badly out of focus")
	closure := fs.Float64("lid-closure", 0, "extra upper-eyelid closure, 0 … 1 (about half the iris covered)")
	noHighlight := fs.Bool("no-highlight", false, "leave out the specular reflection in the pupil")
	width := fs.Int("width", synth.IrisWidth, "canvas width (640 for VGA); the eye keeps its size")
	height := fs.Int("height", synth.IrisHeight, "canvas height (480 for VGA)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *width < 240 || *height < 240 || *width > 4096 || *height > 4096 {
		return failf(cx, exitUsage, "synth iris: --width and --height must be 240–4096")
	}
	opts := synth.IrisOptions{Defocus: *defocus, LidClosure: *closure, NoHighlight: *noHighlight, Width: *width, Height: *height}
	if err := set.check(fs); err != nil {
		return failf(cx, exitUsage, "synth iris: %v", err)
	}
	for _, id := range set.ids() {
		for eye, tag := range []string{"R", "L"} {
			for i := 1; i <= *set.impressions; i++ {
				name := fmt.Sprintf("%d_%s_%d.png", id, tag, i)
				img, geom := synth.IrisWith(id, eye, i-1, opts)
				if err := set.writePNG(name, img); err != nil {
					return failf(cx, exitUsage, "synth iris: %v", err)
				}
				rec := struct {
					File     string `json:"file"`
					Identity uint64 `json:"identity"`
					Eye      string `json:"eye"`
					synth.IrisGeometry
				}{name, id, tag, geom}
				if err := set.addTruth(rec); err != nil {
					return failf(cx, exitUsage, "synth iris: %v", err)
				}
			}
		}
	}
	return set.finish(cx, c.jsonOut)
}

// runSynthFace writes <identity>_<impression>.png (impressions from 1).
func runSynthFace(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth face")
	set := newSynthSet(fs, "face", 1)
	bg := fs.String("background", "", "background colour as RRGGBB (KTP-el: red or blue), default light grey")
	closed := fs.Bool("eyes-closed", false, "draw closed eyes")
	yaw := fs.Float64("yaw", 0, "head turn in radians")
	light := fs.Float64("side-light", 0, "light direction: 0 frontal, -1 left … 1 right")
	hijab := fs.Bool("hijab", false, "head scarf covering hair, ears and neck")
	glasses := fs.Bool("glasses", false, "spectacle frames")
	glare := fs.Bool("glare", false, "spectacles with reflections on the lenses")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	opts := synth.FaceOptions{EyesClosed: *closed, Yaw: *yaw, SideLight: *light, Hijab: *hijab, Glasses: *glasses, Glare: *glare}
	if *bg != "" {
		v, err := strconv.ParseUint(strings.TrimPrefix(*bg, "#"), 16, 32)
		if err != nil || len(strings.TrimPrefix(*bg, "#")) != 6 {
			return failf(cx, exitUsage, "synth face: --background %q: want RRGGBB", *bg)
		}
		opts.Background = color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
	}
	if err := set.check(fs); err != nil {
		return failf(cx, exitUsage, "synth face: %v", err)
	}
	for _, id := range set.ids() {
		for i := 1; i <= *set.impressions; i++ {
			name := fmt.Sprintf("%d_%d.png", id, i)
			if err := set.writePNG(name, synth.FaceVariant(id, i-1, opts)); err != nil {
				return failf(cx, exitUsage, "synth face: %v", err)
			}
			rec := struct {
				File     string `json:"file"`
				Identity uint64 `json:"identity"`
				synth.FaceTruth
			}{name, id, synth.FaceLandmarks(id, i-1, opts)}
			if err := set.addTruth(rec); err != nil {
				return failf(cx, exitUsage, "synth face: %v", err)
			}
		}
	}
	return set.finish(cx, c.jsonOut)
}

// runSynthSignature writes U<n>S<k>.TXT like SVC2004 Task 2: k = 1..G
// genuine renditions, then G+1..G+F skilled forgeries, n = 1.. per identity.
// Columns: X Y T BUTTON AZIMUTH ALTITUDE PRESSURE with X, Y in 0.01 mm, T in
// ms, BUTTON 1 when the pen is down, azimuth and altitude 0, pressure 0–1023.
func runSynthSignature(cx *context, args []string) int {
	fs, c := newFlags(cx, "synth signature")
	set := newSynthSet(fs, "signature", 20)
	forgeries := fs.Int("forgeries", 20, "skilled forgeries per writer")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *forgeries < 0 || *forgeries > 10000 {
		return failf(cx, exitUsage, "synth signature: --forgeries must be 0–10000")
	}
	if err := set.check(fs); err != nil {
		return failf(cx, exitUsage, "synth signature: %v", err)
	}
	for n, id := range set.ids() {
		for k := 1; k <= *set.impressions+*forgeries; k++ {
			var s []synth.PenSample
			forger := uint64(0)
			if k <= *set.impressions {
				s = synth.Signature(id, k-1)
			} else {
				forger = id + 1_000_000 + uint64(k)
				s = synth.Forgery(id, forger, k-1)
			}
			name := fmt.Sprintf("U%dS%d.TXT", n+1, k)
			err := synthWriteFile(filepath.Join(*set.out, name), func(f *os.File) error {
				if _, err := fmt.Fprintf(f, "%d\n", len(s)); err != nil {
					return err
				}
				for _, p := range s {
					x, y, pr := p.PadUnits(100, 1023)
					b := 0
					if p.PenDown {
						b = 1
					}
					if _, err := fmt.Fprintf(f, "%d %d %d %d 0 0 %d\n", x, y, p.T.Milliseconds(), b, pr); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return failf(cx, exitUsage, "synth signature: %v", err)
			}
			set.files++
			rec := struct {
				File     string `json:"file"`
				Identity uint64 `json:"identity"`
				Genuine  bool   `json:"genuine"`
				Forger   uint64 `json:"forger,omitempty"`
			}{name, id, forger == 0, forger}
			if err := set.addTruth(rec); err != nil {
				return failf(cx, exitUsage, "synth signature: %v", err)
			}
		}
	}
	return set.finish(cx, c.jsonOut)
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

// synthMixedCondition draws the condition of one impression of a mixed
// set from a hash of its identity, finger and impression: 70 % normal,
// 10 % each wet, dry and low quality.
func synthMixedCondition(id uint64, finger, impression int) synth.Condition {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%d", id, finger, impression)
	switch h.Sum64() % 10 {
	case 0:
		return synth.Wet
	case 1:
		return synth.Dry
	case 2:
		return synth.LowQuality
	}
	return synth.Normal
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

// synthWriteFile writes path through a temporary file and a rename, so a
// reader never sees half a file.
func synthWriteFile(path string, write func(*os.File) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
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
