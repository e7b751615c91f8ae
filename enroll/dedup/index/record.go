// Package index is the station's in-memory multi-modal 1:N search set for
// duplicate checks: per identity up to ten finger templates and two iris
// codes, a fast first stage over every identity (minutia-pair keys looked up
// in the probe's table for fingers, coarse iris-code popcounts for irises,
// z-normalised per search) and the engines' full matchers on the short
// list, fused into one calibrated score per identity.
package index

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

// Fingers is the number of finger positions (ISO/IEC 19794-4: 1 right thumb
// … 10 left little); Eyes the number of irises (0 right, 1 left).
const (
	Fingers = 10
	Eyes    = 2
)

// Record holds the templates of one identity that dedup needs: no image,
// no biodata. A nil entry is a finger or eye not captured (an exception).
type Record struct {
	// Fingers[p-1] is the template of ISO finger position p.
	Fingers [Fingers]*finger.Template
	// Irises[e] is the iris code of eye e (0 right, 1 left).
	Irises [Eyes]*iris.Template
}

// ErrRecord is wrapped by errors about malformed record encodings.
var ErrRecord = errors.New("dedup record: malformed")

// recordMagic starts an encoded Record; the byte after it is the version.
const (
	recordMagic   = "RKDR"
	recordVersion = 1
	// MaxRecordSize bounds an encoded record (ten 255-minutia templates and
	// two iris codes fit well inside).
	MaxRecordSize = 64 << 10
)

// Modalities returns how many fingers and irises the record holds.
func (r *Record) Modalities() (fingers, irises int) {
	for _, f := range r.Fingers {
		if f != nil {
			fingers++
		}
	}
	for _, e := range r.Irises {
		if e != nil {
			irises++
		}
	}
	return fingers, irises
}

// MarshalBinary encodes the record: "RKDR", a version byte, then one entry
// per template present: a tag (1–10 finger position, 11 right iris, 12 left
// iris), a little-endian uint16 length and the engine's native encoding.
func (r *Record) MarshalBinary() ([]byte, error) {
	out := append([]byte(recordMagic), recordVersion)
	put := func(tag byte, b []byte) error {
		if len(b) > 0xFFFF {
			return fmt.Errorf("encode dedup record: template %d is %d bytes", tag, len(b))
		}
		out = append(out, tag)
		out = binary.LittleEndian.AppendUint16(out, uint16(len(b)))
		out = append(out, b...)
		return nil
	}
	for i, f := range r.Fingers {
		if f == nil {
			continue
		}
		b, err := f.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("encode dedup record: finger %d: %w", i+1, err)
		}
		if err := put(byte(i+1), b); err != nil {
			return nil, err
		}
	}
	for e, t := range r.Irises {
		if t == nil {
			continue
		}
		b, err := t.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("encode dedup record: eye %d: %w", e, err)
		}
		if err := put(byte(Fingers+1+e), b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnmarshalBinary decodes a record written by MarshalBinary. Every length
// is checked against the bytes present before anything is allocated.
func (r *Record) UnmarshalBinary(b []byte) error {
	*r = Record{}
	return scanRecord(b, func(tag byte, body []byte) error {
		if tag <= Fingers {
			t := new(finger.Template)
			if err := t.UnmarshalBinary(body); err != nil {
				return fmt.Errorf("%w: finger %d: %v", ErrRecord, tag, err)
			}
			r.Fingers[tag-1] = t
			return nil
		}
		t := new(iris.Template)
		if err := t.UnmarshalBinary(body); err != nil {
			return fmt.Errorf("%w: eye %d: %v", ErrRecord, tag-Fingers-1, err)
		}
		r.Irises[tag-Fingers-1] = t
		return nil
	})
}

// scanRecord checks an encoded record's framing and calls fn with each
// entry's tag (1–12, each at most once) and body.
func scanRecord(b []byte, fn func(tag byte, body []byte) error) error {
	if len(b) > MaxRecordSize {
		return fmt.Errorf("%w: %d bytes, more than %d", ErrRecord, len(b), MaxRecordSize)
	}
	if len(b) < len(recordMagic)+1 || string(b[:len(recordMagic)]) != recordMagic {
		return fmt.Errorf("%w: no %q header", ErrRecord, recordMagic)
	}
	if v := b[len(recordMagic)]; v != recordVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrRecord, v, recordVersion)
	}
	var seen [Fingers + Eyes + 1]bool
	p := b[len(recordMagic)+1:]
	for off := len(recordMagic) + 1; len(p) > 0; {
		if len(p) < 3 {
			return fmt.Errorf("%w: truncated entry header at byte %d", ErrRecord, off)
		}
		tag, n := p[0], int(binary.LittleEndian.Uint16(p[1:3]))
		if len(p)-3 < n {
			return fmt.Errorf("%w: entry %d at byte %d claims %d bytes, %d left", ErrRecord, tag, off, n, len(p)-3)
		}
		if tag < 1 || int(tag) > Fingers+Eyes {
			return fmt.Errorf("%w: unknown entry tag %d at byte %d", ErrRecord, tag, off)
		}
		if seen[tag] {
			return fmt.Errorf("%w: entry %d twice", ErrRecord, tag)
		}
		seen[tag] = true
		if err := fn(tag, p[3:3+n]); err != nil {
			return err
		}
		p = p[3+n:]
		off += 3 + n
	}
	return nil
}
