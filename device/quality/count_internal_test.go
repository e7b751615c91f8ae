package quality

import (
	"image"
	"testing"
)

func TestValleys(t *testing.T) {
	tests := []struct {
		name string
		prof []int
		want int
	}{
		{"one finger", []int{2, 6, 9, 10, 9, 6, 2}, 0},
		{"two touching", []int{3, 8, 10, 8, 2, 7, 9, 6, 2}, 1},
		{"a shallow dip inside one finger", []int{4, 9, 10, 7, 9, 10, 5}, 0},
		{"three, the last low", []int{5, 10, 4, 9, 9, 1, 4, 5, 2}, 2},
		{"empty", nil, 0},
		{"all zero", []int{0, 0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := valleys(tt.prof); got != tt.want {
				t.Fatalf("valleys(%v) = %d, want %d", tt.prof, got, tt.want)
			}
		})
	}
}

func TestCountFingersOnDrawnPads(t *testing.T) {
	// Striped pads on paper: apart, touching through a narrow bridge, and
	// a speck of dust beside one.
	pad := func(img *image.Gray, x0, y0, w, h int) {
		for y := y0; y < y0+h; y++ {
			for x := x0; x < x0+w; x++ {
				if (x/3)%2 == 0 {
					img.Pix[y*img.Stride+x] = 40
				}
			}
		}
	}
	paper := func() *image.Gray {
		img := image.NewGray(image.Rect(0, 0, 400, 200))
		for i := range img.Pix {
			img.Pix[i] = 240
		}
		return img
	}
	apart, bridged, dust := paper(), paper(), paper()
	for _, x := range []int{20, 120, 220} {
		pad(apart, x, 40, 60, 100)
	}
	pad(bridged, 20, 40, 60, 100)
	pad(bridged, 80, 80, 60, 12) // a short bridge halfway down
	pad(bridged, 140, 40, 60, 100)
	pad(dust, 100, 40, 60, 100)
	pad(dust, 300, 20, 8, 8)
	tests := []struct {
		name string
		img  *image.Gray
		want int
	}{
		{"three apart", apart, 3},
		{"two touching", bridged, 2},
		{"one and dust", dust, 1},
		{"blank", paper(), 0},
		{"too small", image.NewGray(image.Rect(0, 0, 3, 3)), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountFingers(tt.img); got != tt.want {
				t.Fatalf("CountFingers = %d, want %d", got, tt.want)
			}
		})
	}
}
