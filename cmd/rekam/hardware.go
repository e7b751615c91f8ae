package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/device/catalog"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/ui/devport"
)

// hardwareEntries opens the station's real devices: every device named in
// config.json, then every known USB reader or pad libusb sees that the
// config does not name. Drivers connect lazily, so a configured device that
// is unplugged now shows as missing and works once it is plugged in. Entries
// that cannot be opened are reported, not fatal: the operator sees the
// device missing on the dashboard.
func hardwareEntries(ctx context.Context, cfg []config.DeviceConfig, host transport.USBHost) ([]devport.BenchEntry, []error) {
	var out []devport.BenchEntry
	var errs []error
	usbNamed := map[string]bool{}
	for _, c := range cfg {
		spec := catalog.Spec{Driver: c.Driver, Port: c.Port, Baud: c.Baud, USB: c.USB, Video: c.Video}
		d, err := catalog.Open(host, spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("device %s: %w", c.ID(), err))
			continue
		}
		if c.USB != "" {
			vid, pid, _ := catalog.ParseUSBID(c.USB)
			usbNamed[fmt.Sprintf("%04x:%04x", vid, pid)] = true
		}
		out = append(out, devport.BenchEntry{ID: c.ID(), Device: d})
	}
	if host == nil {
		return out, errs
	}
	list, err := host.List(ctx)
	if err != nil {
		return out, append(errs, fmt.Errorf("list USB devices: %w", err))
	}
	for _, desc := range list {
		if usbNamed[fmt.Sprintf("%04x:%04x", desc.VID, desc.PID)] {
			continue
		}
		d, err := catalog.OpenUSB(host, desc.VID, desc.PID, desc.Port)
		if errors.Is(err, catalog.ErrSpec) {
			continue // not a device the station has a driver for
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("device %s: %w", desc.ID(), err))
			continue
		}
		out = append(out, devport.BenchEntry{ID: desc.ID(), Device: d})
	}
	return out, errs
}
