package biosrc_test

import (
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
)

// TestSynthThroughQualityProxy reports how the device layer's quality proxy
// sees synthetic fingers at a module's geometry.
func TestSynthThroughQualityProxy(t *testing.T) {
	s := biosrc.Synth{}
	for _, tc := range []struct {
		name    string
		o       biosrc.FingerOptions
		reason  device.QualityReason // "" passes; "any" any poor-quality reason
		fingers int
	}{
		{"normal", biosrc.FingerOptions{}, "", 1},
		{"wet", biosrc.FingerOptions{Wet: true}, device.ReasonWet, 1},
		{"dry", biosrc.FingerOptions{Dry: true}, device.ReasonDry, 1},
		{"low", biosrc.FingerOptions{LowQuality: true}, "any", 1},
		{"slap4", biosrc.FingerOptions{Fingers: 4}, "", 4},
		{"slap3", biosrc.FingerOptions{Fingers: 3}, "", 3},
	} {
		img := s.Finger(7, 2, 1, tc.o)
		if tc.o.Fingers == 0 {
			img = biosrc.Fit(img, 256, 288)
		}
		a := quality.Assess(img)
		_, err := quality.CheckFinger("synth", img, device.FingerRequest{Position: device.RightIndex, MinQuality: 60})
		t.Logf("%-6s %v score %3d mean %5.1f contrast %5.1f coverage %.2f fingers %d reason %s err %v",
			tc.name, img.Bounds().Size(), a.Score, a.Mean, a.Contrast, a.Coverage, a.Fingers, a.Reason(), err)
		var qe *device.QualityError
		switch {
		case a.Fingers != tc.fingers:
			t.Errorf("%s: %d fingers, want %d", tc.name, a.Fingers, tc.fingers)
		case tc.reason == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.reason != "" && !errors.As(err, &qe):
			t.Errorf("%s: passed (score %d), want poor quality", tc.name, a.Score)
		case tc.reason != "" && tc.reason != "any" && qe.Reason != tc.reason:
			t.Errorf("%s: reason %s, want %s", tc.name, qe.Reason, tc.reason)
		}
	}
	if len(s.Signature(3, 0)) < 50 || s.Iris(1, 0, 0) == nil || s.Face(1, 0) == nil {
		t.Fatal("synth source empty")
	}
}
