package iris

import (
	"math"
	"math/bits"
)

func popcount(w uint64) int { return bits.OnesCount64(w) }

// DefaultShifts is the rotation search: ±8 columns (±11.25°).
const DefaultShifts = 8

// NormBits is the number of compared bits at which Daugman's normalisation
// leaves a distance unchanged: HDnorm = 0.5 − (0.5 − HDraw)·√(n/NormBits).
// Daugman used 911 of 2048 bits (44%); we keep the same share of our code.
const NormBits = CodeBits * 911 / 2048

// Score is the result of one template comparison.
type Score struct {
	// Distance is the normalised fractional Hamming distance: ≈0.46 for
	// different eyes after the rotation search, near 0 for the same eye
	// (slightly below 0 for near-identical codes with more than NormBits
	// valid bits, as Daugman's rule extrapolates).
	Distance float64
	// Raw is the masked fractional Hamming distance before normalisation.
	Raw float64
	// Bits is the number of bits compared at the best shift.
	Bits int
	// Shift is the best rotation, in columns.
	Shift int
}

// Probe is a template prepared for many comparisons: its code and mask
// rotated once for every shift of the search, so a comparison is pure
// XOR/AND/popcount over 64-bit words.
type Probe struct {
	shift []int
	rot   []Template
	// remain[s][w] is the number of valid probe bits in words w.. of shift s:
	// the most bits a comparison can still add, for the early exit.
	remain [][planeWords + 1]int32
}

// NewProbe prepares t for comparisons with rotations −maxShift..+maxShift
// columns, tried in the order 0, +1, −1, +2, … so that a good alignment is
// found early.
func NewProbe(t *Template, maxShift int) *Probe {
	p := &Probe{}
	for k := 0; k <= 2*maxShift; k++ {
		s := (k + 1) / 2
		if k%2 == 0 {
			s = -s
		}
		rt := t.rotated(s)
		p.shift = append(p.shift, s)
		p.rot = append(p.rot, rt)
		var rem [planeWords + 1]int32
		for w := planeWords - 1; w >= 0; w-- {
			rem[w] = rem[w+1] + 2*int32(popcount(rt.Mask[w]))
		}
		p.remain = append(p.remain, rem)
	}
	return p
}

// Compare returns the minimum normalised distance over the rotation search.
func (p *Probe) Compare(g *Template) Score {
	sc, _ := p.CompareBelow(g, math.Inf(1))
	return sc
}

// normalise applies Daugman's rule for n compared bits with d disagreeing.
func normalise(d, n int) float64 {
	if n == 0 {
		return 0.5
	}
	raw := float64(d) / float64(n)
	return 0.5 - (0.5-raw)*math.Sqrt(float64(n)/NormBits)
}

// cannotBeat reports whether a comparison with d disagreements among n bits
// so far, and at most rem more bits to compare, can no longer get a
// normalised distance below the one whose margin is c = (0.5−best)²·NormBits
// (best < 0.5). The normalised distance falls as agreeing bits are added,
// so the bound is at N = n+rem with no more disagreements:
// 0.5 − (0.5N − d)/√(N·NormBits) ≥ best ⇔ (0.5N − d)² ≤ c·N when 0.5N > d.
// Squaring avoids a square root in the inner loop.
func cannotBeat(d, n, rem int, c float64) bool {
	N := float64(n + rem)
	gap := 0.5*N - float64(d)
	return gap <= 0 || gap*gap <= c*N
}

// CompareBelow is Compare with an early exit: a shift is abandoned as soon
// as it cannot beat the best distance so far, which starts at bound. ok is
// false when no shift got below bound; the Score is then Distance 0.5 with
// no bits compared. Use it for 1:N search with the best candidate's
// distance, or a decision threshold, as the bound.
func (p *Probe) CompareBelow(g *Template, bound float64) (Score, bool) {
	best := Score{Distance: 0.5, Raw: 0.5}
	bestD := bound
	margin := func(b float64) float64 { // (0.5−b)²·NormBits, or −1 for no bound
		if b >= 0.5 {
			return -1
		}
		return (0.5 - b) * (0.5 - b) * NormBits
	}
	c := margin(bestD)
	for k := range p.shift {
		pt, rem := &p.rot[k], &p.remain[k]
		d, n := 0, 0
		abandoned := false
		// Four chunks of a quarter of the code; after each of the first
		// three, give up if even perfect agreement on the rest would not
		// beat the best so far.
		for w := 0; w < planeWords; w += chunkWords {
			ar := (*[chunkWords]uint64)(pt.Real[w : w+chunkWords])
			ai := (*[chunkWords]uint64)(pt.Imag[w : w+chunkWords])
			am := (*[chunkWords]uint64)(pt.Mask[w : w+chunkWords])
			br := (*[chunkWords]uint64)(g.Real[w : w+chunkWords])
			bi := (*[chunkWords]uint64)(g.Imag[w : w+chunkWords])
			bm := (*[chunkWords]uint64)(g.Mask[w : w+chunkWords])
			for i := 0; i < chunkWords; i++ {
				m := am[i] & bm[i]
				d += bits.OnesCount64((ar[i]^br[i])&m) + bits.OnesCount64((ai[i]^bi[i])&m)
				n += 2 * bits.OnesCount64(m)
			}
			if c >= 0 && w+chunkWords < planeWords && cannotBeat(d, n, int(rem[w+chunkWords]), c) {
				abandoned = true
				break
			}
		}
		if abandoned {
			continue
		}
		if dist := normalise(d, n); dist < bestD {
			bestD, c = dist, margin(dist)
			raw := 0.5
			if n > 0 {
				raw = float64(d) / float64(n)
			}
			best = Score{Distance: dist, Raw: raw, Bits: n, Shift: p.shift[k]}
		}
	}
	return best, bestD < bound
}

// chunkWords is the early-exit granularity of CompareBelow.
const chunkWords = planeWords / 4

// HammingDistance compares two templates with the default rotation search.
func HammingDistance(a, b *Template) Score {
	return NewProbe(a, DefaultShifts).Compare(b)
}
