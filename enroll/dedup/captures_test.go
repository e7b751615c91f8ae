package dedup_test

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/store"
)

func TestProbeFromCapturesEdgeCases(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 300, 400))
	for i := range blank.Pix {
		blank.Pix[i] = 230
	}
	blank.Set(0, 0, color.Gray{Y: 0})
	tests := []struct {
		name    string
		caps    []store.Capture
		skipped []string
	}{
		{"exception and unknown steps ignored", []store.Capture{
			{Step: "finger.03", Meta: store.CaptureMeta{Exception: "amputated"}},
			{Step: "face", Blob: []byte("not read")},
			{Step: "finger.11", Blob: []byte("out of range")},
			{Step: "iris.middle", Blob: []byte("no such eye")},
		}, nil},
		{"blank print skipped", []store.Capture{{Step: "finger.01", Blob: pngOf(t, blank)}}, []string{"finger.01"}},
		{"undecodable image skipped", []store.Capture{{Step: "finger.02", Blob: []byte("\x89PNG broken")}}, []string{"finger.02"}},
		{"iris too small skipped", []store.Capture{{Step: "iris.left", Blob: pngOf(t, image.NewGray(image.Rect(0, 0, 4, 4)))}}, []string{"iris.left"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, skipped := dedup.ProbeFromCaptures(tc.caps)
			if strings.Join(skipped, ",") != strings.Join(tc.skipped, ",") {
				t.Fatalf("skipped %v, want %v", skipped, tc.skipped)
			}
			if f, e := rec.Modalities(); f+e != 0 {
				t.Fatalf("probe has %d fingers, %d irises", f, e)
			}
		})
	}
}
