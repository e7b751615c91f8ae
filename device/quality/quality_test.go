package quality_test

import (
	"errors"
	"image"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
)

func TestAssessClassifiesPatterns(t *testing.T) {
	src := biosrc.Pattern{}
	tests := []struct {
		name    string
		opt     biosrc.FingerOptions
		req     device.FingerRequest
		fit     bool
		reason  device.QualityReason // "" = passes
		fingers int
	}{
		{"good finger", biosrc.FingerOptions{}, device.FingerRequest{Position: device.RightIndex, MinQuality: 60}, false, "", 1},
		{"good finger at module geometry", biosrc.FingerOptions{}, device.FingerRequest{Position: device.RightIndex, MinQuality: 60}, true, "", 1},
		{"wet", biosrc.FingerOptions{Wet: true}, device.FingerRequest{Position: device.RightIndex, MinQuality: 60}, true, device.ReasonWet, 1},
		{"dry", biosrc.FingerOptions{Dry: true}, device.FingerRequest{Position: device.RightIndex, MinQuality: 60}, true, device.ReasonDry, 1},
		{"low", biosrc.FingerOptions{LowQuality: true}, device.FingerRequest{Position: device.RightIndex, MinQuality: 60}, true, device.ReasonLow, 1},
		{"slap of four", biosrc.FingerOptions{Fingers: 4}, device.FingerRequest{Position: device.RightFour, MinQuality: 40}, false, "", 4},
		{"slap missing a finger", biosrc.FingerOptions{Fingers: 3}, device.FingerRequest{Position: device.LeftFour}, false, device.ReasonFingerCount, 3},
		{"slap with declared amputation", biosrc.FingerOptions{Fingers: 3}, device.FingerRequest{Position: device.LeftFour, Count: 3}, false, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := src.Finger(7, 2, 0, tt.opt)
			if tt.fit {
				img = biosrc.Fit(img, 256, 288)
			}
			a, err := quality.CheckFinger("test", img, tt.req)
			if a.Fingers != tt.fingers {
				t.Errorf("fingers = %d, want %d (%+v)", a.Fingers, tt.fingers, a)
			}
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("unexpected %v (%+v)", err, a)
				}
				return
			}
			var qe *device.QualityError
			if !errors.As(err, &qe) || !errors.Is(err, device.ErrPoorQuality) || qe.Reason != tt.reason {
				t.Fatalf("err = %v, want reason %s (%+v)", err, tt.reason, a)
			}
		})
	}
}

func TestAssessBlankAndTiny(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 64, 64))
	if a := quality.Assess(blank); a.Score != 0 || a.Reason() != device.ReasonSmall {
		t.Fatalf("blank: %+v", a)
	}
	if a := quality.Assess(image.NewGray(image.Rect(0, 0, 4, 4))); a.Score != 0 {
		t.Fatalf("tiny: %+v", a)
	}
}
