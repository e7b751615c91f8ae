package simset_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/simset"
)

// TestSlapReaderShowsThePlacedHand captures slaps through the real vcom5s
// driver on the simulated slap reader and checks the finger count the
// driver finds follows the hand placed.
func TestSlapReaderShowsThePlacedHand(t *testing.T) {
	set, err := simset.Start(simset.Options{USB: true, Identity: 5, Source: biosrc.Synth{}})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	var slap *simset.Sim
	for _, s := range set.Sims {
		if s.Slap() {
			slap = s
		} else if s.PlaceHand(device.RightFour, 4) {
			t.Errorf("%s takes a hand but is no slap reader", s.Name)
		}
	}
	if slap == nil {
		t.Fatal("the simulated set has no slap reader")
	}
	d := slap.Open().(device.SlapScanner)
	defer d.Close()
	if !d.CanSlap() {
		t.Fatal("slap reader's driver says it cannot take a slap")
	}
	tests := []struct {
		name   string
		pos    device.Finger
		placed int
		want   int // fingers the request expects
	}{
		{"right four", device.RightFour, 4, 4},
		{"left four, little missing", device.LeftFour, 3, 3},
		{"thumbs", device.BothThumbs, 2, 2},
		{"three fingers where four are expected", device.RightFour, 3, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slap.PlaceHand(tt.pos, tt.placed)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := d.Capture(ctx, device.FingerRequest{Position: tt.pos, Count: tt.want})
			var qe *device.QualityError
			if errors.As(err, &qe) && qe.Reason == device.ReasonFingerCount {
				if tt.placed == tt.want {
					t.Fatalf("count refused: %v", err)
				}
				if qe.Got != tt.placed || qe.Want != tt.want {
					t.Fatalf("refused with got %d want %d, placed %d", qe.Got, qe.Want, tt.placed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.placed != tt.want || c.Fingers != tt.placed {
				t.Fatalf("accepted %d fingers, placed %d, expected %d", c.Fingers, tt.placed, tt.want)
			}
		})
	}
}
