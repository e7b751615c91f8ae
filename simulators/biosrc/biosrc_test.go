package biosrc

import (
	"bytes"
	"testing"
)

func TestPatternDeterministicAndDistinct(t *testing.T) {
	p := Pattern{}
	a := p.Finger(1, 2, 3, FingerOptions{})
	if !bytes.Equal(a.Pix, p.Finger(1, 2, 3, FingerOptions{}).Pix) {
		t.Fatal("same arguments, different image")
	}
	for _, other := range [][3]int{{1, 3, 3}, {2, 2, 3}, {1, 2, 4}} {
		if bytes.Equal(a.Pix, p.Finger(uint64(other[0]), other[1], other[2], FingerOptions{}).Pix) {
			t.Fatalf("%v gives the same image", other)
		}
	}
	if b := p.Finger(1, 2, 3, FingerOptions{Fingers: 4}).Bounds(); b.Dx() != 4*a.Bounds().Dx() {
		t.Fatalf("slap %v", b)
	}
	if len(p.Signature(5, 1)) < 100 || p.Iris(1, 0, 1).Bounds().Dx() != 640 || p.Face(1, 1).Bounds().Dy() != 640 {
		t.Fatal("sizes")
	}
	f := Fit(a, 100, 50)
	if f.Bounds().Dx() != 100 || f.Bounds().Dy() != 50 || f.Pix[0] != 255 {
		t.Fatalf("fit %v", f.Bounds())
	}
}
