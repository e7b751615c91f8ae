package biosrc

import (
	"image"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

// Synth is the Source backed by the synthetic generators of
// simulators/synth (SFinGe-style fingers and slaps, irises, faces,
// signatures). It is built with -tags synth until simulators/synth is in
// the same tree; then the build tag goes and simsets can default to it.
type Synth struct{}

var _ Source = Synth{}

func condition(o FingerOptions) synth.Condition {
	switch {
	case o.Wet:
		return synth.Wet
	case o.Dry:
		return synth.Dry
	case o.LowQuality:
		return synth.LowQuality
	}
	return synth.Normal
}

// Finger returns a 500 dpi impression, or a slap when o.Fingers > 1 (with
// the last fingers missing when fewer than the slap holds are asked for).
func (Synth) Finger(identity uint64, finger, impression int, o FingerOptions) *image.Gray {
	if o.Fingers <= 1 {
		return synth.Finger(identity, finger, impression, synth.FingerOptions{Condition: condition(o)})
	}
	slap, fingers := synth.RightFour, []int{2, 3, 4, 5}
	switch {
	case o.Fingers == 2:
		slap, fingers = synth.Thumbs, []int{1, 6}
	case finger >= 6:
		slap, fingers = synth.LeftFour, []int{7, 8, 9, 10}
	}
	var missing []int
	if o.Fingers < len(fingers) {
		missing = fingers[o.Fingers:]
	}
	return synth.SlapImage(identity, slap, impression, synth.SlapOptions{Condition: condition(o), Missing: missing})
}

// Iris returns a NIR iris image (eye 0 right, 1 left).
func (Synth) Iris(identity uint64, eye, impression int) *image.Gray {
	return synth.Iris(identity, eye, impression)
}

// Face returns a frontal face.
func (Synth) Face(identity uint64, impression int) *image.RGBA {
	return synth.Face(identity, impression)
}

// Signature returns an on-line signature at 200 Hz.
func (Synth) Signature(identity uint64, impression int) []PenSample {
	in := synth.Signature(identity, impression)
	out := make([]PenSample, len(in))
	for i, s := range in {
		out[i] = PenSample{X: s.X, Y: s.Y, Pressure: s.Pressure, PenDown: s.PenDown, T: s.T}
	}
	return out
}
