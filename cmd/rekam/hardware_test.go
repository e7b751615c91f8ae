package main

import (
	"context"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/simulators/simset"
)

// The simulators stand in for hardware: their serial devices are real ptys
// named in the config, their USB devices sit on the fake bus that libusb
// would list.
func TestHardwareEntries(t *testing.T) {
	set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	var cfg []config.DeviceConfig
	usb := 0
	for _, s := range set.Sims {
		if s.Transport == "serial" {
			cfg = append(cfg, config.DeviceConfig{Name: s.Name, Driver: s.Driver, Port: s.Path()})
		} else {
			usb++
		}
	}
	cfg = append(cfg, config.DeviceConfig{Name: "broken", Driver: "no-such-driver", Port: "/dev/null"})
	ctx := context.Background()
	entries, errs := hardwareEntries(ctx, cfg, set.Bus)
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one for the unknown driver", errs)
	}
	if want := len(cfg) - 1 + usb; len(entries) != want {
		t.Fatalf("%d devices, want %d (configured serial + discovered USB)", len(entries), want)
	}
	kinds := map[device.Kind]int{}
	for _, e := range entries {
		info, err := e.Device.Info(ctx)
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		kinds[info.Kind]++
		e.Device.Close()
	}
	for _, k := range []device.Kind{device.KindFinger, device.KindIris, device.KindFace, device.KindSignature} {
		if kinds[k] == 0 {
			t.Errorf("no %s device among %v", k, kinds)
		}
	}
}
