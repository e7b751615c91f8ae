package index

import (
	"math"
	"math/bits"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

// The first stage's finger code: for each minutia and its nearest
// neighbours, the pair's length and two relative angles (invariant to
// rotation and translation) quantised into one of 640 bins; the code is the
// set of bins hit, as a bit set. Two impressions of one finger share many
// bins, two different fingers only the chance share.
const (
	fNeighbours = 3
	fDistBins   = 10
	fDistStep   = 20.0 // pixels at 500 dpi
	fMinDist    = 10.0
	fAngleBins  = 8
	fWords      = fDistBins * fAngleBins * fAngleBins / 64
)

// fcode is a finger's first-stage code; the zero value is an absent finger.
type fcode [fWords]uint64

// fingerCode computes the first-stage code of t.
func fingerCode(t *finger.Template) fcode {
	var c fcode
	m := t.Minutiae
	type nb struct {
		j int
		d int // squared distance
	}
	const lo, hi = fMinDist * fMinDist, fDistStep * fDistBins * fDistStep * fDistBins
	near := make([]nb, 0, fNeighbours+1)
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
			// Insertion into the short sorted list of nearest neighbours.
			k := len(near)
			if k < fNeighbours {
				near = append(near, nb{})
			} else if d >= near[k-1].d {
				continue
			} else {
				k--
			}
			for k > 0 && near[k-1].d > d {
				near[k] = near[k-1]
				k--
			}
			near[k] = nb{j, d}
		}
		for _, n := range near {
			a := angleBin(m[n.j].Angle - m[i].Angle)
			// The line from i to j in the template's y-up angle sense.
			line := math.Atan2(-float64(m[n.j].Y-m[i].Y), float64(m[n.j].X-m[i].X))
			b := angleBin(line - m[i].Angle)
			bit := int(math.Sqrt(float64(n.d))/fDistStep)*fAngleBins*fAngleBins + a*fAngleBins + b
			c[bit/64] |= 1 << (bit % 64)
		}
	}
	return c
}

// angleBin maps an angle in radians to one of fAngleBins sectors.
func angleBin(a float64) int {
	a = math.Mod(a, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	b := int(a / (2 * math.Pi) * fAngleBins)
	if b >= fAngleBins {
		b = fAngleBins - 1
	}
	return b
}

// shared is the number of bins two finger codes have in common.
func (c *fcode) shared(o *fcode) int {
	n := 0
	for i := range c {
		n += bits.OnesCount64(c[i] & o[i])
	}
	return n
}

// empty reports an absent finger.
func (c *fcode) empty() bool { return *c == fcode{} }

// The first stage's iris comparison: the real phase plane of the middle
// code rows only, at every second rotation of the full search.
const (
	iRowFirst = 1
	iRowLast  = 6 // inclusive
	iRows     = iRowLast - iRowFirst + 1
	rowWords  = iris.CodeCols / 64
	iWords    = iRows * rowWords
	iShiftMax = iris.DefaultShifts
	iShiftStp = 2
)

// irisProbe holds the probe's real and mask planes of the coarse rows,
// rotated once for each coarse shift.
type irisProbe struct {
	real, mask [][iWords]uint64
}

// newIrisProbe prepares t for the coarse stage.
func newIrisProbe(t *iris.Template) *irisProbe {
	p := &irisProbe{}
	for s := -iShiftMax; s <= iShiftMax; s += iShiftStp {
		var r, m [iWords]uint64
		for row := 0; row < iRows; row++ {
			base := (iRowFirst + row) * rowWords
			rotRow(r[row*rowWords:(row+1)*rowWords], t.Real[base:base+rowWords], s)
			rotRow(m[row*rowWords:(row+1)*rowWords], t.Mask[base:base+rowWords], s)
		}
		p.real = append(p.real, r)
		p.mask = append(p.mask, m)
	}
	return p
}

// rotRow writes src rotated by s columns: dst column c is src column c+s.
func rotRow(dst, src []uint64, s int) {
	for c := 0; c < iris.CodeCols; c++ {
		sc := ((c+s)%iris.CodeCols + iris.CodeCols) % iris.CodeCols
		if src[sc/64]>>(sc%64)&1 != 0 {
			dst[c/64] |= 1 << (c % 64)
		}
	}
}

// distance is the smallest masked fractional Hamming distance of the coarse
// rows over the coarse shifts (0.5 when too few bits overlap).
func (p *irisProbe) distance(g *iris.Template) float64 {
	gr := g.Real[iRowFirst*rowWords : (iRowLast+1)*rowWords]
	gm := g.Mask[iRowFirst*rowWords : (iRowLast+1)*rowWords]
	best := 0.5
	for s := range p.real {
		pr, pm := &p.real[s], &p.mask[s]
		diff, n := 0, 0
		for w := 0; w < iWords; w++ {
			m := pm[w] & gm[w]
			diff += bits.OnesCount64((pr[w] ^ gr[w]) & m)
			n += bits.OnesCount64(m)
		}
		if n < 64 {
			continue
		}
		if d := float64(diff) / float64(n); d < best {
			best = d
		}
	}
	return best
}
