package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/v4l2"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/device/wacomstu"
)

// Spec names one device the station drives: exactly one of a serial port
// (with its driver), a USB device by VID:PID, or a V4L2 camera node.
type Spec struct {
	Driver string // serial driver name (see Names)
	Port   string // serial port path
	Baud   int    // serial line rate (0 = the driver's default)
	USB    string // "VID:PID" in hex, e.g. "061a:0110"
	Video  string // V4L2 node used as the face camera, e.g. "/dev/video0"
}

// ErrSpec marks a device specification that names no device or too many.
var ErrSpec = errors.New("device specification")

// Check reports what is wrong with the specification, if anything.
func (s Spec) Check() error {
	n := 0
	for _, v := range []string{s.Port, s.USB, s.Video} {
		if v != "" {
			n++
		}
	}
	switch {
	case n != 1:
		return fmt.Errorf("%w: give exactly one of port, usb, video", ErrSpec)
	case s.Port != "" && s.Driver == "":
		return fmt.Errorf("%w: port %s needs a driver (%s)", ErrSpec, s.Port, strings.Join(Names(), ", "))
	case s.Port != "":
		if _, ok := Serial[s.Driver]; !ok {
			return fmt.Errorf("%w: unknown driver %q (known: %s)", ErrSpec, s.Driver, strings.Join(Names(), ", "))
		}
	case s.USB != "":
		if _, _, err := ParseUSBID(s.USB); err != nil {
			return err
		}
	}
	if s.Baud < 0 || s.Baud > 4_000_000 {
		return fmt.Errorf("%w: baud %d outside 0..4000000", ErrSpec, s.Baud)
	}
	return nil
}

// ParseUSBID reads "VID:PID": exactly four hex digits each, as lsusb
// prints them (the same form config.DeviceConfig accepts).
func ParseUSBID(s string) (vid, pid uint16, err error) {
	bad := fmt.Errorf("%w: usb %q: want VID:PID as four hex digits each", ErrSpec, s)
	if len(s) != 9 || s[4] != ':' {
		return 0, 0, bad
	}
	v, err1 := strconv.ParseUint(s[:4], 16, 16)
	p, err2 := strconv.ParseUint(s[5:], 16, 16)
	if err1 != nil || err2 != nil {
		return 0, 0, bad
	}
	return uint16(v), uint16(p), nil
}

// OpenUSB returns the driver for a known USB model on host (port "" = any).
func OpenUSB(host transport.USBHost, vid, pid uint16, port string) (device.Device, error) {
	if m, ok := vcom5s.ModelFor(vid, pid); ok {
		return vcom5s.New(host, m, port, vcom5s.Config{}), nil
	}
	for _, m := range wacomstu.Models {
		if m.VID == vid && m.PID == pid {
			return wacomstu.New(host, m, port, wacomstu.Config{}), nil
		}
	}
	return nil, fmt.Errorf("%w: usb %04x:%04x: no driver for this device", ErrSpec, vid, pid)
}

// Open returns the driver for a checked specification; USB devices go
// through host. Drivers connect lazily, so a device that is not plugged in
// yet opens here and reports itself missing on first use.
func Open(host transport.USBHost, s Spec) (device.Device, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	switch {
	case s.Port != "":
		d, _, err := OpenSerial(s.Driver, s.Port, s.Baud)
		return d, err
	case s.USB != "":
		if host == nil {
			return nil, fmt.Errorf("%w: usb %s: this build has no USB host", ErrSpec, s.USB)
		}
		vid, pid, _ := ParseUSBID(s.USB)
		return OpenUSB(host, vid, pid, "")
	}
	return v4l2.Open(s.Video, 640, 480), nil
}
