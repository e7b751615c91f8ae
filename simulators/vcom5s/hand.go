package vcom5s

import "github.com/rekam-ktp/rekam/device"

// PlaceHand puts a hand on a slap reader the way an operator asks a
// resident to: slap is device.RightFour, LeftFour or BothThumbs and count
// the fingers that touch the glass (fewer than the slap holds for a
// missing finger: the slap's last fingers stay off). Until a hand is
// placed a slap reader shows four fingers of the hand of the finger on the
// sensor.
func (e *Engine) PlaceHand(slap device.Finger, count int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.slap, e.slapCount = slap, count
}

// hand returns the finger the image source is asked for and how many
// fingers the next slap shows.
func (e *Engine) hand(finger int) (int, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch e.slap {
	case device.RightFour:
		return int(device.RightIndex), e.slapCount
	case device.LeftFour:
		return int(device.LeftIndex), e.slapCount
	case device.BothThumbs:
		return int(device.RightThumb), e.slapCount
	}
	return finger, 4
}
