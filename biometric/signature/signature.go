// Package signature holds the station's handwritten-signature engine: the pen
// time series captured from any pad, quality checks on a capture, rendering
// to a clean card-resolution image, the "cannot sign" record, and DTW-based
// verification against enrolment references.
package signature

import (
	"errors"
	"fmt"
	"math"
)

// Sample is one pen sample reported by a signature pad.
type Sample struct {
	// X and Y are the pen position in device units.
	X, Y float64
	// T is the sample time in milliseconds on the device clock.
	T int64
	// Pressure is the normalised tip pressure, 0 (none) to 1 (device maximum).
	Pressure float64
	// PenDown reports whether the tip touched the surface.
	PenDown bool
	// Azimuth and Altitude are the pen tilt in degrees; meaningful only when
	// the signature's HasTilt is set.
	Azimuth, Altitude float64
}

// Signature is one captured signature: the samples in time order and what the
// device told about them.
type Signature struct {
	// Samples are the pen samples in time order.
	Samples []Sample
	// HasTilt reports whether Azimuth and Altitude were measured.
	HasTilt bool
	// YUp reports that Y grows upwards (tablet convention); rendering flips it.
	YUp bool
	// UnitsPerMM is the device resolution (0 when unknown).
	UnitsPerMM float64
}

// Reason says why a resident cannot sign.
type Reason string

// Reasons an operator may record for a resident who cannot sign.
const (
	ReasonIlliterate Reason = "illiterate" // cannot write (buta huruf)
	ReasonDisability Reason = "disability" // physical disability prevents signing
	ReasonOther      Reason = "other"      // any other reason, explained in the note
)

// valid reports whether r is one of the known reasons.
func (r Reason) valid() bool {
	switch r {
	case ReasonIlliterate, ReasonDisability, ReasonOther:
		return true
	}
	return false
}

// Inability records that the resident could not sign, and why.
type Inability struct {
	// Reason is the category chosen by the operator.
	Reason Reason
	// Note is the operator's free-text explanation (required for ReasonOther).
	Note string
}

// Record is the outcome of the signature capture step: either a signature or
// a recorded inability to sign, never both.
type Record struct {
	// Signature is the captured signature, nil when the resident cannot sign.
	Signature *Signature
	// Unable is set when the resident cannot sign.
	Unable *Inability
}

// Signed returns the record of a captured signature after checking it; the
// error lists the quality problems found.
func Signed(sig *Signature, lim Limits) (Record, error) {
	if sig == nil {
		return Record{}, errors.New("signature: nil signature")
	}
	if probs := Check(sig, lim); len(probs) > 0 {
		return Record{}, fmt.Errorf("signature: capture rejected: %w", errors.Join(problemErrs(probs)...))
	}
	return Record{Signature: sig}, nil
}

// CannotSign returns the record of a resident who cannot sign. A reason is
// required; ReasonOther also needs a note.
func CannotSign(reason Reason, note string) (Record, error) {
	if !reason.valid() {
		return Record{}, fmt.Errorf("signature: unknown cannot-sign reason %q", reason)
	}
	if reason == ReasonOther && note == "" {
		return Record{}, errors.New("signature: reason \"other\" needs a note")
	}
	return Record{Unable: &Inability{Reason: reason, Note: note}}, nil
}

// Duration returns the time from the first to the last sample in milliseconds.
func (s *Signature) Duration() int64 {
	if len(s.Samples) < 2 {
		return 0
	}
	return s.Samples[len(s.Samples)-1].T - s.Samples[0].T
}

// Bounds returns the bounding box of the pen-down samples; ok is false when
// no sample touches the surface.
func (s *Signature) Bounds() (minX, minY, maxX, maxY float64, ok bool) {
	minX, minY = math.Inf(1), math.Inf(1)
	maxX, maxY = math.Inf(-1), math.Inf(-1)
	for _, p := range s.Samples {
		if !p.PenDown {
			continue
		}
		ok = true
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	return
}

// Strokes returns the number of pen-down runs.
func (s *Signature) Strokes() int {
	n := 0
	prev := false
	for _, p := range s.Samples {
		if p.PenDown && !prev {
			n++
		}
		prev = p.PenDown
	}
	return n
}
