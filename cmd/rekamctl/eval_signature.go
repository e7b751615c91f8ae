package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/rekam-ktp/rekam/biometric/signature"
)

func init() {
	register(&command{path: "eval signature", summary: "evaluate signature verification on an SVC2004 Task 2 folder", run: runEvalSignature})
}

// sigEvalReport is the result of `rekamctl eval signature`.
type sigEvalReport struct {
	Set             string  `json:"set"`
	Users           int     `json:"users"`
	Genuine         int     `json:"genuine_trials"`
	Skilled         int     `json:"skilled_trials"`
	Random          int     `json:"random_trials"`
	EERSkilled      float64 `json:"eer_skilled"`
	EERRandom       float64 `json:"eer_random"`
	ThrSkilled      float64 `json:"threshold_skilled"`
	ThrRandom       float64 `json:"threshold_random"`
	DefaultThr      float64 `json:"default_threshold"`
	FRRDefault      float64 `json:"frr_at_default"`
	FARSkilledDef   float64 `json:"far_skilled_at_default"`
	FARRandomDef    float64 `json:"far_random_at_default"`
	CompareMSMedian float64 `json:"compare_ms_median"`
}

func runEvalSignature(cx *context, args []string) int {
	fs, c := newFlags(cx, "eval signature")
	maxUsers := fs.Int("users", 0, "evaluate only the first N users (0 = all)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		return failf(cx, exitUsage, "eval signature: want one folder of U<u>S<s>.TXT files")
	}
	dir := fs.Arg(0)
	users, err := sigUsers(dir)
	if err != nil {
		return failf(cx, exitUsage, "eval signature: %v", err)
	}
	if *maxUsers > 0 && *maxUsers < len(users) {
		users = users[:*maxUsers]
	}
	if len(users) < 2 {
		return failf(cx, exitUsage, "eval signature: %s: need at least 2 users, found %d", dir, len(users))
	}
	load := func(u, s int) (*signature.Signature, error) {
		p := filepath.Join(dir, fmt.Sprintf("U%dS%d.TXT", u, s))
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sig, err := signature.ParseSVC(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return sig, nil
	}
	sigs := map[[2]int]*signature.Signature{}
	for _, u := range users {
		for s := 1; s <= 40; s++ {
			sig, err := load(u, s)
			if err != nil {
				return failf(cx, exitUsage, "eval signature: %v", err)
			}
			sigs[[2]int{u, s}] = sig
		}
	}
	var gen, skilled, random, ms []float64
	score := func(t *signature.Template, sig *signature.Signature) (float64, error) {
		t0 := time.Now()
		v, err := t.Score(sig)
		ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
		return v, err
	}
	for _, u := range users {
		refs := make([]*signature.Signature, 0, 5)
		for s := 1; s <= 5; s++ {
			refs = append(refs, sigs[[2]int{u, s}])
		}
		t, err := signature.Enroll(refs)
		if err != nil {
			return failf(cx, exitUsage, "eval signature: user %d: %v", u, err)
		}
		trials := []sigTrials{{&gen, u, 6, 20}, {&skilled, u, 21, 40}}
		for _, o := range users {
			if o != u {
				// random forgery: another user's first test genuine
				trials = append(trials, sigTrials{&random, o, 6, 6})
			}
		}
		for _, tr := range trials {
			for s := tr.from; s <= tr.to; s++ {
				v, err := score(t, sigs[[2]int{tr.user, s}])
				if err != nil {
					return failf(cx, exitUsage, "eval signature: user %d vs U%dS%d: %v", u, tr.user, s, err)
				}
				*tr.dst = append(*tr.dst, v)
			}
		}
	}
	r := sigEvalReport{Set: filepath.Base(filepath.Clean(dir)), Users: len(users),
		Genuine: len(gen), Skilled: len(skilled), Random: len(random), DefaultThr: signature.DefaultThreshold}
	r.EERSkilled, r.ThrSkilled = sigEER(gen, skilled)
	r.EERRandom, r.ThrRandom = sigEER(gen, random)
	r.FRRDefault = sigFraction(gen, func(v float64) bool { return v > r.DefaultThr })
	r.FARSkilledDef = sigFraction(skilled, func(v float64) bool { return v <= r.DefaultThr })
	r.FARRandomDef = sigFraction(random, func(v float64) bool { return v <= r.DefaultThr })
	sort.Float64s(ms)
	r.CompareMSMedian = ms[len(ms)/2]
	if c.jsonOut {
		if err := emitJSON(cx, r); err != nil {
			return failf(cx, exitUsage, "eval signature: %v", err)
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "set %s: %d users, %d genuine / %d skilled / %d random trials\n", r.Set, r.Users, r.Genuine, r.Skilled, r.Random)
	fmt.Fprintf(cx.stdout, "EER skilled %.2f%% (threshold %.3f), random %.2f%% (threshold %.3f)\n", 100*r.EERSkilled, r.ThrSkilled, 100*r.EERRandom, r.ThrRandom)
	fmt.Fprintf(cx.stdout, "at default threshold %.3f: FRR %.2f%%, FAR skilled %.2f%%, FAR random %.2f%%\n", r.DefaultThr, 100*r.FRRDefault, 100*r.FARSkilledDef, 100*r.FARRandomDef)
	fmt.Fprintf(cx.stdout, "compare (one signature vs 5 references) median %.3f ms\n", r.CompareMSMedian)
	return exitOK
}

// sigTrials is a run of SVC files U<user>S<from..to> whose scores go to dst.
type sigTrials struct {
	dst      *[]float64
	user     int
	from, to int
}

// sigUsers lists the user numbers u that have a file U<u>S1.TXT in dir.
func sigUsers(dir string) ([]int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var us []int
	for _, e := range ents {
		var u int
		if n, _ := fmt.Sscanf(e.Name(), "U%dS1.TXT", &u); n == 1 && e.Name() == fmt.Sprintf("U%dS1.TXT", u) {
			us = append(us, u)
		}
	}
	sort.Ints(us)
	return us, nil
}

// sigFraction returns the fraction of v for which f holds.
func sigFraction(v []float64, f func(float64) bool) float64 {
	if len(v) == 0 {
		return 0
	}
	n := 0
	for _, x := range v {
		if f(x) {
			n++
		}
	}
	return float64(n) / float64(len(v))
}

// sigEER returns the equal error rate of distance scores (lower = genuine)
// and the threshold where it occurs: the threshold minimising |FRR − FAR|,
// the rate being their mean there. One global threshold serves every user.
func sigEER(genuine, impostor []float64) (eer, threshold float64) {
	if len(genuine) == 0 || len(impostor) == 0 {
		return math.NaN(), math.NaN()
	}
	g := append([]float64(nil), genuine...)
	im := append([]float64(nil), impostor...)
	sort.Float64s(g)
	sort.Float64s(im)
	cands := append(append([]float64{math.Inf(-1)}, g...), im...)
	sort.Float64s(cands)
	best := math.Inf(1)
	for _, th := range cands {
		// FRR = genuine above th; FAR = impostors at or below th
		frr := float64(len(g)-sort.Search(len(g), func(i int) bool { return g[i] > th })) / float64(len(g))
		far := float64(sort.Search(len(im), func(i int) bool { return im[i] > th })) / float64(len(im))
		if d := math.Abs(frr - far); d < best {
			best, eer, threshold = d, (frr+far)/2, th
		}
	}
	return eer, threshold
}
