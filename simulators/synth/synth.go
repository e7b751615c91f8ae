package synth

import (
	"image"

	"github.com/rekam-ktp/rekam/simulators/synth/face"
	"github.com/rekam-ktp/rekam/simulators/synth/finger"
	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
	"github.com/rekam-ktp/rekam/simulators/synth/iris"
	"github.com/rekam-ktp/rekam/simulators/synth/signature"
)

// Point is a position in pixels (x right, y down).
type Point = gen.Point

// Fingerprints (package finger).
type (
	// FingerClass is the Henry-style pattern class of a finger.
	FingerClass = finger.Class
	// Condition is the skin and capture condition of an impression.
	Condition = finger.Condition
	// FingerOptions controls one fingerprint impression.
	FingerOptions = finger.Options
	// MasterTruth is the ground truth of a master fingerprint.
	MasterTruth = finger.MasterTruth
	// FingerPose is the rigid placement of the master in one impression.
	FingerPose = finger.Pose
	// ImpressionTruth is the ground truth of one impression, in image pixels.
	ImpressionTruth = finger.ImpressionTruth
	// Minutia is one minutia (position, angle, kind).
	Minutia = finger.Minutia
	// MinutiaKind tells a ridge ending from a bifurcation.
	MinutiaKind = finger.MinutiaKind
	// Slap selects the fingers of a plain multi-finger capture.
	Slap = finger.Slap
	// SlapOptions controls a slap image.
	SlapOptions = finger.SlapOptions
	// SlapFinger is where one finger lies in a slap image.
	SlapFinger = finger.SlapFinger
)

// Fingerprint classes, conditions, minutia kinds and slaps.
const (
	Arch        = finger.Arch
	TentedArch  = finger.TentedArch
	LeftLoop    = finger.LeftLoop
	RightLoop   = finger.RightLoop
	Whorl       = finger.Whorl
	Normal      = finger.Normal
	Wet         = finger.Wet
	Dry         = finger.Dry
	LowQuality  = finger.LowQuality
	RidgeEnding = finger.RidgeEnding
	Bifurcation = finger.Bifurcation
	RightFour   = finger.RightFour
	LeftFour    = finger.LeftFour
	Thumbs      = finger.Thumbs
)

// Image sizes at 500 dpi.
const (
	MasterWidth         = finger.MasterWidth
	MasterHeight        = finger.MasterHeight
	DefaultFingerWidth  = finger.DefaultWidth
	DefaultFingerHeight = finger.DefaultHeight
	DefaultSlapWidth    = finger.DefaultSlapWidth
	DefaultSlapHeight   = finger.DefaultSlapHeight
)

// Finger returns impression number impression (≥ 0) of the finger at ISO
// position finger (1 right thumb … 10 left little) of the identity: a 500
// dpi grey image, dark ridges on a light background, always the same for
// the same arguments. It panics if finger is not 1–10 or impression < 0.
func Finger(identity uint64, fingerPos int, impression int, opts FingerOptions) *image.Gray {
	return finger.Impression(identity, fingerPos, impression, opts)
}

// FingerTruth returns the class, singular points and minutiae of the master
// print of (identity, finger), in master coordinates.
func FingerTruth(identity uint64, fingerPos int) MasterTruth {
	return finger.Master(identity, fingerPos)
}

// FingerImpressionTruth returns the minutiae and singular points visible in
// the impression Finger draws with the same arguments, in image pixels.
func FingerImpressionTruth(identity uint64, fingerPos, impression int, opts FingerOptions) ImpressionTruth {
	return finger.Visible(identity, fingerPos, impression, opts)
}

// FingerImpressionPose returns the rigid placement of the master in the
// impression Finger draws with the same arguments.
func FingerImpressionPose(identity uint64, fingerPos, impression int, opts FingerOptions) FingerPose {
	return finger.PoseOf(identity, fingerPos, impression, opts)
}

// SlapImage returns a plain multi-finger capture of the identity's hand.
func SlapImage(identity uint64, slap Slap, impression int, opts SlapOptions) *image.Gray {
	return finger.SlapImage(identity, slap, impression, opts)
}

// SlapLayout returns where each finger lies in the matching SlapImage.
func SlapLayout(identity uint64, slap Slap, impression int, opts SlapOptions) []SlapFinger {
	return finger.SlapLayout(identity, slap, impression, opts)
}

// SlapContactCentres returns where each finger of a SlapImage touched (its
// ink's centroid), in SlapLayout's order.
func SlapContactCentres(img *image.Gray, lay []SlapFinger) []Point {
	return finger.SlapContactCentres(img, lay)
}

// Irises (package iris).
type (
	// IrisGeometry is the ground truth of one iris impression.
	IrisGeometry = iris.Geometry
	// IrisOptions degrades an iris capture or changes its canvas.
	IrisOptions = iris.Options
)

// Default iris image size (CASIA-like).
const (
	IrisWidth  = iris.Width
	IrisHeight = iris.Height
)

// Iris returns impression number impression of eye (0 right, 1 left) of
// the identity: a 320×280 NIR-like grey image.
func Iris(identity uint64, eye int, impression int) *image.Gray {
	return iris.Image(identity, eye, impression)
}

// IrisTruth returns the pupil, limbus and eyelid geometry of the matching Iris image.
func IrisTruth(identity uint64, eye int, impression int) IrisGeometry {
	return iris.Truth(identity, eye, impression)
}

// IrisWith returns a degraded or resized capture and its geometry.
func IrisWith(identity uint64, eye int, impression int, o IrisOptions) (*image.Gray, IrisGeometry) {
	return iris.With(identity, eye, impression, o)
}

// Faces (package face).
type (
	// FaceOptions selects a face variant (eyes closed, yaw, side light,
	// background, hijab, glasses).
	FaceOptions = face.Options
	// FaceTruth gives face landmark positions in image pixels.
	FaceTruth = face.Truth
)

// Default face image size.
const (
	DefaultFaceWidth  = face.DefaultWidth
	DefaultFaceHeight = face.DefaultHeight
)

// Face returns impression number impression of the identity's face:
// frontal, evenly lit, eyes open, plain light background, 480×640.
func Face(identity uint64, impression int) *image.RGBA {
	return face.Image(identity, impression)
}

// FaceVariant returns a face image with the given options.
func FaceVariant(identity uint64, impression int, o FaceOptions) *image.RGBA {
	return face.Variant(identity, impression, o)
}

// FaceLandmarks returns the landmarks of the matching FaceVariant image.
func FaceLandmarks(identity uint64, impression int, o FaceOptions) FaceTruth {
	return face.Landmarks(identity, impression, o)
}

// Signatures (package signature).

// PenSample is one pen report: X, Y in mm, Pressure 0–1, T since the first
// sample, PenDown.
type PenSample = signature.PenSample

// Signature pad geometry and sampling rate.
const (
	PadWidthMM    = signature.PadWidthMM
	PadHeightMM   = signature.PadHeightMM
	SignatureRate = signature.Rate
)

// Signature returns rendition number impression of the identity's
// signature, sampled at 200 Hz.
func Signature(identity uint64, impression int) []PenSample {
	return signature.Genuine(identity, impression)
}

// Forgery returns a skilled forgery of the identity's signature by forger.
func Forgery(identity, forger uint64, impression int) []PenSample {
	return signature.Forgery(identity, forger, impression)
}
