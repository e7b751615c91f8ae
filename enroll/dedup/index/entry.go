package index

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

// Entry is a record made ready for the index: the fingers kept in their
// native encoding (prepared for the full matcher only when first
// short-listed) with their first-stage codes, the irises decoded. Its
// encoding is what the station stores (sealed), so that the start-up load
// does not recompute the codes.
type Entry struct {
	fingers [Fingers][]byte
	keys    [Fingers][]uint16
	irises  [Eyes]*iris.Template
}

// ErrEntry is wrapped by errors about malformed entry encodings.
var ErrEntry = errors.New("dedup entry: malformed")

const (
	entryMagic   = "RKDE"
	entryVersion = 1
	// codeVersion names the first-stage code's definition: entries stored
	// with an older one have their codes recomputed. Version 1 was a
	// 640-bit set of pair bins (80 bytes a finger); version 2 is the
	// pair-key list of fingerkeys.go.
	codeVersion = 2
	codeV1Bytes = 80
)

// NewEntry prepares r for the index. A record without any template is
// refused.
func NewEntry(r *Record) (*Entry, error) {
	if f, e := r.Modalities(); f+e == 0 {
		return nil, fmt.Errorf("dedup entry: the record holds no template")
	}
	e := &Entry{irises: r.Irises}
	for p, t := range r.Fingers {
		if t == nil || len(t.Minutiae) == 0 {
			continue
		}
		b, err := t.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("dedup entry: finger %d: %w", p+1, err)
		}
		e.fingers[p], e.keys[p] = b, fingerKeys(t)
	}
	return e, nil
}

// MarshalBinary encodes the entry: "RKDE", version, code version, a
// little-endian uint16 bit set of the fingers with codes, their codes (a
// key count byte, then the little-endian 16-bit keys), then the record
// encoding.
func (e *Entry) MarshalBinary() ([]byte, error) {
	out := append([]byte(entryMagic), entryVersion, codeVersion, 0, 0)
	var set uint16
	for p := range e.fingers {
		if e.fingers[p] != nil {
			set |= 1 << p
			out = append(out, byte(len(e.keys[p])))
			for _, k := range e.keys[p] {
				out = binary.LittleEndian.AppendUint16(out, k)
			}
		}
	}
	binary.LittleEndian.PutUint16(out[6:8], set)
	out = append(out, recordMagic...)
	out = append(out, recordVersion)
	for p, b := range e.fingers {
		if b != nil {
			out = append(out, byte(p+1))
			out = binary.LittleEndian.AppendUint16(out, uint16(len(b)))
			out = append(out, b...)
		}
	}
	for i, t := range e.irises {
		if t == nil {
			continue
		}
		b, err := t.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("dedup entry: eye %d: %w", i, err)
		}
		out = append(out, byte(Fingers+1+i))
		out = binary.LittleEndian.AppendUint16(out, uint16(len(b)))
		out = append(out, b...)
	}
	return out, nil
}

// UnmarshalBinary decodes an entry written by MarshalBinary. Finger
// templates are checked for framing only; a finger that fails to decode
// later is skipped by the matcher.
func (e *Entry) UnmarshalBinary(b []byte) error {
	*e = Entry{}
	if len(b) < 8 || string(b[:4]) != entryMagic {
		return fmt.Errorf("%w: no %q header", ErrEntry, entryMagic)
	}
	if b[4] != entryVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrEntry, b[4], entryVersion)
	}
	stale := b[5] != codeVersion
	if b[5] != 1 && b[5] != codeVersion {
		return fmt.Errorf("%w: first-stage code version %d", ErrEntry, b[5])
	}
	set := binary.LittleEndian.Uint16(b[6:8])
	if set>>Fingers != 0 {
		return fmt.Errorf("%w: finger set %#x", ErrEntry, set)
	}
	p := b[8:]
	keys := make([]uint16, 0, min(len(p)/2, Fingers*maxFingerKeys))
	for f := 0; f < Fingers; f++ {
		if set&(1<<f) == 0 {
			continue
		}
		if stale {
			if len(p) < codeV1Bytes {
				return fmt.Errorf("%w: truncated first-stage codes", ErrEntry)
			}
			p = p[codeV1Bytes:]
			continue
		}
		if len(p) < 1 || len(p) < 1+2*int(p[0]) {
			return fmt.Errorf("%w: truncated first-stage codes", ErrEntry)
		}
		// All fingers' keys share one allocation.
		n := len(keys)
		for k := 0; k < int(p[0]); k++ {
			keys = append(keys, binary.LittleEndian.Uint16(p[1+2*k:]))
		}
		e.keys[f], p = keys[n:len(keys):len(keys)], p[1+2*int(p[0]):]
	}
	err := scanRecord(p, func(tag byte, body []byte) error {
		if tag <= Fingers {
			if set&(1<<(tag-1)) == 0 && !stale {
				return fmt.Errorf("%w: finger %d has no first-stage code", ErrEntry, tag)
			}
			e.fingers[tag-1] = append([]byte(nil), body...)
			return nil
		}
		t := new(iris.Template)
		if err := t.UnmarshalBinary(body); err != nil {
			return fmt.Errorf("%w: eye %d: %v", ErrEntry, tag-Fingers-1, err)
		}
		e.irises[tag-Fingers-1] = t
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrEntry, err)
	}
	for f := 0; f < Fingers; f++ {
		if (set&(1<<f) != 0) != (e.fingers[f] != nil) && !stale {
			return fmt.Errorf("%w: finger %d code without template", ErrEntry, f+1)
		}
		if stale && e.fingers[f] != nil {
			var t finger.Template
			if err := t.UnmarshalBinary(e.fingers[f]); err != nil {
				return fmt.Errorf("%w: finger %d: %v", ErrEntry, f+1, err)
			}
			e.keys[f] = fingerKeys(&t)
		}
	}
	if e.empty() {
		return fmt.Errorf("%w: no template", ErrEntry)
	}
	return nil
}

func (e *Entry) empty() bool {
	for _, b := range e.fingers {
		if b != nil {
			return false
		}
	}
	return e.irises[0] == nil && e.irises[1] == nil
}
