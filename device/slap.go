package device

// SlapScanner is a finger scanner that can say whether it takes slaps
// (four fingers or two thumbs at once) without touching the device.
type SlapScanner interface {
	FingerScanner
	// CanSlap reports whether the scanner's platen takes a slap.
	CanSlap() bool
}
