package index

import (
	"math"
	"math/bits"
	"slices"

	"github.com/rekam-ktp/rekam/biometric/finger"
)

// The first stage's finger index is geometric hashing of minutia pairs. A
// directed pair (i, j) of a minutia and one of its nearest neighbours is
// described by three numbers that rotation and translation leave alone: its
// length d, and the directions of i and of j measured from the line i→j
// (α, β). Quantised, they make a 16-bit key. The gallery stores, per
// finger, the set of keys of each minutia's few nearest neighbours (two
// bytes a pair). A probe marks, in a 2¹⁶-bit table, every key within the
// tolerance of each of its own pairs (voting over the neighbouring bins, so
// a value near a bin edge still meets its mate) and takes more neighbours
// per minutia than the gallery, so that a spurious or missing minutia that
// reorders the neighbours seldom loses the pair. A gallery finger's hits
// are its keys found in the probe's table; two impressions of one finger
// share many pairs, a different finger only the chance rate of the table,
// which each search measures over the gallery (see fingerScore).
const (
	// pairsGallery is the neighbours per minutia kept in the gallery.
	pairsGallery = 4
	// pairsProbe is the neighbours per minutia a probe looks up.
	pairsProbe = 6
	// pairMinDist drops pairs closer than this (pixels at 500 dpi): their
	// line direction is noise.
	pairMinDist = 8.0
	// pairDistStep is the width of a length bin; lengths from 0 to
	// pairDistBins·pairDistStep are kept.
	pairDistStep = 8.0
	pairDistBins = 16
	// pairAngleBins is the number of bins of each relative angle.
	pairAngleBins = 64
	// pairDistTol and pairAngleTol are the probe's tolerances, in bins:
	// every bin within them of the measured value is marked.
	pairDistTol  = 1.0
	pairAngleTol = 2.0
	// maxFingerKeys bounds a gallery finger's keys (its count is a byte).
	maxFingerKeys = 255
	// probeTableWords is the size of the probe's key table in words.
	probeTableWords = 1 << 16 / 64
)

// pair is one directed minutia pair in bin units: length and the two
// relative angles.
type pair struct{ d, a, b float64 }

// fingerPairs calls fn for each minutia and each of its k nearest
// neighbours between pairMinDist and the longest kept length.
func fingerPairs(t *finger.Template, k int, fn func(p pair)) {
	m := t.Minutiae
	type nb struct {
		j int
		d int // squared distance
	}
	const lo = pairMinDist * pairMinDist
	const hi = pairDistStep * pairDistBins * pairDistStep * pairDistBins
	near := make([]nb, 0, k+1)
	const angleUnit = pairAngleBins / (2 * math.Pi)
	for i := range m {
		near = near[:0]
		for j := range m {
			if j == i {
				continue
			}
			dx, dy := m[j].X-m[i].X, m[j].Y-m[i].Y
			d := dx*dx + dy*dy
			if d < lo || d >= hi {
				continue
			}
			// Insertion into the short sorted list of nearest neighbours
			// (ties broken by index, so the result is deterministic).
			n := len(near)
			if n < k {
				near = append(near, nb{})
			} else if d >= near[n-1].d {
				continue
			} else {
				n--
			}
			for n > 0 && near[n-1].d > d {
				near[n] = near[n-1]
				n--
			}
			near[n] = nb{j, d}
		}
		for _, n := range near {
			// The line from i to j in the template's y-up angle sense.
			line := math.Atan2(-float64(m[n.j].Y-m[i].Y), float64(m[n.j].X-m[i].X))
			fn(pair{
				d: math.Sqrt(float64(n.d)) / pairDistStep,
				a: wrapTurn(m[i].Angle-line) * angleUnit,
				b: wrapTurn(m[n.j].Angle-line) * angleUnit,
			})
		}
	}
}

// wrapTurn maps an angle in radians into [0, 2π).
func wrapTurn(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	if a >= 2*math.Pi {
		a = 0
	}
	return a
}

// pairKey packs bins into a key: length in the high bits.
func pairKey(d, a, b int) uint16 {
	return uint16((d*pairAngleBins+a)*pairAngleBins + b)
}

// fingerKeys returns the gallery keys of t: sorted, without repeats, at
// most maxFingerKeys (the shortest pairs kept when there are more).
func fingerKeys(t *finger.Template) []uint16 {
	var keys []uint16
	fingerPairs(t, pairsGallery, func(p pair) {
		d := min(int(p.d), pairDistBins-1)
		keys = append(keys, pairKey(d, int(p.a)%pairAngleBins, int(p.b)%pairAngleBins))
	})
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > maxFingerKeys {
		keys = keys[:maxFingerKeys]
	}
	return slices.Clip(keys)
}

// fingerProbe is a probe finger's key table.
type fingerProbe struct {
	table [probeTableWords]uint64
}

// newFingerProbe marks every key within the tolerance of t's pairs.
func newFingerProbe(t *finger.Template) *fingerProbe {
	fp := &fingerProbe{}
	fingerPairs(t, pairsProbe, func(p pair) {
		d0 := max(0, int(math.Floor(p.d-pairDistTol)))
		d1 := min(pairDistBins-1, int(math.Floor(p.d+pairDistTol)))
		a0, a1 := int(math.Floor(p.a-pairAngleTol)), int(math.Floor(p.a+pairAngleTol))
		b0, b1 := int(math.Floor(p.b-pairAngleTol)), int(math.Floor(p.b+pairAngleTol))
		for d := d0; d <= d1; d++ {
			for a := a0; a <= a1; a++ {
				for b := b0; b <= b1; b++ {
					k := pairKey(d, (a+pairAngleBins)%pairAngleBins, (b+pairAngleBins)%pairAngleBins)
					fp.table[k/64] |= 1 << (k % 64)
				}
			}
		}
	})
	return fp
}

// hits counts the gallery keys found in the probe's table.
func (fp *fingerProbe) hits(keys []uint16) int {
	n := 0
	for _, k := range keys {
		n += int(fp.table[k/64] >> (k % 64) & 1)
	}
	return n
}

// density is the fraction of the key space the probe marks.
func (fp *fingerProbe) density() float64 {
	n := 0
	for _, w := range fp.table {
		n += bits.OnesCount64(w)
	}
	return float64(n) / (probeTableWords * 64)
}

// fingerScore is a gallery finger's first-stage score: how far its hits
// stand above chance, as a binomial z-score. chance is the rate at which a
// stranger's key meets the probe's table, measured in the same search over
// the whole gallery (most of which are strangers to the probe).
func fingerScore(hits, keys int, chance float64) float32 {
	if keys == 0 {
		return 0
	}
	n := float64(keys)
	return float32((float64(hits) - chance*n) / math.Sqrt(max(chance*(1-chance), 1e-6)*n))
}

// keyArena holds the gallery keys of one finger position, for every slot,
// in large chunks (no allocation per finger, no copying as the gallery
// grows): slot i's keys are n[i] keys from off[i], whose high bits name
// the chunk and low arenaShift bits the start in it.
type keyArena struct {
	chunks [][]uint16
	off    []uint32
	n      []uint8
	total  int // keys in the chunks
	dead   int // keys no slot refers to any more
}

// arenaShift sets the chunk size (2^arenaShift keys); a uint32 offset
// leaves 2^(32−arenaShift) chunks, 2^32 keys in all.
const arenaShift = 20

// grow adds an empty slot.
func (a *keyArena) grow() {
	a.off = append(a.off, 0)
	a.n = append(a.n, 0)
}

// set replaces slot i's keys (at most maxFingerKeys).
func (a *keyArena) set(i int, keys []uint16) {
	a.dead += int(a.n[i])
	a.off[i], a.n[i] = 0, 0
	if len(keys) == 0 {
		return
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(keys) > 1<<arenaShift {
		a.chunks = append(a.chunks, make([]uint16, 0, 1<<arenaShift))
		last++
	}
	a.off[i] = uint32(last)<<arenaShift | uint32(len(a.chunks[last]))
	a.n[i] = uint8(len(keys))
	a.chunks[last] = append(a.chunks[last], keys...)
	a.total += len(keys)
	if a.dead > 1<<16 && a.dead > a.total/2 {
		a.compact()
	}
}

// get returns slot i's keys (empty when the finger is absent).
func (a *keyArena) get(i int) []uint16 {
	n := uint32(a.n[i])
	if n == 0 {
		return nil
	}
	c, o := a.off[i]>>arenaShift, a.off[i]&(1<<arenaShift-1)
	return a.chunks[c][o : o+n : o+n]
}

// compact drops the keys of replaced and removed fingers.
func (a *keyArena) compact() {
	old := *a
	a.chunks, a.total, a.dead = nil, 0, 0
	for i := range a.off {
		k := old.get(i)
		a.n[i] = 0
		a.set(i, k)
	}
}
