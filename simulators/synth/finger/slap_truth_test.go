package finger

import (
	"image"
	"math"
	"testing"
)

func TestSlapContactCentresLieOnEachFingersInk(t *testing.T) {
	opts := SlapOptions{Missing: []int{4}}
	lay := SlapLayout(9, RightFour, 0, opts)
	img := SlapImage(9, RightFour, 0, opts)
	got := SlapContactCentres(img, lay)
	if len(got) != len(lay) {
		t.Fatalf("%d centres for %d fingers", len(got), len(lay))
	}
	for i, c := range got {
		f := lay[i]
		if !image.Pt(int(c.X), int(c.Y)).In(f.Box) {
			t.Errorf("finger %d: centre (%.0f,%.0f) outside its box %v", f.Finger, c.X, c.Y, f.Box)
		}
		// The contact is drawn around 55 % of the tile's height: below
		// the tile's centre, within a quarter tile of it.
		if d := math.Hypot(c.X-f.Centre.X, c.Y-f.Centre.Y); d > slapTileW/4 || c.Y <= f.Centre.Y-slapTileH/10 {
			t.Errorf("finger %d: centre (%.0f,%.0f) vs tile centre (%.0f,%.0f)", f.Finger, c.X, c.Y, f.Centre.X, f.Centre.Y)
		}
	}
	// No ink: the tile centres come back.
	blank := image.NewGray(img.Bounds())
	for i := range blank.Pix {
		blank.Pix[i] = 240
	}
	for i, c := range SlapContactCentres(blank, lay) {
		if c != lay[i].Centre {
			t.Errorf("blank: finger %d at %v, want its tile centre %v", lay[i].Finger, c, lay[i].Centre)
		}
	}
}
