package main

import (
	"fmt"
	"image"
	_ "image/gif"  // registered for eval input
	_ "image/jpeg" // registered for eval input
	_ "image/png"  // registered for eval input
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	_ "golang.org/x/image/bmp" // CASIA originals are BMP

	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/biometric/iris/irisstat"
)

func init() {
	register(&command{path: "eval iris", summary: "evaluate the iris engine on a folder of eye images (one folder per eye)", run: runEvalIris})
}

// irisEvalReport is the JSON contract of `rekamctl eval iris --json`.
type irisEvalReport struct {
	Set            string  `json:"set"`
	Images         int     `json:"images"`
	FTE            float64 `json:"fte"`
	Genuine        int     `json:"genuine"`
	Impostors      int     `json:"impostors"`
	EER            float64 `json:"eer"`
	FNMRAtFMR1e3   float64 `json:"fnmr_at_fmr1e3"`
	FNMRAtFMR1e4   float64 `json:"fnmr_at_fmr1e4"`
	DPrime         float64 `json:"dprime"`
	EnrollMsMedian float64 `json:"enroll_ms_median"`
	MatchesPerS    float64 `json:"matches_per_s"`
}

// irisSample is one image of the evaluation set.
type irisSample struct {
	path, eye string
	res       *iris.Result
	ok        bool
}

var irisImageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".bmp": true, ".gif": true}

func runEvalIris(cx *context, args []string) int {
	fset, c := newFlags(cx, "eval iris")
	depth := fset.Int("eye-depth", 1, "path components below DIR that name one eye")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if fset.NArg() != 1 || *depth < 1 {
		return failf(cx, exitUsage, "eval iris: usage: rekamctl eval iris [--json] [--eye-depth N] DIR")
	}
	dir := fset.Arg(0)
	samples, err := irisFindImages(dir, *depth)
	if err != nil {
		return failf(cx, exitUsage, "eval iris: %v", err)
	}
	if len(samples) == 0 {
		return failf(cx, exitUsage, "eval iris: no images under %s", dir)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var times []float64
	fte := 0
	for i := range samples {
		s := &samples[i]
		img, err := irisDecode(s.path)
		if err != nil {
			fmt.Fprintf(cx.stderr, "rekamctl: eval iris: %v (counted as failure to enrol)\n", err)
			fte++
			continue
		}
		clk := startThreadClock()
		res, err := iris.Enroll(img)
		times = append(times, clk.elapsed().Seconds()*1000)
		if err != nil || !res.Quality.Acceptable() {
			fte++
			continue
		}
		s.res, s.ok = res, true
	}
	var gen, imp []float64
	var genPair, impPair [][2]int
	clk := startThreadClock()
	for i := range samples {
		if !samples[i].ok {
			continue
		}
		p := iris.NewProbe(samples[i].res.Template, iris.DefaultShifts)
		for j := i + 1; j < len(samples); j++ {
			if !samples[j].ok {
				continue
			}
			d := p.Compare(samples[j].res.Template).Distance
			if samples[i].eye == samples[j].eye {
				gen = append(gen, d)
				genPair = append(genPair, [2]int{i, j})
			} else {
				imp = append(imp, d)
				impPair = append(impPair, [2]int{i, j})
			}
		}
	}
	matchSecs := clk.elapsed().Seconds()
	pairs := len(gen) + len(imp)
	// Small sets finish below the clock's resolution: repeat the
	// comparisons (without recording) until the measurement is meaningful.
	for pairs > 0 && matchSecs < irisMinTiming {
		clk := startThreadClock()
		pairs += irisCompareAll(samples)
		matchSecs += clk.elapsed().Seconds()
	}
	sc := irisstat.New(gen, imp)
	sum := sc.Summary()
	rep := irisEvalReport{
		Set:          filepath.Base(filepath.Clean(dir)),
		Images:       len(samples),
		FTE:          float64(fte) / float64(len(samples)),
		Genuine:      len(gen),
		Impostors:    len(imp),
		EER:          sum.EER,
		FNMRAtFMR1e3: sc.FNMRAtFMR(1e-3),
		FNMRAtFMR1e4: sc.FNMRAtFMR(1e-4),
		DPrime:       sum.DPrime,
	}
	if len(times) > 0 {
		sort.Float64s(times)
		rep.EnrollMsMedian = times[len(times)/2]
	}
	if matchSecs > 0 {
		rep.MatchesPerS = float64(pairs) / matchSecs
	}
	if c.jsonOut {
		if err := emitJSON(cx, rep); err != nil {
			return failf(cx, exitUsage, "eval iris: %v", err)
		}
		return exitOK
	}
	w := cx.stdout
	fmt.Fprintf(w, "set %s: %d images, %d eyes, FTE %.2f%% (%d)\n", rep.Set, rep.Images, irisCountEyes(samples), 100*rep.FTE, fte)
	fmt.Fprintf(w, "pairs: %d genuine, %d impostor\n", rep.Genuine, rep.Impostors)
	fmt.Fprintf(w, "EER %.3f%% at distance %.4f\n", 100*rep.EER, sum.EERThreshold)
	fmt.Fprintf(w, "FNMR %.3f%% at FMR 1e-3 (threshold %.4f), %.3f%% at FMR 1e-4 (threshold %.4f)\n",
		100*rep.FNMRAtFMR1e3, sc.ThresholdAtFMR(1e-3), 100*rep.FNMRAtFMR1e4, sc.ThresholdAtFMR(1e-4))
	fmt.Fprintf(w, "engine thresholds (binomial impostor model): %.4f at FMR 1e-3, %.4f at 1e-4, %.4f at 1e-6\n",
		iris.ThresholdFMR1e3, iris.ThresholdFMR1e4, iris.ThresholdFMR1e6)
	fmt.Fprintf(w, "genuine %.4f ± %.4f, impostor %.4f ± %.4f, d' %.2f (impostor degrees of freedom %.0f)\n",
		sum.GenuineMean, sum.GenuineStd, sum.ImpostorMean, sum.ImpostorStd, sum.DPrime,
		sum.ImpostorMean*(1-sum.ImpostorMean)/(sum.ImpostorStd*sum.ImpostorStd+1e-12))
	fmt.Fprintf(w, "enrolment median %.1f ms/image (%s), matching %.0f template pairs/s on one core (±%d columns)\n",
		rep.EnrollMsMedian, threadClockName, rep.MatchesPerS, iris.DefaultShifts)
	irisQualityReport(cx, samples, genPair, gen, impPair, imp)
	return exitOK
}

// irisMinTiming is the shortest matching time, in seconds, from which a
// comparison rate is reported.
const irisMinTiming = 0.2

// irisCompareAll compares every enrolled pair once and returns how many.
func irisCompareAll(samples []irisSample) int {
	n := 0
	for i := range samples {
		if !samples[i].ok {
			continue
		}
		p := iris.NewProbe(samples[i].res.Template, iris.DefaultShifts)
		for j := i + 1; j < len(samples); j++ {
			if samples[j].ok {
				p.Compare(samples[j].res.Template)
				n++
			}
		}
	}
	return n
}

// irisQualityReport shows whether the quality score predicts failure: the
// error rates after dropping the images with the worst 10% of scores.
func irisQualityReport(cx *context, samples []irisSample, genPair [][2]int, gen []float64, impPair [][2]int, imp []float64) {
	var qs []float64
	for _, s := range samples {
		if s.ok {
			qs = append(qs, s.res.Quality.Score)
		}
	}
	if len(qs) < 10 {
		return
	}
	sort.Float64s(qs)
	cut := qs[len(qs)/10]
	keep := func(pairs [][2]int, d []float64) []float64 {
		var out []float64
		for k, p := range pairs {
			if samples[p[0]].res.Quality.Score >= cut && samples[p[1]].res.Quality.Score >= cut {
				out = append(out, d[k])
			}
		}
		return out
	}
	all := irisstat.New(gen, imp)
	kept := irisstat.New(keep(genPair, gen), keep(impPair, imp))
	for _, f := range []float64{1e-3, 1e-4} {
		fmt.Fprintf(cx.stdout, "quality gate: rejecting the worst 10%% (score < %.1f) moves FNMR at FMR %.0e from %.3f%% to %.3f%% (EER %.3f%% → %.3f%%)\n",
			cut, f, 100*all.FNMRAtFMR(f), 100*kept.FNMRAtFMR(f), 100*all.Summary().EER, 100*kept.Summary().EER)
	}
}

func irisCountEyes(samples []irisSample) int {
	eyes := map[string]bool{}
	for _, s := range samples {
		eyes[s.eye] = true
	}
	return len(eyes)
}

// irisFindImages lists image files under dir in a stable order; the eye of
// each is its first depth path components below dir.
func irisFindImages(dir string, depth int) ([]irisSample, error) {
	var out []irisSample
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !irisImageExt[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		parts = parts[:len(parts)-1]
		if len(parts) > depth {
			parts = parts[:depth]
		}
		out = append(out, irisSample{path: p, eye: strings.Join(parts, "/")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func irisDecode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open image: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}

// wallClock measures elapsed wall time where no per-thread CPU clock exists.
type wallClock struct{ t time.Time }

func (w wallClock) elapsed() time.Duration { return time.Since(w.t) }
