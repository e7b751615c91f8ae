// Package port holds the narrow interfaces the station's screens work
// through — the Station (login, residents, enrollments, captures, backed by
// enroll/store) and one capture source per modality — plus the store-backed
// Station itself. It imports no Fyne, so its tests build fast.
package port

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// Station is everything the screens ask of the station's database. Every
// method that touches personal data takes the acting operator's session;
// the implementation checks roles and audits.
type Station interface {
	// Info returns the station's identity.
	Info(ctx context.Context) (store.Station, error)
	// Policy returns the account policy (lockout, idle timeout).
	Policy() operator.Policy
	// Login checks a password; failures are store.ErrLogin or store.ErrLocked.
	Login(ctx context.Context, name, password string) (*operator.Session, error)
	// Regions lists the regions one level below parent ("" = provinces).
	Regions(ctx context.Context, parent string) ([]wilayah.Region, error)
	// NIKRegions answers the NIK parser's region questions from the master data.
	NIKRegions(ctx context.Context) nik.Regions
	// ResidentByNIK finds a stored resident (store.ErrNotFound when none).
	ResidentByNIK(ctx context.Context, sess *operator.Session, nik string) (store.ResidentRecord, error)
	// Resident returns a stored resident by row id.
	Resident(ctx context.Context, sess *operator.Session, id int64) (store.ResidentRecord, error)
	// SaveResident adds (id 0) or updates a resident and returns its id.
	SaveResident(ctx context.Context, sess *operator.Session, id int64, r enroll.Resident) (int64, error)
	// StartEnrollment opens a DRAFT enrollment for a stored resident.
	StartEnrollment(ctx context.Context, sess *operator.Session, residentID int64) (int64, error)
	// Enrollment returns one enrollment's record.
	Enrollment(ctx context.Context, sess *operator.Session, id int64) (store.Enrollment, error)
	// Enrollments lists enrollments in a state ("" = all).
	Enrollments(ctx context.Context, sess *operator.Session, state enroll.State) ([]store.Enrollment, error)
	// Captures returns an enrollment's saved steps.
	Captures(ctx context.Context, sess *operator.Session, id int64) ([]store.Capture, error)
	// SaveCapture stores one capture step of a DRAFT enrollment.
	SaveCapture(ctx context.Context, sess *operator.Session, id int64, step string, blob []byte, meta store.CaptureMeta) error
	// Submit moves a complete DRAFT to BIO_CAPTURED, where it waits for a
	// supervisor.
	Submit(ctx context.Context, sess *operator.Session, id int64) error
	// Decide approves or rejects a submitted enrollment. The supervisor who
	// created or captured it may not decide it (ErrOwnEnrollment).
	Decide(ctx context.Context, sess *operator.Session, id int64, approve bool, reason string) error
	// Void ends a DRAFT and wipes its biometrics.
	Void(ctx context.Context, sess *operator.Session, id int64, reason string) error
	// Outbox lists sealed packets with a status ("" = all).
	Outbox(ctx context.Context, sess *operator.Session, status string) ([]store.OutboxItem, error)
	// Disk reports free space and the measured size of one enrollment.
	Disk(ctx context.Context) (DiskInfo, error)
	// Operators lists accounts (admin only).
	Operators(ctx context.Context, sess *operator.Session) ([]store.OperatorInfo, error)
	// AddOperator creates an account (admin only).
	AddOperator(ctx context.Context, sess *operator.Session, name string, role operator.Role, password string) error
}

// ErrOwnEnrollment is returned by Decide when the supervisor deciding is the
// one who created or captured the enrollment (four-eyes rule).
var ErrOwnEnrollment = errors.New("an enrollment cannot be decided by the operator who recorded it")

// ErrIncomplete is returned by Submit when capture steps are missing.
var ErrIncomplete = errors.New("enrollment has capture steps missing")

// AssumedEnrollmentSize is the size one enrollment is assumed to take in the
// database (ten 500 ppi finger images, two irises, a face and a signature,
// encrypted) until the station has enrollments to measure.
const AssumedEnrollmentSize = 3 << 20

// DiskInfo is the free space of the data folder's file system and the
// forecast of how many more enrollments fit in it.
type DiskInfo struct {
	// Free is the bytes available to the station.
	Free uint64
	// PerEnrollment is the average bytes one enrollment takes.
	PerEnrollment uint64
	// Measured is true when PerEnrollment comes from the database file,
	// false when it is AssumedEnrollmentSize.
	Measured bool
}

// Fits returns how many more enrollments fit in the free space.
func (d DiskInfo) Fits() uint64 {
	if d.PerEnrollment == 0 {
		return 0
	}
	return d.Free / d.PerEnrollment
}

// DeviceState is a device's light on the dashboard.
type DeviceState int

// The device lights.
const (
	// DeviceMissing: no device attached.
	DeviceMissing DeviceState = iota
	// DeviceReady: attached and idle.
	DeviceReady
	// DeviceBusy: capturing.
	DeviceBusy
	// DeviceFault: attached but failing.
	DeviceFault
)

// String names the state in English (screens translate it).
func (s DeviceState) String() string {
	switch s {
	case DeviceReady:
		return "ready"
	case DeviceBusy:
		return "busy"
	case DeviceFault:
		return "fault"
	default:
		return "missing"
	}
}

// Device is what every capture source tells the dashboard.
type Device interface {
	// Name identifies the device (model and serial), for the capture's
	// metadata and the dashboard.
	Name() string
	// State is the device's current light.
	State() DeviceState
}

// Frame is one image from a capture device with its quality score on a
// 0–100 scale (higher is better).
type Frame struct {
	Image   image.Image
	Quality int
}

// Preview receives live frames while a capture runs. It is called from the
// device's goroutine: screens hand the frame to the UI thread with fyne.Do.
type Preview func(Frame)

// Finger is an ISO/IEC 19794-4 finger position: 1 right thumb … 5 right
// little, 6 left thumb … 10 left little.
type Finger int

// Fingers are the ten finger positions in capture order.
var Fingers = []Finger{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

// Step is the finger's capture step name in the store.
func (f Finger) Step() string { return fmt.Sprintf("finger.%02d", int(f)) }

// Right reports whether the finger is on the right hand.
func (f Finger) Right() bool { return f >= 1 && f <= 5 }

// Eye is an iris position.
type Eye string

// The two eyes.
const (
	RightEye Eye = "right"
	LeftEye  Eye = "left"
)

// Step is the eye's capture step name in the store.
func (e Eye) Step() string { return "iris." + string(e) }

// Eyes are the iris positions in capture order.
var Eyes = []Eye{RightEye, LeftEye}

// Capture step names of the single-shot modalities.
const (
	StepFace      = "face"
	StepSignature = "signature"
)

// Steps returns every capture step an enrollment needs, in flow order.
func Steps() []string {
	s := make([]string, 0, 14)
	for _, f := range Fingers {
		s = append(s, f.Step())
	}
	for _, e := range Eyes {
		s = append(s, e.Step())
	}
	return append(s, StepFace, StepSignature)
}

// FingerSource is a fingerprint scanner. Capture streams preview frames and
// returns the first frame at or above gate, or — when the scanner gives up
// (finger lifted, timeout) — the best frame seen with ErrBelowGate.
type FingerSource interface {
	Device
	CaptureFinger(ctx context.Context, f Finger, gate int, preview Preview) (Frame, error)
}

// IrisSource is an iris camera (one eye per capture).
type IrisSource interface {
	Device
	CaptureIris(ctx context.Context, e Eye, gate int, preview Preview) (Frame, error)
}

// FaceSource is the face camera.
type FaceSource interface {
	Device
	CaptureFace(ctx context.Context, gate int, preview Preview) (Frame, error)
}

// Point is one sample of a pen on a signature pad, in pad pixels; Pen is
// false when the pen is lifted.
type Point struct {
	X, Y int
	Pen  bool
	T    time.Duration
}

// SignatureSource is a signature pad. Capture streams ink as it is drawn
// and returns the rendered signature and its points when the signer ends.
type SignatureSource interface {
	Device
	CaptureSignature(ctx context.Context, ink func(Point)) (Frame, []Point, error)
}

// Devices is the station's set of capture sources; a nil source is a
// missing device.
type Devices struct {
	Finger    FingerSource
	Iris      IrisSource
	Face      FaceSource
	Signature SignatureSource
}

// Device errors the screens turn into specific messages.
var (
	// ErrNoDevice: the device is not attached.
	ErrNoDevice = errors.New("device not attached")
	// ErrBelowGate: the capture ended without reaching the quality gate.
	ErrBelowGate = errors.New("quality below the gate")
	// ErrTimeout: nothing was presented to the device in time.
	ErrTimeout = errors.New("capture timed out")
)

// DeviceError is a device failure: which device, what it was doing, why.
type DeviceError struct {
	Device string
	Op     string
	Err    error
}

func (e *DeviceError) Error() string { return e.Device + ": " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *DeviceError) Unwrap() error { return e.Err }
