package index

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

// Index is the in-memory gallery. Add, Remove and Search may be called
// from many goroutines: searches share a read lock, changes take the write
// lock.
type Index struct {
	mu   sync.RWMutex
	ids  []string // "" marks a removed slot
	slot map[string]int
	live int
	// Per finger position, per slot: the template in its native encoding
	// (nil when absent), its prepared form made on first use by the full
	// stage, and its first-stage keys.
	fraw  [Fingers][][]byte
	fprep [Fingers][]atomic.Pointer[finger.Prepared]
	fkeys [Fingers]keyArena
	// Per eye, per slot: the iris code (nil when absent).
	eye [Eyes][]*iris.Template
}

// New returns an empty index.
func New() *Index { return &Index{slot: map[string]int{}} }

// Len returns the number of identities held.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Add adds (or replaces) the identity id. A record without any template is
// refused.
func (x *Index) Add(id string, r *Record) error {
	e, err := NewEntry(r)
	if err != nil {
		return fmt.Errorf("index add %s: %w", id, err)
	}
	return x.AddEntry(id, e)
}

// AddEntry adds (or replaces) the identity id from a prepared entry.
func (x *Index) AddEntry(id string, e *Entry) error {
	if id == "" {
		return fmt.Errorf("index add: empty id")
	}
	if e.empty() {
		return fmt.Errorf("index add %s: the entry holds no template", id)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.slot[id]
	if !ok {
		i = len(x.ids)
		x.ids = append(x.ids, id)
		for p := range x.fprep {
			x.fraw[p] = append(x.fraw[p], nil)
			x.fprep[p] = append(x.fprep[p], atomic.Pointer[finger.Prepared]{})
			x.fkeys[p].grow()
		}
		for e := range x.eye {
			x.eye[e] = append(x.eye[e], nil)
		}
		x.slot[id] = i
		x.live++
	}
	for p := range x.fprep {
		x.fraw[p][i] = e.fingers[p]
		x.fkeys[p].set(i, e.keys[p])
		x.fprep[p][i].Store(nil)
	}
	for k := range x.eye {
		x.eye[k][i] = e.irises[k]
	}
	return nil
}

// Remove drops the identity id; it reports whether it was held.
func (x *Index) Remove(id string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.slot[id]
	if !ok {
		return false
	}
	delete(x.slot, id)
	x.ids[i] = ""
	for p := range x.fprep {
		x.fraw[p][i] = nil
		x.fkeys[p].set(i, nil)
		x.fprep[p][i].Store(nil)
	}
	for e := range x.eye {
		x.eye[e][i] = nil
	}
	x.live--
	return true
}

// Options tune a search; the zero value takes the defaults.
type Options struct {
	// ShortList is how many identities the first stage passes to the full
	// matchers (DefaultShortList when 0).
	ShortList int
	// Workers is the number of goroutines (GOMAXPROCS when 0).
	Workers int
	// FingerList is how many of the short list, best by iris, the finger
	// matcher scores when the probe has irises (DefaultFingerList when 0).
	FingerList int
	// Discount is subtracted from each modality's −log10 FMR before
	// fusion (DefaultDiscount when 0; negative for none).
	Discount float64
	// Exclude is an identity never returned (the probe's own entry when an
	// enrollment already in the gallery is searched again).
	Exclude string
}

// Search defaults.
const (
	// DefaultShortList is the first stage's short-list length.
	DefaultShortList = 100
	// DefaultFingerList is how many short-listed identities get the
	// finger matcher when the probe has irises.
	DefaultFingerList = 20
	// DefaultDiscount makes fusion robust to engines whose impostor scores
	// run higher than their calibration on some population (measured:
	// different synthetic fingers score up to 5 where real FVC2002
	// impostors stay under 3). A discounted score is a conservative
	// −log10 FMR: under a calibrated engine P(max(0, s−δ) ≥ x) = 10^−(x+δ),
	// so Fisher's combination of them still bounds the false match rate.
	DefaultDiscount = 1.5
)

// Candidate is one gallery identity scored by the full matchers.
type Candidate struct {
	// ID is the identity's id in the index.
	ID string `json:"id"`
	// Score is the fused score: −log10 of the probability that a different
	// person reaches these per-modality scores together (see Fuse).
	Score float64 `json:"score"`
	// Fingers[p-1] is finger position p's score (−log10 FMR, after cohort
	// normalisation: see cohortNormalise), NaN when the finger was not
	// compared (absent on one side).
	Fingers [Fingers]float64 `json:"-"`
	// Irises[e] is eye e's score (−log10 FMR), NaN when not compared.
	Irises [Eyes]float64 `json:"-"`
	// Compared is the number of modalities fused.
	Compared int `json:"compared"`
	// Coarse is the first stage's score (a sum of z-scores).
	Coarse float64 `json:"coarse"`
}

// maxModalityScore caps one modality's −log10 FMR so that no single
// comparison can carry a fused score alone beyond any useful threshold.
const maxModalityScore = 30

// Search compares the probe with every identity and returns the short list
// scored by the full matchers, best first.
func (x *Index) Search(probe *Record, o Options) []Candidate {
	if o.ShortList <= 0 {
		o.ShortList = DefaultShortList
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.FingerList <= 0 {
		o.FingerList = DefaultFingerList
	}
	if o.Discount == 0 {
		o.Discount = DefaultDiscount
	}
	o.Discount = max(0, o.Discount)
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	if n == 0 {
		return nil
	}
	short := x.firstStage(probe, o, n)
	return x.fullStage(probe, short, o)
}

// Memory of the finger first stage: FingerKeyBytes a key, FingerSlotBytes
// a finger position of an identity (where its keys start and how many).
const (
	FingerKeyBytes  = 2
	FingerSlotBytes = 5
)

// FingerKeys returns the number of first-stage keys held for the gallery's
// fingers and the number of fingers holding any.
func (x *Index) FingerKeys() (keys, fingers int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for p := range x.fkeys {
		for _, n := range x.fkeys[p].n {
			if n > 0 {
				keys += int(n)
				fingers++
			}
		}
	}
	return keys, fingers
}

// ShortList returns the ids the first stage passes to the full matchers,
// best first: what Search scores, without scoring it (for measuring the
// first stage's recall).
func (x *Index) ShortList(probe *Record, o Options) []string {
	if o.ShortList <= 0 {
		o.ShortList = DefaultShortList
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.ids) == 0 {
		return nil
	}
	short := x.firstStage(probe, o, len(x.ids))
	ids := make([]string, len(short))
	for j, s := range short {
		ids[j] = x.ids[s.i]
	}
	return ids
}

// firstStage returns the slots of the ShortList best identities by the sum
// of per-modality z-scores of the coarse comparisons.
func (x *Index) firstStage(probe *Record, o Options, n int) []scored {
	total := make([]float32, n)
	raw := make([]float32, n)
	hits := make([]uint8, n)
	for p, t := range probe.Fingers {
		if t == nil || len(t.Minutiae) == 0 {
			continue
		}
		fp := newFingerProbe(t)
		keys := &x.fkeys[p]
		// Count every gallery finger's hits, and over the gallery the rate
		// at which keys hit (the chance rate: nearly all are strangers).
		var sumHits, sumKeys atomic.Int64
		parallel(n, o.Workers, func(_, lo, hi int) {
			var h, k int64
			for i := lo; i < hi; i++ {
				g := keys.get(i)
				c := fp.hits(g)
				hits[i] = uint8(c)
				h, k = h+int64(c), k+int64(len(g))
			}
			sumHits.Add(h)
			sumKeys.Add(k)
		})
		if sumKeys.Load() == 0 {
			continue
		}
		chance := float64(sumHits.Load()) / float64(sumKeys.Load())
		x.modality(n, o.Workers, raw, total, func(i int) (float32, bool) {
			if keys.n[i] == 0 {
				return 0, false
			}
			return fingerScore(int(hits[i]), int(keys.n[i]), chance), true
		})
	}
	for e, t := range probe.Irises {
		if t == nil {
			continue
		}
		ip := newIrisProbe(t)
		eyes := x.eye[e]
		x.modality(n, o.Workers, raw, total, func(i int) (float32, bool) {
			if eyes[i] == nil {
				return 0, false
			}
			return float32(-ip.distance(eyes[i])), true
		})
	}
	// Keep the best ShortList slots.
	k := min(o.ShortList, x.live)
	best := make([]scored, 0, k+1)
	for i, s := range total {
		if x.ids[i] == "" || x.ids[i] == o.Exclude {
			continue
		}
		if len(best) == k && s <= best[k-1].s {
			continue
		}
		j := len(best)
		if j < k {
			best = append(best, scored{})
		} else {
			j--
		}
		for j > 0 && best[j-1].s < s {
			best[j] = best[j-1]
			j--
		}
		best[j] = scored{i, s}
	}
	return best
}

type scored struct {
	i int
	s float32
}

// modality scores every slot with f, then adds each present slot's z-score
// (against this search's own mean and spread over the gallery) to total.
func (x *Index) modality(n, workers int, raw, total []float32, f func(i int) (float32, bool)) {
	type acc struct{ sum, sq, cnt float64 }
	accs := make([]acc, workers)
	present := make([]bool, n)
	parallel(n, workers, func(w, lo, hi int) {
		var b acc
		for i := lo; i < hi; i++ {
			s, ok := f(i)
			raw[i], present[i] = s, ok
			if ok {
				b.sum += float64(s)
				b.sq += float64(s) * float64(s)
				b.cnt++
			}
		}
		accs[w] = b
	})
	// Summed in worker order, so that a search is deterministic.
	var a acc
	for _, b := range accs {
		a.sum, a.sq, a.cnt = a.sum+b.sum, a.sq+b.sq, a.cnt+b.cnt
	}
	if a.cnt < 2 {
		return
	}
	mean := a.sum / a.cnt
	sd := math.Sqrt(max(a.sq/a.cnt-mean*mean, 1e-12))
	for i := range raw {
		if present[i] {
			total[i] += float32((float64(raw[i]) - mean) / sd)
		}
	}
}

// parallel runs f over [0, n) split into one contiguous range per worker
// w < workers.
func parallel(n, workers int, f func(w, lo, hi int)) {
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w*chunk < n; w++ {
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			f(w, lo, hi)
		}(w, w*chunk, min(n, (w+1)*chunk))
	}
	wg.Wait()
}

// prepared returns the prepared form of finger position p of slot i,
// making it on first use (nil when absent or undecodable).
func (x *Index) prepared(p, i int) *finger.Prepared {
	if g := x.fprep[p][i].Load(); g != nil {
		return g
	}
	raw := x.fraw[p][i]
	if raw == nil {
		return nil
	}
	var t finger.Template
	if t.UnmarshalBinary(raw) != nil {
		return nil
	}
	g := finger.Prepare(&t)
	x.fprep[p][i].CompareAndSwap(nil, g)
	return x.fprep[p][i].Load()
}

// fullStage scores the short list with the engines' matchers and fuses:
// first the irises of every short-listed identity (microseconds each),
// then, when the probe has irises, the fingers of the FingerList best by
// iris and first-stage score (the finger matcher costs a hundred times
// more), else the fingers of all.
func (x *Index) fullStage(probe *Record, short []scored, o Options) []Candidate {
	out := make([]Candidate, len(short))
	for j := range out {
		c := &out[j]
		c.ID, c.Coarse = x.ids[short[j].i], float64(short[j].s)
		for p := range c.Fingers {
			c.Fingers[p] = math.NaN()
		}
		c.Irises = [Eyes]float64{math.NaN(), math.NaN()}
	}
	irisProbe := false
	for e, t := range probe.Irises {
		if t == nil {
			continue
		}
		irisProbe = true
		ip := iris.NewProbe(t, iris.DefaultShifts)
		for j := range out {
			if g := x.eye[e][short[j].i]; g != nil {
				out[j].Irises[e] = IrisScore(ip.Compare(g).Distance)
			}
		}
	}
	order := make([]int, len(out))
	for j := range order {
		order[j] = j
	}
	nf := len(out)
	if irisProbe {
		for j := range out {
			out[j].Score = x.fuse(&out[j], o.Discount)
		}
		sort.SliceStable(order, func(a, b int) bool {
			ca, cb := &out[order[a]], &out[order[b]]
			if ca.Score != cb.Score {
				return ca.Score > cb.Score
			}
			return ca.Coarse > cb.Coarse
		})
		nf = min(nf, o.FingerList)
	}
	next := make(chan int, nf)
	for _, j := range order[:nf] {
		next <- j
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var fp [Fingers]*finger.Probe
			for j := range next {
				i := short[j].i
				for p, t := range probe.Fingers {
					if t == nil || len(t.Minutiae) == 0 {
						continue
					}
					g := x.prepared(p, i)
					if g == nil {
						continue
					}
					if fp[p] == nil {
						fp[p] = finger.NewProbe(t)
					}
					out[j].Fingers[p] = min(maxModalityScore, max(0, fp[p].Score(g)))
				}
			}
		}()
	}
	wg.Wait()
	cohortNormalise(out)
	for j := range out {
		out[j].Score = x.fuse(&out[j], o.Discount)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
}

// Cohort normalisation of the finger scores. The finger engine's scores
// are calibrated on one population (FVC2002 impostors: the median impostor
// scores −log10 0.5 ≈ 0.30). On a population where its impostors score
// higher (measured: the synthetic-image fingers, whose impostors have a
// median near 2 and reach 6.8), every score of that population is shifted
// down by the excess its own impostors show: per finger position, the
// median score of the short-listed identities compared there — strangers
// to the probe but for at most a few mates, whom the median ignores — minus
// the calibrated median. A probe from the calibrated population keeps its
// scores.
const (
	// calibratedImpostorMedian is the median impostor finger score of a
	// calibrated engine.
	calibratedImpostorMedian = 0.30103
	// minCohort is the fewest compared identities that estimate a median.
	minCohort = 8
)

// cohortNormalise shifts each finger position's scores by its cohort's
// excess over the calibrated impostor median.
func cohortNormalise(out []Candidate) {
	var cohort []float64
	for p := 0; p < Fingers; p++ {
		cohort = cohort[:0]
		for j := range out {
			if v := out[j].Fingers[p]; !math.IsNaN(v) {
				cohort = append(cohort, v)
			}
		}
		if len(cohort) < minCohort {
			continue
		}
		sort.Float64s(cohort)
		excess := cohort[len(cohort)/2] - calibratedImpostorMedian
		if excess <= 0 {
			continue
		}
		for j := range out {
			if v := out[j].Fingers[p]; !math.IsNaN(v) {
				out[j].Fingers[p] = max(0, v-excess)
			}
		}
	}
}

// fuse fuses a candidate's compared modalities, each discounted first.
func (x *Index) fuse(c *Candidate, discount float64) float64 {
	var s []float64
	for _, v := range c.Fingers {
		if !math.IsNaN(v) {
			s = append(s, max(0, v-discount))
		}
	}
	for _, v := range c.Irises {
		if !math.IsNaN(v) {
			s = append(s, max(0, v-discount))
		}
	}
	c.Compared = len(s)
	return Fuse(s)
}

// IrisScore turns an iris distance into the fusion's scale: −log10 of the
// iris engine's modelled false match rate, capped.
func IrisScore(distance float64) float64 {
	fmr := iris.FalseMatchRate(distance)
	if fmr <= 0 {
		return maxModalityScore
	}
	return min(maxModalityScore, max(0, -math.Log10(fmr)))
}

// Fuse combines per-modality scores, each −log10 of a false match rate,
// into one: −log10 of the probability that k independent comparisons of
// different people reach a product of rates this small (Fisher's method:
// with x = Σ −ln p, that probability is e^−x · Σ_{i<k} x^i/i!). Fusing
// more modalities therefore does not inflate the score of a stranger, and
// a fused score reads on the same scale as each engine's: a score s is
// reached by a different person once in 10^s comparisons.
func Fuse(scores []float64) float64 {
	k := len(scores)
	if k == 0 {
		return 0
	}
	x := 0.0
	for _, s := range scores {
		x += s * math.Ln10
	}
	// log of Σ_{i<k} x^i/i!, summed in the log domain.
	term, sum := 0.0, 1.0 // i = 0
	lx := math.Log(x)
	logSum := 0.0
	if x > 0 {
		for i := 1; i < k; i++ {
			term += lx - math.Log(float64(i))
			sum += math.Exp(term - logSum)
			// Renormalise to keep sum near 1.
			if sum > 1e100 {
				logSum += math.Log(sum)
				sum = 1
			}
		}
	}
	lnP := -x + logSum + math.Log(sum)
	return max(0, -lnP/math.Ln10)
}

// RemoveIf drops every identity whose id satisfies drop and returns how
// many it dropped.
func (x *Index) RemoveIf(drop func(id string) bool) int {
	x.mu.Lock()
	var ids []string
	for id := range x.slot {
		if drop(id) {
			ids = append(ids, id)
		}
	}
	x.mu.Unlock()
	n := 0
	for _, id := range ids {
		if x.Remove(id) {
			n++
		}
	}
	return n
}
