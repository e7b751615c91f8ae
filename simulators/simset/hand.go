package simset

import "github.com/rekam-ktp/rekam/device"

// Slap reports whether the device is a slap reader (it takes PlaceHand).
func (s *Sim) Slap() bool { return s.hand != nil }

// PlaceHand puts the simulated resident's hand on a slap reader: the slap
// position and how many of its fingers touch the glass (the last ones of
// the slap stay off). It reports false for a device that takes no slap.
func (s *Sim) PlaceHand(slap device.Finger, count int) bool {
	if s.hand == nil {
		return false
	}
	s.hand(slap, count)
	return true
}
