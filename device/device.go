package device

import (
	"context"
	"image"
	"time"
)

// Kind is a capture modality.
type Kind string

// The four modalities of a recording station.
const (
	KindFinger    Kind = "finger"
	KindIris      Kind = "iris"
	KindFace      Kind = "face"
	KindSignature Kind = "signature"
)

// Info identifies a device unit.
type Info struct {
	Kind      Kind   `json:"kind"`
	Driver    string `json:"driver"`
	Vendor    string `json:"vendor"`
	Model     string `json:"model"`
	Serial    string `json:"serial"`
	Firmware  string `json:"firmware"`
	Transport string `json:"transport"` // "serial", "usb", "v4l2", "helper"
	Path      string `json:"path"`      // port path, USB bus/address, video node
}

// Check is one line of a self-test.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Health is the result of a self-test.
type Health struct {
	OK     bool          `json:"ok"`
	Checks []Check       `json:"checks"`
	RTT    time.Duration `json:"rtt_ns"` // round trip of the cheapest command
}

// Add appends a check and keeps OK as the conjunction of all checks.
func (h *Health) Add(name string, ok bool, detail string) {
	if len(h.Checks) == 0 {
		h.OK = true
	}
	h.Checks = append(h.Checks, Check{Name: name, OK: ok, Detail: detail})
	h.OK = h.OK && ok
}

// Device is what every driver answers, whatever the modality.
type Device interface {
	// Info identifies the unit (re-read after a reconnect: it may be another unit).
	Info(ctx context.Context) (Info, error)
	// SelfTest runs the device's own checks (handshake, sensor check, ...).
	SelfTest(ctx context.Context) (Health, error)
	// Close releases the device; further calls fail with ErrDisconnected.
	Close() error
}

// Frame is one preview image.
type Frame struct {
	Seq   int
	Time  time.Time
	Image image.Image
}

// Finger positions (ISO/IEC 19794-4 finger position codes).
type Finger int

// Finger positions: single fingers 1..10, slaps 13..15.
const (
	RightThumb  Finger = 1
	RightIndex  Finger = 2
	RightMiddle Finger = 3
	RightRing   Finger = 4
	RightLittle Finger = 5
	LeftThumb   Finger = 6
	LeftIndex   Finger = 7
	LeftMiddle  Finger = 8
	LeftRing    Finger = 9
	LeftLittle  Finger = 10
	RightFour   Finger = 13
	LeftFour    Finger = 14
	BothThumbs  Finger = 15
)

// IsSlap reports whether p is a multi-finger (slap) position.
func (p Finger) IsSlap() bool { return p >= RightFour && p <= BothThumbs }

// SlapCount is the number of fingers a slap position holds (1 for singles).
func (p Finger) SlapCount() int {
	switch p {
	case RightFour, LeftFour:
		return 4
	case BothThumbs:
		return 2
	}
	return 1
}

// FingerRequest asks for one finger or a slap.
type FingerRequest struct {
	Position   Finger
	Count      int // fingers expected on a slap (0 = Position.SlapCount(); fewer for missing fingers)
	MinQuality int // 0..100; below it the capture fails with a QualityError
}

// FingerCapture is one captured fingerprint image.
type FingerCapture struct {
	Image   *image.Gray
	DPI     int
	Quality int // 0..100 quality proxy (the fingerprint engine provides the real one)
	Fingers int // fingers found on the image
	Raw     []byte
}

// FingerScanner captures fingerprints.
type FingerScanner interface {
	Device
	// Capture waits for a finger (or slap), takes the image and checks it.
	Capture(ctx context.Context, req FingerRequest) (*FingerCapture, error)
	// Preview streams live images to each until ctx ends or each returns an error.
	Preview(ctx context.Context, each func(Frame) error) error
}

// Eye selects one or both eyes.
type Eye int

// Eyes.
const (
	EyeBoth Eye = iota
	EyeLeft
	EyeRight
)

// IrisRequest asks for one or both irises.
type IrisRequest struct {
	Eyes       Eye
	MinQuality int
}

// IrisImage is one eye.
type IrisImage struct {
	Eye        Eye
	Image      *image.Gray
	Quality    int // total score 0..100
	UsableArea int // percent of the iris not occluded
}

// IrisCapture holds the captured eyes (nil for one not asked for).
type IrisCapture struct {
	Left, Right *IrisImage
}

// IrisCamera captures irises.
type IrisCamera interface {
	Device
	Capture(ctx context.Context, req IrisRequest) (*IrisCapture, error)
	Preview(ctx context.Context, each func(Frame) error) error
}

// FaceRequest asks for a face photo.
type FaceRequest struct {
	MinQuality int
}

// FaceCapture is one face photo.
type FaceCapture struct {
	Image   image.Image
	Quality int
}

// FaceCamera captures face photos.
type FaceCamera interface {
	Device
	Capture(ctx context.Context, req FaceRequest) (*FaceCapture, error)
	Preview(ctx context.Context, each func(Frame) error) error
}

// PenSample is one pen report.
type PenSample struct {
	X, Y     int           // tablet units
	Pressure int           // 0..PadCaps.MaxPressure
	PenDown  bool          // tip switch
	InRange  bool          // proximity
	T        time.Duration // since the stream started
	Seq      int           // report sequence number (gaps = lost reports)
}

// PadCaps describes a signature pad's coordinate space.
type PadCaps struct {
	MaxX, MaxY, MaxPressure int
	ScreenW, ScreenH        int // 0 when the pad has no screen
	RateHz                  int
}

// SignaturePad streams pen samples.
type SignaturePad interface {
	Device
	Caps() PadCaps
	// Stream sends pen samples to each until ctx ends or each returns an error.
	Stream(ctx context.Context, each func(PenSample) error) error
	// Clear erases the pad's screen and ink (no-op on screenless pads).
	Clear(ctx context.Context) error
}
