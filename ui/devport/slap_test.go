package devport_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// TestSlapsOnTheSimulatedSlapReader takes slaps through the vcom5s driver
// on the simulated set's slap reader, as the station does with --sim: the
// finger source offers slaps, each accepted slap comes back as one
// single-finger frame per expected finger, and a wrong count is refused.
func TestSlapsOnTheSimulatedSlapReader(t *testing.T) {
	set, err := simset.Start(simset.Options{USB: true, Identity: 9, Source: biosrc.Synth{}})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	devs, _, closeDevs := devport.FromSimSet(context.Background(), set)
	defer closeDevs()
	src, ok := devs.Finger.(port.SlapSource)
	if !ok {
		t.Fatalf("finger source %T takes no slaps", devs.Finger)
	}
	if src.Name() == src.SlapDevice().Name() {
		t.Errorf("single fingers on the slap reader (%s) though a single-finger scanner is attached", src.Name())
	}
	tests := []struct {
		name     string
		slap     port.Slap
		expected int
		fault    bool // one finger fewer on the glass than expected
	}{
		{"right four", port.RightFour, 4, false},
		{"left four, one finger an exception", port.LeftFour, 3, false},
		{"thumbs", port.BothThumbs, 2, false},
		{"three fingers for four", port.RightFour, 4, true},
	}
	slapSim, _ := set.Get("usbfp1")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault {
				slapSim.Faults().Inject(fault.FingerCount, 1)
			}
			previews := 0
			fr, err := src.CaptureSlap(context.Background(), tt.slap, tt.expected, 0, func(port.Frame) { previews++ })
			if tt.fault {
				var fc *port.FingerCountError
				if !errors.As(err, &fc) || fc.Got != tt.expected-1 || fc.Want != tt.expected {
					t.Fatalf("err = %v, want %d fingers found, %d expected", err, tt.expected-1, tt.expected)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fr.Image == nil || previews != 1 || len(fr.Segments) != tt.expected {
				t.Fatalf("image %v, %d previews, %d segments, want %d", fr.Image != nil, previews, len(fr.Segments), tt.expected)
			}
			for i, s := range fr.Segments {
				t.Logf("segment %d: quality %d", i, s.Quality)
				if s.Image == nil || s.Quality <= 0 {
					t.Errorf("segment %d: image %v quality %d", i, s.Image != nil, s.Quality)
				}
			}
			if _, err := src.CaptureSlap(context.Background(), tt.slap, tt.expected, 101, nil); !errors.Is(err, port.ErrBelowGate) {
				t.Errorf("an impossible gate: %v", err)
			}
		})
	}
	if _, err := src.CaptureSlap(context.Background(), port.BothThumbs, 3, 0, nil); err == nil {
		t.Error("three thumbs expected without an error")
	}
}
