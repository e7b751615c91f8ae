package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/biometric/evalstat"
	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/formats/minutiae"
)

func init() {
	register(&command{path: "eval finger", summary: "evaluate the fingerprint engine on FVC-layout folders (DIR[:DPI]...)", run: runEvalFinger})
}

// fingerEvalJSON is one set's result line; the keys are the contract.
type fingerEvalJSON struct {
	Set             string  `json:"set"`
	Images          int     `json:"images"`
	FTE             int     `json:"fte"`
	Genuine         int     `json:"genuine"`
	Impostors       int     `json:"impostors"`
	EER             float64 `json:"eer"`
	FMR100          float64 `json:"fmr100"`
	FMR1000         float64 `json:"fmr1000"`
	ZeroFMR         float64 `json:"zero_fmr"`
	ExtractMSMedian float64 `json:"extract_ms_median"`
	MatchesPerS     float64 `json:"matches_per_s"`
}

var fvcName = regexp.MustCompile(`^(\d+)_(\d+)\.(tif|tiff|png|bmp|pgm|iso)$`)

// fvcSample is one impression of the set.
type fvcSample struct {
	finger, impression int
	path               string
	tpl                *finger.Template // nil: failure to extract
	ms                 float64
}

func runEvalFinger(cx *context, args []string) int {
	fs, c := newFlags(cx, "eval finger")
	dpi := fs.Int("dpi", 500, "resolution of images that carry none and have no :DPI suffix")
	iso := fs.Bool("iso", false, "evaluate DIR/iso_secugen/*.iso templates (ISO/IEC 19794-2) instead of images")
	jitter := fs.Int("jitter", 0, "also evaluate each set N more times with every image cropped by 0-2 pixels at its left and top, and report the averages as set \"<set>/jitterN\"")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		return failf(cx, exitUsage, "eval finger: give at least one DIR[:DPI]")
	}
	for _, arg := range fs.Args() {
		dir, setDPI := splitDirDPI(arg)
		var samples []*fvcSample
		var err error
		if *iso {
			samples, err = loadISOSet(dir, setDPI, float64(*dpi))
		} else {
			samples, err = extractSet(dir, setDPI, float64(*dpi))
		}
		if err != nil {
			return failf(cx, exitUsage, "eval finger: %s: %v", dir, err)
		}
		res, err := evaluateFingerSet(samples)
		if err != nil {
			return failf(cx, exitUsage, "eval finger: %s: %v", dir, err)
		}
		name := filepath.Base(filepath.Clean(dir))
		if *iso {
			name += "/iso"
		}
		res.json.Set = name
		if c.jsonOut {
			if err := emitJSON(cx, res.json); err != nil {
				return failf(cx, exitUsage, "eval finger: %v", err)
			}
		} else {
			res.print(cx.stdout)
		}
		if *jitter > 0 && !*iso {
			j, err := jitterSet(dir, setDPI, float64(*dpi), *jitter)
			if err != nil {
				return failf(cx, exitUsage, "eval finger: %s: %v", dir, err)
			}
			j.json.Set = fmt.Sprintf("%s/jitter%d", name, *jitter)
			if c.jsonOut {
				if err := emitJSON(cx, j.json); err != nil {
					return failf(cx, exitUsage, "eval finger: %v", err)
				}
			} else {
				j.print(cx.stdout)
			}
		}
	}
	return exitOK
}

// splitDirDPI splits an FVC set argument DIR[:DPI] into the folder and its
// resolution (0 when the argument names none).
func splitDirDPI(arg string) (dir string, dpi float64) {
	if i := strings.LastIndex(arg, ":"); i > 0 {
		if v, err := strconv.ParseFloat(arg[i+1:], 64); err == nil {
			return arg[:i], v
		}
	}
	return arg, 0
}

func listFVC(dir string, iso bool) ([]*fvcSample, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list set: %w", err)
	}
	var out []*fvcSample
	for _, e := range ents {
		m := fvcName.FindStringSubmatch(strings.ToLower(e.Name()))
		if m == nil || (m[3] == "iso") != iso {
			continue
		}
		f, _ := strconv.Atoi(m[1])
		i, _ := strconv.Atoi(m[2])
		out = append(out, &fvcSample{finger: f, impression: i, path: filepath.Join(dir, e.Name())})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no <finger>_<impression> files in %s", dir)
	}
	slices.SortFunc(out, func(a, b *fvcSample) int {
		if a.finger != b.finger {
			return a.finger - b.finger
		}
		return a.impression - b.impression
	})
	return out, nil
}

// extractSet decodes and extracts every image of the set in dir.
func extractSet(dir string, setDPI, flagDPI float64) ([]*fvcSample, error) {
	ss, ims, err := decodeSet(dir, setDPI, flagDPI)
	if err != nil {
		return nil, err
	}
	extractSamples(ss, ims, nil)
	return ss, nil
}

// decodeSet lists and decodes every image of the set in dir, in finger,
// impression order; each image's dpi is set to the one it is read at
// (setResolution).
func decodeSet(dir string, setDPI, flagDPI float64) ([]*fvcSample, []*fingerImage, error) {
	ss, err := listFVC(dir, false)
	if err != nil {
		return nil, nil, err
	}
	ims := make([]*fingerImage, len(ss))
	for k, s := range ss {
		b, err := os.ReadFile(s.path)
		if err != nil {
			return nil, nil, fmt.Errorf("read image: %w", err)
		}
		fi, err := decodeFingerImage(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Base(s.path), err)
		}
		fi.dpi = setResolution(setDPI, fi.dpi, flagDPI)
		ims[k] = fi
	}
	return ss, ims, nil
}

// setResolution is the resolution an image of a set is read at: the set's
// :DPI suffix, else the file's own tag, else --dpi.
func setResolution(setDPI, fileDPI, flagDPI float64) float64 {
	switch {
	case setDPI != 0:
		return setDPI
	case fileDPI != 0:
		return fileDPI
	}
	return flagDPI
}

// extractSamples extracts ss[k] from ims[k], timing each; with crop set,
// image k first loses the crop(k) columns and rows on its left and top.
func extractSamples(ss []*fvcSample, ims []*fingerImage, crop func(k int) (dx, dy int)) {
	for k, s := range ss {
		fi := ims[k]
		if crop != nil {
			dx, dy := crop(k)
			fi = cropFingerImage(fi, dx, dy)
		}
		im := &finger.Image{Width: fi.w, Height: fi.h, Pix: fi.pix, DPI: fi.dpi}
		t0 := fingerCPUTime()
		tpl, err := finger.Extract(im)
		s.ms = float64((fingerCPUTime() - t0).Microseconds()) / 1000
		s.tpl = nil
		if err == nil {
			s.tpl = tpl
		}
	}
}

// loadISOSet reads the ISO/IEC 19794-2 templates of dir/iso_secugen;
// unreadable ones count as failures to extract. The FVC2002 templates were
// made from the prints resampled to 300×400 but declare 500 dpi on both
// axes, so where the image the template was made from lies beside it in
// dir and differs in size, each axis's resolution is set to what the
// resampling made of the image's own (the :DPI suffix, else its tag, else
// --dpi) and FromRecord scales the minutiae back to the print's geometry.
func loadISOSet(dir string, setDPI, flagDPI float64) ([]*fvcSample, error) {
	ss, err := listFVC(filepath.Join(dir, "iso_secugen"), true)
	if err != nil {
		return nil, err
	}
	sources := map[[2]int]string{}
	if imgs, err := listFVC(dir, false); err == nil {
		for _, s := range imgs {
			sources[[2]int{s.finger, s.impression}] = s.path
		}
	}
	for _, s := range ss {
		b, err := os.ReadFile(s.path)
		if err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
		var src *fingerImage
		if p, ok := sources[[2]int{s.finger, s.impression}]; ok {
			if ib, err := os.ReadFile(p); err == nil {
				src, _ = decodeFingerImage(ib)
			}
		}
		t0 := fingerCPUTime()
		r, err := minutiae.Unmarshal(b)
		if err == nil && len(r.Views) > 0 {
			if src != nil {
				isoUndoResample(r, src, setDPI, flagDPI)
			}
			s.tpl, err = finger.FromRecord(r, 0)
			if err != nil {
				s.tpl = nil
			}
		}
		s.ms = float64((fingerCPUTime() - t0).Microseconds()) / 1000
	}
	return ss, nil
}

// isoUndoResample sets r's resolutions so that its width and height span
// the source image's extent at the source's resolution; it leaves r alone
// when the sizes already agree.
func isoUndoResample(r *minutiae.Record, src *fingerImage, setDPI, flagDPI float64) {
	if int(r.Width) == src.w && int(r.Height) == src.h || r.Width == 0 || r.Height == 0 {
		return
	}
	d := setResolution(setDPI, src.dpi, flagDPI)
	const cmPerInch = 2.54
	r.XRes = uint16(math.Round(float64(r.Width) * d / float64(src.w) / cmPerInch))
	r.YRes = uint16(math.Round(float64(r.Height) * d / float64(src.h) / cmPerInch))
}

type fingerSetResult struct {
	json     fingerEvalJSON
	rates    evalstat.Rates
	qualRej  int
	qualRate *evalstat.Rates
	minutiae float64
	bytes    float64
}

// evaluateFingerSet runs the FVC protocol: genuine = every i<j impression of
// one finger, impostor = every pair of impressions of different fingers.
// scorePasses is how many times evaluateFingerSet times the comparisons.
const scorePasses = 3

// scoreFingerSet scores every impression as a probe against every later
// one into scores (the first pass fills it, later passes must reproduce it)
// and returns the comparisons made and their thread CPU seconds.
func scoreFingerSet(ss []*fvcSample, preps []*finger.Prepared, scores [][]float64) (int, float64, error) {
	n := len(ss)
	comparisons := 0
	first := scores[0] == nil
	t0 := fingerCPUTime()
	for i := range ss {
		if first {
			scores[i] = make([]float64, n)
		}
		if preps[i] == nil {
			continue
		}
		probe := finger.ProbeOf(preps[i]) // its Prepare is the gallery side's, done once
		for j := i + 1; j < n; j++ {
			if preps[j] == nil {
				continue
			}
			s := probe.Score(preps[j])
			if !first && s != scores[i][j] {
				return 0, 0, fmt.Errorf("score of %d_%d against %d_%d changed between passes: %v, then %v",
					ss[i].finger, ss[i].impression, ss[j].finger, ss[j].impression, scores[i][j], s)
			}
			scores[i][j] = s
			comparisons++
		}
	}
	return comparisons, (fingerCPUTime() - t0).Seconds(), nil
}

func evaluateFingerSet(ss []*fvcSample) (*fingerSetResult, error) {
	n := len(ss)
	scores := make([][]float64, n)
	preps := make([]*finger.Prepared, n)
	for i, s := range ss {
		if s.tpl != nil {
			preps[i] = finger.Prepare(s.tpl)
		}
	}
	// The comparison loop runs scorePasses times: the comparisons per second
	// reported are the fastest pass's (thread CPU time on a shared machine
	// swings by a third between runs; the fastest pass is the closest to the
	// engine's own cost), and every pass must give the same scores.
	var comparisons int
	var elapsed float64
	for pass := 0; pass < scorePasses; pass++ {
		c, e, err := scoreFingerSet(ss, preps, scores)
		if err != nil {
			return nil, err
		}
		if pass == 0 || e < elapsed {
			elapsed = e
		}
		comparisons = c
	}
	collect := func(skip func(i int) bool) (gen, imp []float64) {
		for i := range ss {
			for j := i + 1; j < n; j++ {
				if skip(i) || skip(j) {
					continue
				}
				if ss[i].finger == ss[j].finger {
					gen = append(gen, scores[i][j])
				} else {
					imp = append(imp, scores[i][j])
				}
			}
		}
		return gen, imp
	}
	gen, imp := collect(func(int) bool { return false })
	curve, err := evalstat.NewCurve(gen, imp)
	if err != nil {
		return nil, err
	}
	r := &fingerSetResult{rates: curve.Rates()}
	var ms []float64
	fte := 0
	var mins, bytes float64
	for _, s := range ss {
		ms = append(ms, s.ms)
		if s.tpl == nil {
			fte++
			continue
		}
		mins += float64(len(s.tpl.Minutiae))
		b, _ := s.tpl.MarshalBinary()
		bytes += float64(len(b))
	}
	slices.Sort(ms)
	med := ms[len(ms)/2]
	if len(ms)%2 == 0 {
		med = (ms[len(ms)/2-1] + ms[len(ms)/2]) / 2
	}
	if ok := n - fte; ok > 0 {
		r.minutiae, r.bytes = mins/float64(ok), bytes/float64(ok)
	}
	mps := 0.0
	if elapsed > 0 {
		mps = float64(comparisons) / elapsed
	}
	r.json = fingerEvalJSON{
		Images: n, FTE: fte, Genuine: len(gen), Impostors: len(imp),
		EER: round4(r.rates.EER), FMR100: round4(r.rates.FMR100), FMR1000: round4(r.rates.FMR1000),
		ZeroFMR: round4(r.rates.ZeroFMR), ExtractMSMedian: round4(med), MatchesPerS: float64(int(mps)),
	}
	// Quality as a predictor: drop the lowest-quality 10 % of impressions
	// (failures to extract count as quality 0).
	q := make([]int, n)
	for i, s := range ss {
		if s.tpl != nil {
			q[i] = int(s.tpl.Quality)
		} else {
			q[i] = -1
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return q[a] - q[b] })
	if q[order[0]] == q[order[n-1]] {
		return r, nil // every impression has the same quality: nothing to gate on
	}
	r.qualRej = n / 10
	rejected := make([]bool, n)
	for _, i := range order[:r.qualRej] {
		rejected[i] = true
	}
	g2, i2 := collect(func(i int) bool { return rejected[i] })
	if c2, err := evalstat.NewCurve(g2, i2); err == nil {
		rr := c2.Rates()
		r.qualRate = &rr
	}
	return r, nil
}

func round4(v float64) float64 { return float64(int(v*1e4+0.5)) / 1e4 }

func (r *fingerSetResult) print(w io.Writer) {
	j, rt := r.json, r.rates
	pct := func(v float64) string { return fmt.Sprintf("%6.2f%%", 100*v) }
	fmt.Fprintf(w, "set %s: %d images, %d failed to extract, %d genuine / %d impostor comparisons\n",
		j.Set, j.Images, j.FTE, j.Genuine, j.Impostors)
	fmt.Fprintf(w, "  %-9s %8s  %s\n", "rate", "value", "errors behind it")
	fmt.Fprintf(w, "  %-9s %8s  EER interval %.2f%%–%.2f%% at threshold %.3g\n", "EER", pct(rt.EER), 100*rt.EERLow, 100*rt.EERHigh, rt.EERThreshold)
	fmt.Fprintf(w, "  %-9s %8s  %d of %d genuine rejected at threshold %.3g\n", "FMR100", pct(rt.FMR100), rt.FMR100Errors, j.Genuine, rt.FMR100Threshold)
	fmt.Fprintf(w, "  %-9s %8s  %d of %d genuine rejected at threshold %.3g\n", "FMR1000", pct(rt.FMR1000), rt.FMR1000Errors, j.Genuine, rt.FMR1000Threshold)
	fmt.Fprintf(w, "  %-9s %8s  %d of %d genuine rejected at threshold %.3g\n", "ZeroFMR", pct(rt.ZeroFMR), rt.ZeroFMRErrors, j.Genuine, rt.ZeroFMRThreshold)
	fmt.Fprintf(w, "  extraction median %.2f ms/image; %.0f comparisons/s (one core; CPU time, fastest of 3 passes); %.1f minutiae, %.0f bytes per template\n",
		j.ExtractMSMedian, j.MatchesPerS, r.minutiae, r.bytes)
	if q := r.qualRate; q == nil {
		fmt.Fprintf(w, "  quality gate: not measurable (all impressions have the same quality)\n")
	} else {
		fmt.Fprintf(w, "  quality gate: rejecting the lowest-quality %d images → FMR1000 %s (%d of %d), EER %s\n",
			r.qualRej, pct(q.FMR1000), q.FMR1000Errors, q.Genuine, pct(q.EER))
	}
}
