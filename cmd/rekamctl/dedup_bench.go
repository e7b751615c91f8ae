package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/internal/shareddata"
	"github.com/rekam-ktp/rekam/simulators/tmplsynth"
)

func init() {
	register(&command{path: "bench dedup", summary: "build an N-identity dedup gallery in an encrypted store, load it and time mated and non-mated 10-finger + 2-iris searches", run: runBenchDedup})
}

// benchDedupResult is the benchmark's contract (issue 8): these keys only.
type benchDedupResult struct {
	Identities     int     `json:"identities"`
	MatedProbes    int     `json:"mated_probes"`
	NonmatedProbes int     `json:"nonmated_probes"`
	GalleryBuildS  float64 `json:"gallery_build_s"`
	LoadS          float64 `json:"load_s"`
	SearchMSMedian float64 `json:"search_ms_median"`
	SearchMSP99    float64 `json:"search_ms_p99"`
	RSSMB          float64 `json:"rss_mb"`
	Rank1Rate      float64 `json:"rank1_rate"`
	FPIR           float64 `json:"fpir"`
}

// dedupBenchProbe is one search of the benchmark.
type dedupBenchProbe struct {
	rec  *index.Record
	mate string // gallery id of the mate, "" for a non-mated probe
}

func runBenchDedup(cx *context, args []string) int {
	fs, c := newFlags(cx, "bench dedup")
	n := fs.Int("identities", 10000, "gallery size N (identities of 10 fingers + 2 irises)")
	mated := fs.Int("mated", 3000, "mated probes (from real images)")
	nonmated := fs.Int("nonmated", 3000, "non-mated probes (from real images of identities never enrolled)")
	nsynth := fs.Int("synth-identities", 16, "synthetic-image identities enrolled beside the four FVC2002 chimeric ones")
	nheld := fs.Int("heldout-identities", 8, "synthetic-image identities never enrolled (non-mated probes)")
	imps := fs.Int("impressions", 4, "impressions per synthetic finger and per eye (the first is enrolled)")
	modal := fs.Int("modality-probes", 200, "mated probes also searched with fingers only and irises only (stderr diagnostics: rank-1)")
	recall := fs.Int("recall-probes", 1000, "mated probes whose first stage alone is run with fingers only, one finger and irises only (stderr diagnostics: the mate in the short list)")
	modalities := fs.String("modalities", "all", "what the timed probes hold: all (10 fingers + 2 irises), fingers (an identity whose irises are exceptions) or irises")
	short := fs.Int("shortlist", index.DefaultShortList, "identities the first stage passes to the full matchers")
	testdata := fs.String("testdata", "", "shared data folder with fvc2002/ (default $REKAM_TESTDATA, else ../shared/data; \"none\" = synthetic images only)")
	cache := fs.String("cache", "", "folder caching the extracted probe pool (default $XDG_CACHE_HOME/rekam, else ~/.cache/rekam; \"none\" = no cache)")
	work := fs.String("work", "", "folder for the benchmark's station database (default a temporary folder, removed after)")
	dupFPIR := fs.Float64("duplicate-fpir", index.DefaultPolicy.DuplicateFPIR, "duplicate threshold as false duplicates per search")
	revFPIR := fs.Float64("review-fpir", index.DefaultPolicy.ReviewFPIR, "review threshold as needless reviews per search")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 || *n < 1 || *mated < 1 || *nonmated < 1 || *imps < 2 || *nheld < 1 {
		return failf(cx, exitUsage, "bench dedup: usage: rekamctl bench dedup [--json] --identities N [--mated M --nonmated M]")
	}
	cut, ok := dedupModalityCuts[*modalities]
	if !ok {
		return failf(cx, exitUsage, "bench dedup: --modalities %q: want all, fingers or irises", *modalities)
	}
	pol := index.Policy{DuplicateFPIR: *dupFPIR, ReviewFPIR: *revFPIR}
	if err := pol.Check(); err != nil {
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	spec := dedupPoolSpec{Synth: *nsynth, HeldOut: *nheld, Impressions: *imps}
	if *testdata != "none" {
		root := *testdata
		if root == "" {
			if d := cx.getenv("REKAM_TESTDATA"); d != "" {
				root = d
			} else if d, err := shareddata.Root(); err == nil {
				root = d
			}
		}
		if root == "" {
			return failf(cx, exitUsage, "bench dedup: no shared data folder (pass --testdata, or --testdata none)")
		}
		spec.FVCRoot = filepath.Join(root, "fvc2002")
		if _, err := os.Stat(spec.FVCRoot); err != nil {
			return failf(cx, exitUsage, "bench dedup: %v", err)
		}
	}
	cacheDir := *cache
	switch {
	case cacheDir == "none":
		cacheDir = ""
	case cacheDir == "":
		if x := cx.getenv("XDG_CACHE_HOME"); x != "" {
			cacheDir = filepath.Join(x, "rekam")
		} else if h := cx.getenv("HOME"); h != "" {
			cacheDir = filepath.Join(h, ".cache", "rekam")
		}
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(cx.stderr, "bench dedup: "+format+"\n", a...)
	}
	t0 := time.Now()
	pool, err := loadDedupPool(spec, cacheDir, 0)
	if err != nil {
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	enrolled, err := dedupDecodePool(pool.Enrolled)
	if err != nil {
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	held, err := dedupDecodePool(pool.HeldOut)
	if err != nil {
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	logf("probe pool: %d enrolled + %d held-out real-image identities, %d images (%.1f s)", len(enrolled), len(held), pool.Images, time.Since(t0).Seconds())
	if *n < len(enrolled) {
		return failf(cx, exitUsage, "bench dedup: --identities %d is below the %d real-image identities", *n, len(enrolled))
	}

	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "rekam-bench-dedup-"); err != nil {
			return failf(cx, exitUsage, "bench dedup: %v", err)
		}
		defer os.RemoveAll(dir)
	}
	res := benchDedupResult{Identities: *n}
	t0 = time.Now()
	k, err := dedupBuildGallery(filepath.Join(dir, store.FileName), *n, enrolled)
	if err != nil {
		return failf(cx, exitUsage, "bench dedup: build gallery: %v", err)
	}
	res.GalleryBuildS = time.Since(t0).Seconds()
	logf("gallery of %d identities built and stored encrypted in %.1f s", *n, res.GalleryBuildS)

	runtime.GC()
	t0 = time.Now()
	st, err := store.Open(stationCtx, filepath.Join(dir, store.FileName), k, store.Options{})
	if err != nil {
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	idx := index.New()
	if _, err := dedup.LoadIndex(stationCtx, st, st.SystemSession("bench"), idx, 0); err != nil {
		st.Close()
		return failf(cx, exitUsage, "bench dedup: %v", err)
	}
	res.LoadS = time.Since(t0).Seconds()
	st.Close()
	logf("index loaded from the store in %.1f s", res.LoadS)

	probes := dedupProbes(enrolled, held, *mated, *nonmated)
	dupT, revT := pol.Thresholds(idx.Len())
	var times []float64
	var hits, falseDup, inShort, worstMated int
	worstNon, worstMatedScore := 0.0, 1e9
	t0 = time.Now()
	cpu0 := fingerCPUTime()
	for i, p := range probes {
		rec := *p.rec
		cut(&rec)
		ts := time.Now()
		cands := idx.Search(&rec, index.Options{ShortList: *short})
		times = append(times, float64(time.Since(ts).Microseconds())/1000)
		top := 0.0
		if len(cands) > 0 {
			top = cands[0].Score
		}
		if p.mate != "" {
			res.MatedProbes++
			if slices.ContainsFunc(cands, func(c index.Candidate) bool { return c.ID == p.mate }) {
				inShort++
			}
			if len(cands) > 0 && cands[0].ID == p.mate && top >= revT {
				hits++
				if top < worstMatedScore {
					worstMatedScore, worstMated = top, i
				}
			}
		} else {
			res.NonmatedProbes++
			if top >= dupT {
				falseDup++
				if falseDup <= 5 && cx.getenv("REKAM_BENCH_DEBUG") != "" {
					logf("false duplicate %s score %.2f fingers %.1f irises %.1f", cands[0].ID, top, cands[0].Fingers, cands[0].Irises)
				}
			}
			worstNon = max(worstNon, top)
		}
		if (i+1)%500 == 0 {
			logf("%d/%d searches (%.0f s)", i+1, len(probes), time.Since(t0).Seconds())
		}
	}
	_ = worstMated
	cpuPer := float64((fingerCPUTime() - cpu0).Microseconds()) / 1000 / float64(len(probes))
	logf("searches: %.0f s wall, %.1f ms CPU per search (both cores; wall time includes other jobs on this shared machine)", time.Since(t0).Seconds(), cpuPer)
	slices.Sort(times)
	res.SearchMSMedian = dedupPercentile(times, 0.5)
	res.SearchMSP99 = dedupPercentile(times, 0.99)
	res.Rank1Rate = float64(hits) / float64(res.MatedProbes)
	res.FPIR = float64(falseDup) / float64(res.NonmatedProbes)
	res.RSSMB = dedupPeakRSSMB()
	logf("thresholds for N=%d: duplicate %.2f, review %.2f; mates in the short list %d/%d; lowest rank-1 mated score %.2f; highest non-mated score %.2f",
		idx.Len(), dupT, revT, inShort, res.MatedProbes, worstMatedScore, worstNon)
	// Diagnostics: each modality alone: the first stage's recall on every
	// mated probe (by source: FVC2002 real prints, synthetic images) and
	// rank-1 on the first ones.
	for _, name := range []string{"fingers", "one finger", "irises"} {
		dedupModalityReport(logf, idx, probes, pool.Enrolled, name, *recall, *modal, *short, revT)
	}
	if keys, fingers := idx.FingerKeys(); fingers > 0 {
		logf("finger first stage: %d fingers, %.1f keys a finger: %.0f bytes a finger in memory, %.0f stored",
			fingers, float64(keys)/float64(fingers), float64(index.FingerKeyBytes*keys)/float64(fingers)+index.FingerSlotBytes, float64(index.FingerKeyBytes*keys)/float64(fingers)+1)
	}
	runtime.KeepAlive(idx)
	if c.jsonOut {
		emitJSON(cx, res)
	} else {
		fmt.Fprintf(cx.stdout, "identities %d  mated %d  non-mated %d\ngallery build %.1f s  load %.2f s\nsearch median %.1f ms  p99 %.1f ms  peak RSS %.0f MB\nrank-1 %.4f  FPIR %.4f\n",
			res.Identities, res.MatedProbes, res.NonmatedProbes, res.GalleryBuildS, res.LoadS, res.SearchMSMedian, res.SearchMSP99, res.RSSMB, res.Rank1Rate, res.FPIR)
	}
	return exitOK
}

// dedupModalityCuts reduce a probe to the modalities a bench run searches
// with.
var dedupModalityCuts = map[string]func(r *index.Record){
	"all":     func(*index.Record) {},
	"fingers": func(r *index.Record) { r.Irises = [index.Eyes]*iris.Template{} },
	"irises":  func(r *index.Record) { r.Fingers = [index.Fingers]*finger.Template{} },
}

// dedupModalityReport logs, for the mated probes cut to one modality, the
// first stage's recall (mate in the short list) on the first recallProbes
// per source of the mate's images, and the rank-1 rate above the review
// threshold on the first rank1Probes.
func dedupModalityReport(logf func(string, ...any), idx *index.Index, probes []dedupBenchProbe, enrolled []*dedupPoolIdentity, modality string, recallProbes, rank1Probes, short int, revT float64) {
	source := map[string]string{}
	for i, id := range enrolled {
		src := "synthetic images"
		if strings.HasPrefix(id.Name, "fvc2002/") {
			src = "FVC2002"
		}
		source[dedupGalleryID(i)] = src
	}
	listed := map[string][2]int{}
	tried, found, worst, k := 0, 0, 0, 0
	for _, p := range probes {
		if p.mate == "" || k == max(recallProbes, rank1Probes) {
			continue
		}
		k++
		r := *p.rec
		if modality == "one finger" {
			// Each probe keeps one finger; an identity's probes (every
			// len(enrolled)-th) take the positions in turn.
			pos := (k + k/len(enrolled)) % index.Fingers
			r.Irises = [index.Eyes]*iris.Template{}
			keep := r.Fingers[pos]
			r.Fingers = [index.Fingers]*finger.Template{}
			r.Fingers[pos] = keep
		} else {
			dedupModalityCuts[modality](&r)
		}
		if f, e := r.Modalities(); f+e == 0 {
			continue
		}
		if k <= recallProbes {
			c := listed[source[p.mate]]
			c[1]++
			if rank := slices.Index(idx.ShortList(&r, index.Options{ShortList: short}), p.mate); rank >= 0 {
				c[0]++
				worst = max(worst, rank+1)
			}
			listed[source[p.mate]] = c
		}
		if tried < rank1Probes {
			tried++
			if got := idx.Search(&r, index.Options{ShortList: short}); len(got) > 0 && got[0].ID == p.mate && got[0].Score >= revT {
				found++
			}
		}
	}
	all := [2]int{}
	var parts []string
	for _, src := range []string{"FVC2002", "synthetic images"} {
		if c, ok := listed[src]; ok {
			parts = append(parts, fmt.Sprintf("%s %d/%d", src, c[0], c[1]))
			all[0], all[1] = all[0]+c[0], all[1]+c[1]
		}
	}
	if all[1] > 0 {
		logf("%s only: first stage recall %d/%d = %.4f (%s; worst rank of a listed mate %d of %d); rank-1 above the review threshold %d/%d",
			modality, all[0], all[1], float64(all[0])/float64(all[1]), strings.Join(parts, ", "), worst, short, found, tried)
	}
}

// dedupPercentile returns the p-quantile of sorted values (nearest rank).
func dedupPercentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// dedupPeakRSSMB reads the process's peak resident set (VmHWM) on Linux; 0
// elsewhere.
func dedupPeakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// dedupBenchIdentity is a pool identity with its templates decoded.
type dedupBenchIdentity struct {
	fingers [10][]*finger.Template // nil where extraction failed
	irises  [2][]*iris.Template
}

func dedupDecodePool(ids []*dedupPoolIdentity) ([]*dedupBenchIdentity, error) {
	var out []*dedupBenchIdentity
	for _, p := range ids {
		b := &dedupBenchIdentity{}
		for f := range p.Fingers {
			for k, raw := range p.Fingers[f] {
				var t *finger.Template
				if raw != nil {
					t = new(finger.Template)
					if err := t.UnmarshalBinary(raw); err != nil {
						return nil, fmt.Errorf("pool %s finger %d/%d: %w", p.Name, f+1, k, err)
					}
				}
				b.fingers[f] = append(b.fingers[f], t)
			}
		}
		for e := range p.Irises {
			for k, raw := range p.Irises[e] {
				var t *iris.Template
				if raw != nil {
					t = new(iris.Template)
					if err := t.UnmarshalBinary(raw); err != nil {
						return nil, fmt.Errorf("pool %s eye %d/%d: %w", p.Name, e, k, err)
					}
				}
				b.irises[e] = append(b.irises[e], t)
			}
		}
		out = append(out, b)
	}
	return out, nil
}

// dedupGalleryID names pool identity i in the gallery.
func dedupGalleryID(i int) string { return "p:" + strconv.Itoa(i) }

// dedupBuildGallery writes a station database with n gallery records: the
// real-image identities' first impressions, then template-level synthetic
// identities. It returns the station keys.
func dedupBuildGallery(path string, n int, enrolled []*dedupBenchIdentity) (*keys.Keys, error) {
	k, err := keys.Generate("BENCH")
	if err != nil {
		return nil, err
	}
	st, err := store.Open(stationCtx, path, k, store.Options{Create: true, HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Bootstrap(stationCtx, store.Station{ID: "BENCH", Kecamatan: "32.11.01"}, "admin", "bench-admin-pass-1"); err != nil {
		return nil, err
	}
	sess := st.SystemSession("bench")
	const batch = 2000
	workers := runtime.GOMAXPROCS(0)
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		recs := make([]store.GalleryRecord, hi-lo)
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := lo + w; i < hi; i += workers {
					var rec index.Record
					id := ""
					if i < len(enrolled) {
						id = dedupGalleryID(i)
						for f := range rec.Fingers {
							rec.Fingers[f] = enrolled[i].fingers[f][0]
						}
						for e := range rec.Irises {
							rec.Irises[e] = enrolled[i].irises[e][0]
						}
					} else {
						id = "t:" + strconv.Itoa(i)
						for f := range rec.Fingers {
							rec.Fingers[f] = tmplsynth.Finger(uint64(i), f+1)
						}
						for e := range rec.Irises {
							rec.Irises[e] = tmplsynth.Iris(uint64(i), e)
						}
					}
					e, err := index.NewEntry(&rec)
					if err != nil {
						errs[w] = err
						return
					}
					b, err := e.MarshalBinary()
					if err != nil {
						errs[w] = err
						return
					}
					recs[i-lo] = store.GalleryRecord{RecordID: id, Source: store.GalleryCentral, Templates: b}
				}
			}(w)
		}
		wg.Wait()
		for _, e := range errs {
			if e != nil {
				return nil, e
			}
		}
		if err := st.PutGalleryRecords(stationCtx, sess, recs); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// dedupProbes makes the mated probes (identity i's later impressions, one
// random impression per finger and eye) and the non-mated ones (each finger
// and the eye pair from a random held-out identity and impression).
func dedupProbes(enrolled, held []*dedupBenchIdentity, mated, nonmated int) []dedupBenchProbe {
	r := rand.New(rand.NewPCG(8, 2026))
	pick := func(n int, from int) int { return from + r.IntN(n-from) }
	var out []dedupBenchProbe
	for j := 0; j < mated; j++ {
		i := j % len(enrolled)
		id := enrolled[i]
		rec := &index.Record{}
		for f := range rec.Fingers {
			rec.Fingers[f] = id.fingers[f][pick(len(id.fingers[f]), 1)]
		}
		for e := range rec.Irises {
			rec.Irises[e] = id.irises[e][pick(len(id.irises[e]), 1)]
		}
		out = append(out, dedupBenchProbe{rec: rec, mate: dedupGalleryID(i)})
	}
	for j := 0; j < nonmated; j++ {
		rec := &index.Record{}
		for f := range rec.Fingers {
			id := held[r.IntN(len(held))]
			rec.Fingers[f] = id.fingers[f][pick(len(id.fingers[f]), 0)]
		}
		id := held[r.IntN(len(held))]
		for e := range rec.Irises {
			rec.Irises[e] = id.irises[e][pick(len(id.irises[e]), 0)]
		}
		out = append(out, dedupBenchProbe{rec: rec})
	}
	// Interleave so that timing drift (a loaded machine) hits both kinds.
	r.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}
