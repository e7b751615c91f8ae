package finger

import (
	"bytes"
	"testing"
)

func TestSlapLayoutAndImage(t *testing.T) {
	tests := []struct {
		name    string
		slap    Slap
		missing []int
		want    []int
	}{
		{"right four", RightFour, nil, []int{2, 3, 4, 5}},
		{"left four", LeftFour, nil, []int{10, 9, 8, 7}},
		{"thumbs", Thumbs, nil, []int{6, 1}},
		{"right ring missing", RightFour, []int{4}, []int{2, 3, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := SlapOptions{Missing: tt.missing, Width: 800, Height: 750}
			lay := SlapLayout(42, tt.slap, 0, opts)
			if len(lay) != len(tt.want) {
				t.Fatalf("layout has %d fingers, want %v", len(lay), tt.want)
			}
			img := SlapImage(42, tt.slap, 0, opts)
			for i, sf := range lay {
				if sf.Finger != tt.want[i] {
					t.Errorf("finger %d is %d, want %d", i, sf.Finger, tt.want[i])
				}
				if i > 0 && sf.Centre.X <= lay[i-1].Centre.X {
					t.Errorf("fingers not left to right: %v", lay)
				}
				// Each present finger leaves ink around its centre.
				dark := 0
				for y := int(sf.Centre.Y) - 40; y < int(sf.Centre.Y)+40; y++ {
					for x := int(sf.Centre.X) - 40; x < int(sf.Centre.X)+40; x++ {
						if img.GrayAt(x, y).Y < 128 {
							dark++
						}
					}
				}
				if dark < 80*80/5 {
					t.Errorf("finger %d: only %d dark pixels near its centre", sf.Finger, dark)
				}
			}
			if !bytes.Equal(img.Pix, SlapImage(42, tt.slap, 0, opts).Pix) {
				t.Error("two calls differ")
			}
		})
	}
}

func BenchmarkSlap(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		SlapImage(5, RightFour, i, SlapOptions{})
	}
}
