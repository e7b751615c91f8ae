package synth_test

import (
	"testing"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

// TestOddSizesDoNotPanic drives every generator with tiny, odd and large
// arguments: each must return an image of the asked size.
func TestOddSizesDoNotPanic(t *testing.T) {
	tests := []struct {
		name string
		run  func() (w, h int)
		want [2]int
	}{
		{"finger 1×1", func() (int, int) {
			b := synth.Finger(1, 1, 0, synth.FingerOptions{Width: 1, Height: 1}).Bounds()
			return b.Dx(), b.Dy()
		}, [2]int{1, 1}},
		{"finger huge impression, lifted past 1", func() (int, int) {
			b := synth.Finger(^uint64(0), 10, 1<<40, synth.FingerOptions{Width: 33, Height: 17, Lift: 7}).Bounds()
			return b.Dx(), b.Dy()
		}, [2]int{33, 17}},
		{"finger negative lift", func() (int, int) {
			b := synth.Finger(2, 5, 0, synth.FingerOptions{Width: 40, Height: 40, Lift: -3}).Bounds()
			return b.Dx(), b.Dy()
		}, [2]int{40, 40}},
		{"iris tiny canvas", func() (int, int) {
			img, _ := synth.IrisWith(1, 1, -5, synth.IrisOptions{Width: 20, Height: 10, Defocus: 99, LidClosure: -4})
			return img.Bounds().Dx(), img.Bounds().Dy()
		}, [2]int{20, 10}},
		{"face tiny", func() (int, int) {
			b := synth.FaceVariant(1, -1, synth.FaceOptions{Width: 8, Height: 6, Yaw: 9, SideLight: -9}).Bounds()
			return b.Dx(), b.Dy()
		}, [2]int{8, 6}},
		{"slap with every finger missing", func() (int, int) {
			b := synth.SlapImage(1, synth.Thumbs, 0, synth.SlapOptions{Width: 64, Height: 48, Missing: []int{1, 6}}).Bounds()
			return b.Dx(), b.Dy()
		}, [2]int{64, 48}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w, h := tt.run(); w != tt.want[0] || h != tt.want[1] {
				t.Errorf("size %dx%d, want %dx%d", w, h, tt.want[0], tt.want[1])
			}
		})
	}
	if s := synth.Signature(^uint64(0), -7); len(s) == 0 {
		t.Error("no samples for an extreme identity")
	}
}
