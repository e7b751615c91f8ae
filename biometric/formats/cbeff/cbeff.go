// Package cbeff wraps a biometric data block (BDB) — an ISO/IEC 19794
// record, a template — in a CBEFF-style header (ISO/IEC 19785): who defined
// the format and which format it is, what kind of biometric it holds, when
// it was created, its quality and the purpose of the capture.
//
// The byte layout is the station's own fixed header, big-endian:
//
//	offset size field
//	0      4    magic "CBF1"
//	4      2    BDB format owner
//	6      2    BDB format type
//	8      3    biometric type (CBEFF bit mask)
//	11     1    biometric subtype (CBEFF: bit 0 right, bit 1 left; finger codes in the high bits)
//	12     1    purpose
//	13     1    quality 0-100, 254 not supported, 255 failed
//	14     7    creation date: year(2) month day hour minute second, UTC
//	21     4    BDB length
//	25     n    BDB
package cbeff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Magic starts every wrapped record.
const Magic = "CBF1"

// HeaderSize is the size of the fixed header.
const HeaderSize = 25

// Format owner and types registered for ISO/IEC JTC 1/SC 37 records (the
// values ICAO 9303 uses in its biometric data groups).
const (
	OwnerISO       uint16 = 0x0101
	TypeFingerImg  uint16 = 0x0007 // ISO/IEC 19794-4
	TypeFaceImg    uint16 = 0x0008 // ISO/IEC 19794-5
	TypeIrisImg    uint16 = 0x0009 // ISO/IEC 19794-6
	TypeUnassigned uint16 = 0x0000
)

// Biometric type bits (CBEFF).
const (
	BioFace      uint32 = 0x000002
	BioFinger    uint32 = 0x000008
	BioIris      uint32 = 0x000010
	BioSignature uint32 = 0x000080
)

// Purpose of the capture (CBEFF).
type Purpose uint8

// Purposes.
const (
	PurposeVerify             Purpose = 1
	PurposeIdentify           Purpose = 2
	PurposeEnroll             Purpose = 3
	PurposeEnrollVerification Purpose = 4
	PurposeEnrollIdentify     Purpose = 5
	PurposeAudit              Purpose = 6
)

// Quality values with a special meaning.
const (
	QualityNotSupported uint8 = 254
	QualityFailed       uint8 = 255
)

// ErrFormat reports bytes that are not a wrapped record.
var ErrFormat = errors.New("cbeff: invalid format")

// Header is the CBEFF-style header around one biometric data block.
type Header struct {
	FormatOwner   uint16
	FormatType    uint16
	BiometricType uint32
	Subtype       uint8
	Purpose       Purpose
	Quality       uint8
	// Created is stored to the second, in UTC.
	Created time.Time
}

// Record is a header with its biometric data block.
type Record struct {
	Header
	BDB []byte
}

// Marshal encodes the record.
func (r *Record) Marshal() ([]byte, error) {
	if r.BiometricType > 0xFFFFFF {
		return nil, fmt.Errorf("cbeff: biometric type %#x wider than 24 bits", r.BiometricType)
	}
	if r.Quality > 100 && r.Quality < QualityNotSupported {
		return nil, fmt.Errorf("cbeff: quality %d out of range", r.Quality)
	}
	c := r.Created.UTC()
	if c.Year() < 1 || c.Year() > 9999 {
		return nil, fmt.Errorf("cbeff: creation year %d out of range", c.Year())
	}
	if uint64(len(r.BDB)) > 0xFFFFFFFF {
		return nil, errors.New("cbeff: data block longer than 4 GiB")
	}
	out := make([]byte, 0, HeaderSize+len(r.BDB))
	out = append(out, Magic...)
	out = binary.BigEndian.AppendUint16(out, r.FormatOwner)
	out = binary.BigEndian.AppendUint16(out, r.FormatType)
	out = append(out, byte(r.BiometricType>>16), byte(r.BiometricType>>8), byte(r.BiometricType))
	out = append(out, r.Subtype, byte(r.Purpose), r.Quality)
	out = binary.BigEndian.AppendUint16(out, uint16(c.Year()))
	out = append(out, byte(c.Month()), byte(c.Day()), byte(c.Hour()), byte(c.Minute()), byte(c.Second()))
	out = binary.BigEndian.AppendUint32(out, uint32(len(r.BDB)))
	return append(out, r.BDB...), nil
}

// Unmarshal decodes a wrapped record; the BDB aliases data.
func Unmarshal(data []byte) (*Record, error) {
	if len(data) < HeaderSize {
		return nil, fmt.Errorf("%w: %d bytes, the header needs %d", ErrFormat, len(data), HeaderSize)
	}
	if !bytes.Equal(data[:4], []byte(Magic)) {
		return nil, fmt.Errorf("%w: magic %q", ErrFormat, data[:4])
	}
	r := &Record{}
	r.FormatOwner = binary.BigEndian.Uint16(data[4:])
	r.FormatType = binary.BigEndian.Uint16(data[6:])
	r.BiometricType = uint32(data[8])<<16 | uint32(data[9])<<8 | uint32(data[10])
	r.Subtype, r.Purpose, r.Quality = data[11], Purpose(data[12]), data[13]
	if r.Quality > 100 && r.Quality < QualityNotSupported {
		return nil, fmt.Errorf("%w: quality %d", ErrFormat, r.Quality)
	}
	y := int(binary.BigEndian.Uint16(data[14:]))
	mo, d, h, mi, s := int(data[16]), int(data[17]), int(data[18]), int(data[19]), int(data[20])
	r.Created = time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	if y < 1 || y > 9999 || r.Created.Month() != time.Month(mo) || r.Created.Day() != d ||
		h > 23 || mi > 59 || s > 59 {
		return nil, fmt.Errorf("%w: creation date %04d-%02d-%02d %02d:%02d:%02d", ErrFormat, y, mo, d, h, mi, s)
	}
	n := binary.BigEndian.Uint32(data[21:])
	if uint64(n) != uint64(len(data)-HeaderSize) {
		return nil, fmt.Errorf("%w: data block length %d with %d bytes after the header", ErrFormat, n, len(data)-HeaderSize)
	}
	r.BDB = data[HeaderSize:]
	return r, nil
}

// IsCBEFF reports whether data starts with the wrapper's magic.
func IsCBEFF(data []byte) bool { return bytes.HasPrefix(data, []byte(Magic)) }
