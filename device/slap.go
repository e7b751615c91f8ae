package device

// SlapScanner is a finger scanner that can say whether it takes slaps
// (four fingers or two thumbs at once) without touching the device.
type SlapScanner interface {
	FingerScanner
	// CanSlap reports whether the scanner's platen takes a slap.
	CanSlap() bool
}

// SlapFingers lists the single fingers a slap position holds, from the
// slap image's left to right (the order segments come off the image):
// right four index to little, left four little to index, thumbs left then
// right. It is nil for a single-finger position.
func (p Finger) SlapFingers() []Finger {
	switch p {
	case RightFour:
		return []Finger{RightIndex, RightMiddle, RightRing, RightLittle}
	case LeftFour:
		return []Finger{LeftLittle, LeftRing, LeftMiddle, LeftIndex}
	case BothThumbs:
		return []Finger{LeftThumb, RightThumb}
	}
	return nil
}
