package iris

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveDistance is the rotation search without bit slicing or early exit.
func naiveDistance(a, b *Template, maxShift int) float64 {
	best := 0.5
	for s := -maxShift; s <= maxShift; s++ {
		r := a.rotated(s)
		d, n := 0, 0
		for i := 0; i < CodeRows*CodeCols; i++ {
			if !bit(r.Mask[:], i) || !bit(b.Mask[:], i) {
				continue
			}
			n += 2
			if bit(r.Real[:], i) != bit(b.Real[:], i) {
				d++
			}
			if bit(r.Imag[:], i) != bit(b.Imag[:], i) {
				d++
			}
		}
		best = math.Min(best, normalise(d, n))
	}
	return best
}

// noisyCopy flips each bit of t with probability p and masks a random band.
func noisyCopy(r *rand.Rand, t *Template, p float64) *Template {
	c := *t
	for i := 0; i < CodeRows*CodeCols; i++ {
		if r.Float64() < p {
			c.Real[i>>6] ^= 1 << (i & 63)
		}
		if r.Float64() < p {
			c.Imag[i>>6] ^= 1 << (i & 63)
		}
	}
	w := r.IntN(planeWords)
	c.Mask[w] = 0
	return &c
}

func TestCompareMatchesNaiveSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	random := func() *Template {
		var tp Template
		for i := range tp.Real {
			tp.Real[i], tp.Imag[i], tp.Mask[i] = r.Uint64(), r.Uint64(), r.Uint64()|r.Uint64()
		}
		return &tp
	}
	for trial := 0; trial < 20; trial++ {
		a := random()
		var b *Template
		if trial%2 == 0 {
			rot := a.rotated(trial%7 - 3)
			b = noisyCopy(r, &rot, 0.1+0.02*float64(trial%5)) // same eye
		} else {
			b = random() // different eye
		}
		want := naiveDistance(a, b, DefaultShifts)
		p := NewProbe(a, DefaultShifts)
		if got := p.Compare(b).Distance; math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: Compare %.6f, naive %.6f", trial, got, want)
		}
		for _, bound := range []float64{0.2, 0.35, want + 1e-9} {
			got, ok := p.CompareBelow(b, bound)
			if ok != (want < bound) || ok && math.Abs(got.Distance-want) > 1e-12 {
				t.Fatalf("trial %d bound %.3f: %+v ok %v, naive %.6f", trial, bound, got, ok, want)
			}
		}
	}
}

// searchGallery is n random templates sharing a realistic occlusion mask
// (upper rows of the upper half masked), with a noisy rotated copy of the
// probe's eye at index n/2.
func searchGallery(n int) (*Template, []Template) {
	r := rand.New(rand.NewPCG(11, 12))
	random := func() Template {
		var tp Template
		for i := range tp.Real {
			tp.Real[i], tp.Imag[i] = r.Uint64(), r.Uint64()
			tp.Mask[i] = ^uint64(0)
			if i%rowWords == 1 && i >= planeWords/2 {
				tp.Mask[i] = 0
			}
		}
		return tp
	}
	probe := random()
	g := make([]Template, n)
	for i := range g {
		g[i] = random()
	}
	mate := probe.rotated(3)
	g[n/2] = *noisyCopy(r, &mate, 0.12)
	return &probe, g
}

func TestSearchFindsMate(t *testing.T) {
	probe, g := searchGallery(200)
	p := NewProbe(probe, DefaultShifts)
	best, at := ThresholdFMR1e6, -1
	for i := range g {
		if sc, ok := p.CompareBelow(&g[i], best); ok {
			best, at = sc.Distance, i
		}
	}
	if at != len(g)/2 {
		t.Fatalf("best candidate %d at %.3f, want the mate at %d", at, best, len(g)/2)
	}
}

// BenchmarkSearch1N compares one probe with a 1,000-template gallery, once
// exhaustively and once with the early exit bounded by the decision
// threshold and then the best candidate so far.
func BenchmarkSearch1N(b *testing.B) {
	probe, g := searchGallery(1000)
	p := NewProbe(probe, DefaultShifts)
	b.Run("exhaustive", func(b *testing.B) {
		for b.Loop() {
			for i := range g {
				p.Compare(&g[i])
			}
		}
		b.ReportMetric(float64(b.N*len(g))/b.Elapsed().Seconds(), "pairs/s")
	})
	b.Run("early-exit", func(b *testing.B) {
		for b.Loop() {
			best := ThresholdFMR1e6
			for i := range g {
				if sc, ok := p.CompareBelow(&g[i], best); ok {
					best = sc.Distance
				}
			}
		}
		b.ReportMetric(float64(b.N*len(g))/b.Elapsed().Seconds(), "pairs/s")
	})
}
