package port_test

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/face"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/ui/port"
)

func TestCheckFaceBackdrop(t *testing.T) {
	blue := face.Colors[face.BackdropBlue]
	img := synth.FaceVariant(7, 0, synth.FaceOptions{Background: color.RGBA{blue.R, blue.G, blue.B, 255}})
	tests := []struct {
		want        face.Backdrop
		pass        bool
		replaceable bool
	}{
		{face.BackdropBlue, true, false},
		{face.BackdropRed, false, true},
		{face.BackdropOrange, false, true},
		{"", false, false},
	}
	for _, tt := range tests {
		fc, err := port.CheckFace(img, tt.want)
		if err != nil {
			t.Fatal(err)
		}
		if fc.Faces != 1 || fc.Portrait == nil || len(fc.Checks) == 0 {
			t.Fatalf("want %q: faces %d, %d checks", tt.want, fc.Faces, len(fc.Checks))
		}
		if tt.want == "" {
			if fc.Backdrop != nil {
				t.Error("backdrop judged without a rule")
			}
			continue
		}
		if fc.Backdrop.Pass != tt.pass || fc.BackdropReplaceable() != tt.replaceable {
			t.Errorf("want %q: pass %v replaceable %v", tt.want, fc.Backdrop.Pass, fc.BackdropReplaceable())
		}
		if !tt.replaceable {
			continue
		}
		out, err := port.ReplaceFaceBackdrop(fc.Portrait, tt.want)
		if err != nil {
			t.Fatal(err)
		}
		bc, err := face.CheckBackdrop(out, face.CardPortrait, tt.want, face.DefaultBackdropLimits)
		if err != nil || !bc.Pass {
			t.Errorf("repainted %q: %+v %v", tt.want, bc, err)
		}
	}
}

func TestCheckFaceNoFace(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range g.Pix {
		g.Pix[i] = 128
	}
	fc, err := port.CheckFace(g, face.BackdropRed)
	if err != nil || fc.Faces != 0 || fc.Portrait != nil || fc.Backdrop != nil || fc.BackdropReplaceable() {
		t.Fatalf("%+v %v", fc, err)
	}
	if _, err := port.CheckFace(nil, ""); err == nil {
		t.Error("nil image accepted")
	}
	if _, err := port.ReplaceFaceBackdrop(image.NewNRGBA(image.Rect(0, 0, 300, 400)), "purple"); err == nil || errors.Is(err, face.ErrNotSeparable) {
		t.Errorf("unknown colour: %v", err)
	}
}
