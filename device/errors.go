package device

import (
	"errors"
	"fmt"
)

// Sentinel kinds shared by every driver. Test with errors.Is; the concrete
// error carries context (operation, device code, offending bytes).
var (
	// ErrNoFinger: the sensor saw no finger before the operation's deadline.
	ErrNoFinger = errors.New("no finger on the sensor")
	// ErrPoorQuality: an image was taken but is unusable (wet, dry, too
	// small, wrong finger count, below the requested quality).
	ErrPoorQuality = errors.New("poor image quality")
	// ErrTimeout: the device did not answer in time.
	ErrTimeout = errors.New("device timed out")
	// ErrSensorFault: the device reports a hardware or sensor failure.
	ErrSensorFault = errors.New("sensor fault")
	// ErrDisconnected: the device went away (unplugged, port closed).
	ErrDisconnected = errors.New("device disconnected")
	// ErrProtocol: the device sent bytes that break its protocol.
	ErrProtocol = errors.New("protocol error")
	// ErrBusy: the device (or this driver) is busy with another operation.
	ErrBusy = errors.New("device busy")
	// ErrUnsupported: the device cannot do what was asked (e.g. a slap on a
	// single-finger sensor).
	ErrUnsupported = errors.New("not supported by this device")
	// ErrCancelled: the operator or the device cancelled the operation.
	ErrCancelled = errors.New("cancelled")
)

// Error is a typed device error: Kind is one of the sentinels above.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Op     string // what was being done, e.g. "r30x: GenImg"
	Code   int    // device status code, -1 when none
	Detail string // human-readable detail (never personal data)
	Err    error  // underlying cause, if any
}

// Errorf builds an *Error of the given kind with a formatted detail.
func Errorf(kind error, op string, format string, a ...any) *Error {
	return &Error{Kind: kind, Op: op, Code: -1, Detail: fmt.Sprintf(format, a...)}
}

// Wrap builds an *Error of the given kind around cause.
func Wrap(kind error, op string, cause error) *Error {
	return &Error{Kind: kind, Op: op, Code: -1, Err: cause}
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Op + ": " + e.Kind.Error()
	if e.Code >= 0 {
		s += fmt.Sprintf(" (code 0x%02X)", e.Code)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the kind and the cause to errors.Is / errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// ProtocolError is an ErrProtocol carrying the offending bytes.
type ProtocolError struct {
	Op     string
	Reason string
	Bytes  []byte // the bytes that broke the protocol (a bounded copy)
}

// maxErrBytes bounds the bytes kept in a ProtocolError.
const maxErrBytes = 64

// NewProtocolError copies at most 64 offending bytes into a ProtocolError.
func NewProtocolError(op, reason string, b []byte) *ProtocolError {
	if len(b) > maxErrBytes {
		b = b[:maxErrBytes]
	}
	return &ProtocolError{Op: op, Reason: reason, Bytes: append([]byte(nil), b...)}
}

// Error implements error.
func (e *ProtocolError) Error() string {
	return fmt.Sprintf("%s: protocol error: %s [% X]", e.Op, e.Reason, e.Bytes)
}

// Is makes errors.Is(err, ErrProtocol) true.
func (e *ProtocolError) Is(target error) bool { return target == ErrProtocol }

// QualityReason says why an image was judged poor.
type QualityReason string

// Reasons for ErrPoorQuality.
const (
	ReasonLow         QualityReason = "low"          // below the requested score
	ReasonWet         QualityReason = "wet"          // dark, smeared ridges
	ReasonDry         QualityReason = "dry"          // faint, broken ridges
	ReasonSmall       QualityReason = "small"        // too small a contact area
	ReasonFingerCount QualityReason = "finger-count" // slap with the wrong number of fingers
)

// QualityError is an ErrPoorQuality with its reason and measurements.
type QualityError struct {
	Op      string
	Reason  QualityReason
	Quality int // measured score 0..100
	Want    int // requested minimum score, or expected finger count
	Got     int // fingers found (ReasonFingerCount only)
}

// Error implements error.
func (e *QualityError) Error() string {
	if e.Reason == ReasonFingerCount {
		return fmt.Sprintf("%s: poor quality: %d fingers found, %d expected", e.Op, e.Got, e.Want)
	}
	return fmt.Sprintf("%s: poor quality (%s): score %d, want %d", e.Op, e.Reason, e.Quality, e.Want)
}

// Is makes errors.Is(err, ErrPoorQuality) true.
func (e *QualityError) Is(target error) bool { return target == ErrPoorQuality }

// KindOf returns which sentinel err matches, or nil.
func KindOf(err error) error {
	for _, k := range []error{ErrNoFinger, ErrPoorQuality, ErrTimeout, ErrSensorFault,
		ErrDisconnected, ErrProtocol, ErrBusy, ErrUnsupported, ErrCancelled} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
