package index

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

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
	// Per finger position, per slot: the prepared template (nil when
	// absent) and its first-stage code.
	fprep [Fingers][]*finger.Prepared
	fcode [Fingers][]fcode
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
	if id == "" {
		return fmt.Errorf("index add: empty id")
	}
	if f, e := r.Modalities(); f+e == 0 {
		return fmt.Errorf("index add %s: the record holds no template", id)
	}
	var prep [Fingers]*finger.Prepared
	var codes [Fingers]fcode
	for p, t := range r.Fingers {
		if t != nil && len(t.Minutiae) > 0 {
			prep[p], codes[p] = finger.Prepare(t), fingerCode(t)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.slot[id]
	if !ok {
		i = len(x.ids)
		x.ids = append(x.ids, id)
		for p := range x.fprep {
			x.fprep[p] = append(x.fprep[p], nil)
			x.fcode[p] = append(x.fcode[p], fcode{})
		}
		for e := range x.eye {
			x.eye[e] = append(x.eye[e], nil)
		}
		x.slot[id] = i
		x.live++
	}
	for p := range x.fprep {
		x.fprep[p][i], x.fcode[p][i] = prep[p], codes[p]
	}
	for e := range x.eye {
		x.eye[e][i] = r.Irises[e]
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
		x.fprep[p][i], x.fcode[p][i] = nil, fcode{}
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
	// Exclude is an identity never returned (the probe's own entry when an
	// enrollment already in the gallery is searched again).
	Exclude string
}

// DefaultShortList is the first stage's default short-list length.
const DefaultShortList = 100

// Candidate is one gallery identity scored by the full matchers.
type Candidate struct {
	// ID is the identity's id in the index.
	ID string `json:"id"`
	// Score is the fused score: −log10 of the probability that a different
	// person reaches these per-modality scores together (see Fuse).
	Score float64 `json:"score"`
	// Fingers[p-1] is finger position p's score (−log10 FMR), NaN when the
	// finger was not compared (absent on one side).
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
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	if n == 0 {
		return nil
	}
	short := x.firstStage(probe, o, n)
	return x.fullStage(probe, short, o)
}

// firstStage returns the slots of the ShortList best identities by the sum
// of per-modality z-scores of the coarse comparisons.
func (x *Index) firstStage(probe *Record, o Options, n int) []scored {
	total := make([]float32, n)
	raw := make([]float32, n)
	var fc [Fingers]fcode
	for p, t := range probe.Fingers {
		if t != nil && len(t.Minutiae) > 0 {
			fc[p] = fingerCode(t)
		}
	}
	for p := range fc {
		if fc[p].empty() {
			continue
		}
		codes := x.fcode[p]
		x.modality(n, o.Workers, raw, total, func(i int) (float32, bool) {
			if codes[i].empty() {
				return 0, false
			}
			return float32(fc[p].shared(&codes[i])), true
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
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			var a acc
			for i := lo; i < hi; i++ {
				s, ok := f(i)
				raw[i], present[i] = s, ok
				if ok {
					a.sum += float64(s)
					a.sq += float64(s) * float64(s)
					a.cnt++
				}
			}
			accs[w] = a
		}(w, lo, hi)
	}
	wg.Wait()
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

// fullStage scores the short list with the engines' matchers and fuses.
func (x *Index) fullStage(probe *Record, short []scored, o Options) []Candidate {
	out := make([]Candidate, len(short))
	var wg sync.WaitGroup
	next := make(chan int, len(short))
	for j := range short {
		next <- j
	}
	close(next)
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var fp [Fingers]*finger.Probe
			var ip [Eyes]*iris.Probe
			for j := range next {
				i := short[j].i
				c := Candidate{ID: x.ids[i], Coarse: float64(short[j].s)}
				var scores []float64
				for p, t := range probe.Fingers {
					c.Fingers[p] = math.NaN()
					g := x.fprep[p][i]
					if t == nil || len(t.Minutiae) == 0 || g == nil {
						continue
					}
					if fp[p] == nil {
						fp[p] = finger.NewProbe(t)
					}
					s := min(maxModalityScore, max(0, fp[p].Score(g)))
					c.Fingers[p] = s
					scores = append(scores, s)
				}
				for e, t := range probe.Irises {
					c.Irises[e] = math.NaN()
					g := x.eye[e][i]
					if t == nil || g == nil {
						continue
					}
					if ip[e] == nil {
						ip[e] = iris.NewProbe(t, iris.DefaultShifts)
					}
					s := IrisScore(ip[e].Compare(g).Distance)
					c.Irises[e] = s
					scores = append(scores, s)
				}
				c.Compared = len(scores)
				c.Score = Fuse(scores)
				out[j] = c
			}
		}()
	}
	wg.Wait()
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
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
