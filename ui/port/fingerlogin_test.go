package port_test

import (
	"errors"
	"image"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/ui/port"
)

func TestBestTemplate(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 300, 400))
	for i := range blank.Pix {
		blank.Pix[i] = 250
	}
	wet := synth.Finger(3, 2, 1, synth.FingerOptions{Condition: synth.LowQuality})
	good := synth.Finger(3, 2, 2, synth.FingerOptions{})
	tGood, err := port.ExtractFinger(good)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		imgs    []image.Image
		want    *finger.Template
		wantErr error
	}{
		{"blank, low quality, good", []image.Image{blank, wet, good}, tGood, nil},
		{"good first", []image.Image{good, blank}, tGood, nil},
		{"only blank", []image.Image{blank, blank}, nil, store.ErrFingerUnusable},
		{"none", nil, nil, store.ErrFingerUnusable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := port.BestTemplate(tt.imgs)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if tt.want != nil && (got.Quality != tt.want.Quality || len(got.Minutiae) != len(tt.want.Minutiae)) {
				t.Fatalf("kept quality %d (%d minutiae), want %d (%d)", got.Quality, len(got.Minutiae), tt.want.Quality, len(tt.want.Minutiae))
			}
		})
	}
	if _, err := port.ExtractFinger(nil); err == nil {
		t.Error("nil image extracted")
	}
}
