package simset

import (
	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/simulators/fault"
)

// Supported lists the scripted faults the device's engine can produce,
// in fault.All's order: finger engines all of them, cameras all but the
// finger-only ones (wet and dry read as low quality there), pads the link
// faults (the serial pad, which only streams, never answers busy).
func (s *Sim) Supported() []fault.Kind {
	var skip map[fault.Kind]bool
	switch s.Kind {
	case device.KindFinger:
	case device.KindIris, device.KindFace:
		skip = map[fault.Kind]bool{fault.FingerCount: true, fault.Wet: true, fault.Dry: true}
	default:
		skip = map[fault.Kind]bool{fault.FingerCount: true, fault.Wet: true, fault.Dry: true, fault.LowQuality: true, fault.SensorFault: true}
		if s.Driver == "isdv4" {
			skip[fault.Busy] = true // a serial pad only streams: it never answers busy
		}
	}
	var out []fault.Kind
	for _, k := range fault.All {
		if !skip[k] {
			out = append(out, k)
		}
	}
	return out
}

// Finger reports whether the device takes a finger and whether one is on
// the sensor now.
func (s *Sim) Finger() (has, present bool) {
	if s.finger == nil {
		return false, false
	}
	return true, s.finger.Present()
}
