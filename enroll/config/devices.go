package config

import (
	"fmt"
	"regexp"
)

// DeviceConfig is one capture device the station drives, as written in
// config.json: exactly one of a serial port with its driver, a USB device by
// VID:PID, or a V4L2 camera node. Known USB readers and pads are also found
// without configuration; serial devices cannot be probed safely, so they are
// named here.
type DeviceConfig struct {
	// Name is the id the technician sees (default: the port, usb or video).
	Name string `json:"name,omitempty"`
	// Driver is the serial driver (`rekamctl devices drivers`).
	Driver string `json:"driver,omitempty"`
	Port   string `json:"port,omitempty"`
	// Baud is the serial line rate (0 = the driver's default).
	Baud  int    `json:"baud,omitempty"`
	USB   string `json:"usb,omitempty"`
	Video string `json:"video,omitempty"`
}

var usbID = regexp.MustCompile(`^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$`)

// Check reports a device entry that names no device, several, or a bad value.
// The driver name is checked when the device is opened.
func (d DeviceConfig) Check() error {
	n := 0
	for _, v := range []string{d.Port, d.USB, d.Video} {
		if v != "" {
			n++
		}
	}
	switch {
	case n != 1:
		return fmt.Errorf("device %q: give exactly one of port, usb, video", d.ID())
	case d.Port != "" && d.Driver == "":
		return fmt.Errorf("device %q: a serial port needs a driver", d.ID())
	case d.USB != "" && !usbID.MatchString(d.USB):
		return fmt.Errorf("device %q: usb %q: want VID:PID in hex", d.ID(), d.USB)
	case d.Baud < 0 || d.Baud > 4_000_000:
		return fmt.Errorf("device %q: baud %d outside 0..4000000", d.ID(), d.Baud)
	}
	return nil
}

// ID is the device's name, else its port, USB id or video node.
func (d DeviceConfig) ID() string {
	for _, v := range []string{d.Name, d.Port, d.USB, d.Video} {
		if v != "" {
			return v
		}
	}
	return ""
}
