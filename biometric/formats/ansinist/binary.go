package ansinist

import (
	"encoding/binary"
	"fmt"
)

// BinaryRecord is a Type-3..8 record: a fixed header and image data.
type BinaryRecord struct {
	// IDC is the information designation character.
	IDC uint8
	// Type-4 fields (Type-3/5/6 share the layout).
	Impression      uint8    // IMP: 0 live-scan plain, 1 live-scan rolled, 2 non-live plain, 3 non-live rolled
	FingerPositions [6]uint8 // FGP: finger positions, unused ones 255
	// ScanResolution is ISR: 0 the minimum scanning resolution, 1 native.
	ScanResolution uint8
	Width, Height  uint16 // HLL, VLL in pixels
	// Compression is GCA: 0 none, 1 WSQ (Type-4).
	Compression uint8
	// Type-8 fields.
	SignatureType  uint8 // SIG: 0 subject, 1 official
	Representation uint8 // SRT: 0 scanned uncompressed, 1 scanned compressed, 2 vectors
	Data           []byte
}

// Header sizes of the binary records.
const (
	type4Header = 18
	type8Header = 12
)

// SignatureVector is one point of a Type-8 vector signature (SRT 2).
type SignatureVector struct {
	X, Y     uint16
	Pressure uint8 // 0 pen up, 1..254 pressure, 255 end of vectors
}

// Vectors decodes the data of a Type-8 vector signature.
func (b *BinaryRecord) Vectors() ([]SignatureVector, error) {
	if b.Representation != 2 {
		return nil, fmt.Errorf("ansinist: signature representation %d is not vectors", b.Representation)
	}
	if len(b.Data)%5 != 0 {
		return nil, fmt.Errorf("%w: %d bytes of vector data is not a multiple of 5", ErrFormat, len(b.Data))
	}
	v := make([]SignatureVector, 0, len(b.Data)/5)
	for i := 0; i+5 <= len(b.Data); i += 5 {
		d := b.Data[i:]
		v = append(v, SignatureVector{binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:]), d[4]})
	}
	return v, nil
}

// EncodeVectors returns Type-8 vector data for v.
func EncodeVectors(v []SignatureVector) []byte {
	out := make([]byte, 0, 5*len(v))
	for _, p := range v {
		out = binary.BigEndian.AppendUint16(out, p.X)
		out = binary.BigEndian.AppendUint16(out, p.Y)
		out = append(out, p.Pressure)
	}
	return out
}

// parseBinary reads a binary record of type t from the start of data and
// returns it with its length.
func parseBinary(t int, data []byte, at int) (*Record, int, error) {
	if len(data) < 4 {
		return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d truncated", ErrFormat, t, at)
	}
	n := int(binary.BigEndian.Uint32(data))
	hdr := type4Header
	if t == 8 {
		hdr = type8Header
	} else if t == 7 {
		hdr = 5
	}
	if n < hdr || n > len(data) {
		return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d: length %d with %d bytes left", ErrFormat, t, at, n, len(data))
	}
	d := data[:n]
	b := &BinaryRecord{IDC: d[4]}
	switch t {
	case 8:
		b.SignatureType, b.Representation, b.ScanResolution = d[5], d[6], d[7]
		b.Width, b.Height = binary.BigEndian.Uint16(d[8:]), binary.BigEndian.Uint16(d[10:])
	case 7:
	default:
		b.Impression = d[5]
		copy(b.FingerPositions[:], d[6:12])
		b.ScanResolution = d[12]
		b.Width, b.Height = binary.BigEndian.Uint16(d[13:]), binary.BigEndian.Uint16(d[15:])
		b.Compression = d[17]
	}
	b.Data = d[hdr:]
	return &Record{Type: t, Binary: b}, n, nil
}

// appendBinary writes a binary record of type t.
func appendBinary(out []byte, t int, b *BinaryRecord) ([]byte, error) {
	hdr := type4Header
	if t == 8 {
		hdr = type8Header
	} else if t == 7 {
		hdr = 5
	}
	n := hdr + len(b.Data)
	if n > 0xFFFFFFFF {
		return nil, fmt.Errorf("ansinist: Type-%d record of %d bytes is too long", t, n)
	}
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	out = append(out, b.IDC)
	switch t {
	case 8:
		out = append(out, b.SignatureType, b.Representation, b.ScanResolution)
		out = binary.BigEndian.AppendUint16(out, b.Width)
		out = binary.BigEndian.AppendUint16(out, b.Height)
	case 7:
	default:
		out = append(out, b.Impression)
		out = append(out, b.FingerPositions[:]...)
		out = append(out, b.ScanResolution)
		out = binary.BigEndian.AppendUint16(out, b.Width)
		out = binary.BigEndian.AppendUint16(out, b.Height)
		out = append(out, b.Compression)
	}
	return append(out, b.Data...), nil
}
