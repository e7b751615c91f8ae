package port

import (
	"context"
	"fmt"
)

// Slap is a multi-finger position of a 4-4-2 capture (ISO/IEC 19794-4
// codes: 13 right four, 14 left four, 15 both thumbs).
type Slap int

// The three slaps of a 4-4-2 capture, in capture order.
const (
	RightFour  Slap = 13
	LeftFour   Slap = 14
	BothThumbs Slap = 15
)

// Slaps are the slaps in capture order.
var Slaps = []Slap{RightFour, LeftFour, BothThumbs}

// Fingers lists the slap's fingers from the slap image's left to right,
// the order a SlapFrame's Segments come in.
func (s Slap) Fingers() []Finger {
	switch s {
	case RightFour:
		return []Finger{2, 3, 4, 5}
	case LeftFour:
		return []Finger{10, 9, 8, 7}
	case BothThumbs:
		return []Finger{6, 1}
	}
	return nil
}

// Step is the capture step the slap image itself is kept under (its
// fingers are kept as their own finger steps). It is not one of Steps: an
// enrollment is complete without it.
func (s Slap) Step() string { return fmt.Sprintf("slap.%d", int(s)) }

// SlapOf is the slap that holds finger f.
func SlapOf(f Finger) Slap {
	switch {
	case f == 1 || f == 6:
		return BothThumbs
	case f.Right():
		return RightFour
	}
	return LeftFour
}

// SlapFrame is one accepted slap: the whole image with its quality, and
// one single-finger image per finger found, from the image's left to
// right, each with its own quality.
type SlapFrame struct {
	Frame
	Segments []Frame
}

// SlapSource is a finger source that also takes slaps. It is optional:
// screens ask for it with a type assertion on Devices.Finger.
type SlapSource interface {
	FingerSource
	// SlapDevice is the scanner the slaps are taken on (its name goes in
	// each segment's capture metadata).
	SlapDevice() Device
	// CaptureSlap takes one slap with expected fingers on the glass (fewer
	// than the slap holds when some are exceptions) and splits it into
	// single fingers. A slap with another number of fingers fails with a
	// *FingerCountError; one whose segments are not all at gate returns
	// the frame with ErrBelowGate.
	CaptureSlap(ctx context.Context, slap Slap, expected, gate int, preview Preview) (SlapFrame, error)
}

// FingerCountError is a slap refused because the scanner found another
// number of fingers than expected.
type FingerCountError struct {
	Got, Want int
}

func (e *FingerCountError) Error() string {
	return fmt.Sprintf("%d fingers found, %d expected", e.Got, e.Want)
}
