package iris

import (
	"math/rand/v2"
	"testing"
)

func bit(w []uint64, i int) bool { return w[i>>6]>>(i&63)&1 != 0 }

func TestRotatedMovesEverySample(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tp Template
	for i := range tp.Real {
		tp.Real[i], tp.Imag[i], tp.Mask[i] = r.Uint64(), r.Uint64(), r.Uint64()
	}
	for _, s := range []int{0, 1, -1, 5, -8, 31, 32, 33, CodeCols - 1, CodeCols + 3} {
		rt := tp.rotated(s)
		for row := 0; row < CodeRows; row++ {
			for c := 0; c < CodeCols; c++ {
				src := ((c-s)%CodeCols + CodeCols) % CodeCols
				di, si := row*CodeCols+c, row*CodeCols+src
				if bit(rt.Real[:], di) != bit(tp.Real[:], si) || bit(rt.Imag[:], di) != bit(tp.Imag[:], si) || bit(rt.Mask[:], di) != bit(tp.Mask[:], si) {
					t.Fatalf("shift %d: sample (%d,%d) not taken from column %d", s, row, c, src)
				}
			}
		}
	}
}
