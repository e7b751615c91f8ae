package index

import (
	"math/bits"

	"github.com/rekam-ktp/rekam/biometric/iris"
)

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
