// Package fingerimg reads and writes ISO/IEC 19794-4:2005 finger image
// records: a 32-byte general header ("FIR\0", version "010\0", a 6-byte
// record length, scanner and image resolution, compression) followed by one
// 14-byte view header and image per finger view. The image is WSQ (the AFIS
// exchange form), PNG, JPEG, JPEG 2000 or raw pixels.
package fingerimg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Sizes of the fixed parts.
const (
	HeaderSize     = 32
	ViewHeaderSize = 14
)

// MaxViews is the most views one record may hold (the count is one byte).
const MaxViews = 255

// Compression is the image compression algorithm code.
type Compression uint8

// Compression codes of ISO/IEC 19794-4:2005.
const (
	Uncompressed          Compression = 0
	UncompressedBitPacked Compression = 1
	WSQ                   Compression = 2
	JPEG                  Compression = 3
	JPEG2000              Compression = 4
	PNG                   Compression = 5
)

// String names the compression.
func (c Compression) String() string {
	switch c {
	case Uncompressed:
		return "uncompressed"
	case UncompressedBitPacked:
		return "uncompressed bit-packed"
	case WSQ:
		return "WSQ"
	case JPEG:
		return "JPEG"
	case JPEG2000:
		return "JPEG 2000"
	case PNG:
		return "PNG"
	}
	return fmt.Sprintf("compression %d", uint8(c))
}

// Scale units.
const (
	UnitsPPI  uint8 = 1 // pixels per inch
	UnitsPPCM uint8 = 2 // pixels per centimetre
)

// ErrFormat reports bytes that are not a finger image record.
var ErrFormat = errors.New("fingerimg: invalid format")

// Record is one finger image record.
type Record struct {
	CaptureDeviceID uint16
	// AcquisitionLevel is the image acquisition setting level: 10, 20, 30,
	// 31, 35, 40 or 41 (31 is 500 ppi AFIS quality).
	AcquisitionLevel uint16
	ScaleUnits       uint8
	ScanResX         uint16
	ScanResY         uint16
	ImageResX        uint16
	ImageResY        uint16
	PixelDepth       uint8
	Compression      Compression
	Views            []View
}

// View is one finger (or palm) image.
type View struct {
	// Position is the finger position code: 0 unknown, 1 right thumb … 10
	// left little, 11-15 plain multi-finger, 20+ palms.
	Position uint8
	// ViewCount is the number of views of this finger; ViewNumber counts
	// from 1.
	ViewCount  uint8
	ViewNumber uint8
	// Quality is 0-100, 254 when not computed, 255 failed.
	Quality uint8
	// Impression is 0 live-scan plain, 1 live-scan rolled, 2 non-live
	// plain, 3 non-live rolled, 8 swipe.
	Impression    uint8
	Width, Height uint16
	Data          []byte
}

// Marshal encodes the record.
func (r *Record) Marshal() ([]byte, error) {
	if len(r.Views) == 0 || len(r.Views) > MaxViews {
		return nil, fmt.Errorf("fingerimg: %d views, want 1-%d", len(r.Views), MaxViews)
	}
	total := HeaderSize
	for _, v := range r.Views {
		total += ViewHeaderSize + len(v.Data)
	}
	if uint64(total) >= 1<<48 {
		return nil, errors.New("fingerimg: record too long")
	}
	out := make([]byte, 0, total)
	out = append(out, "FIR\x00010\x00"...)
	out = append(out, byte(total>>40), byte(total>>32))
	out = binary.BigEndian.AppendUint32(out, uint32(total))
	out = binary.BigEndian.AppendUint16(out, r.CaptureDeviceID)
	out = binary.BigEndian.AppendUint16(out, r.AcquisitionLevel)
	out = append(out, byte(len(r.Views)), r.ScaleUnits)
	for _, v := range []uint16{r.ScanResX, r.ScanResY, r.ImageResX, r.ImageResY} {
		out = binary.BigEndian.AppendUint16(out, v)
	}
	out = append(out, r.PixelDepth, byte(r.Compression), 0, 0)
	for _, v := range r.Views {
		if uint64(len(v.Data))+ViewHeaderSize > 0xFFFFFFFF {
			return nil, errors.New("fingerimg: view too long")
		}
		out = binary.BigEndian.AppendUint32(out, uint32(ViewHeaderSize+len(v.Data)))
		out = append(out, v.Position, v.ViewCount, v.ViewNumber, v.Quality, v.Impression)
		out = binary.BigEndian.AppendUint16(out, v.Width)
		out = binary.BigEndian.AppendUint16(out, v.Height)
		out = append(out, 0)
		out = append(out, v.Data...)
	}
	return out, nil
}

// Unmarshal decodes a record; view data aliases data.
func Unmarshal(data []byte) (*Record, error) {
	if len(data) < HeaderSize {
		return nil, fmt.Errorf("%w: %d bytes, the header needs %d", ErrFormat, len(data), HeaderSize)
	}
	if !IsRecord(data) {
		return nil, fmt.Errorf("%w: format %q version %q", ErrFormat, data[:4], data[4:8])
	}
	total := uint64(data[8])<<40 | uint64(data[9])<<32 | uint64(binary.BigEndian.Uint32(data[10:]))
	if total != uint64(len(data)) {
		return nil, fmt.Errorf("%w: record length %d, %d bytes given", ErrFormat, total, len(data))
	}
	r := &Record{
		CaptureDeviceID:  binary.BigEndian.Uint16(data[14:]),
		AcquisitionLevel: binary.BigEndian.Uint16(data[16:]),
		ScaleUnits:       data[19],
		ScanResX:         binary.BigEndian.Uint16(data[20:]),
		ScanResY:         binary.BigEndian.Uint16(data[22:]),
		ImageResX:        binary.BigEndian.Uint16(data[24:]),
		ImageResY:        binary.BigEndian.Uint16(data[26:]),
		PixelDepth:       data[28],
		Compression:      Compression(data[29]),
	}
	n := int(data[18])
	if n == 0 {
		return nil, fmt.Errorf("%w: no finger views", ErrFormat)
	}
	pos := HeaderSize
	for i := range n {
		if len(data)-pos < ViewHeaderSize {
			return nil, fmt.Errorf("%w: view %d header truncated at byte %d", ErrFormat, i+1, pos)
		}
		d := data[pos:]
		l := binary.BigEndian.Uint32(d)
		if l < ViewHeaderSize || uint64(l) > uint64(len(d)) {
			return nil, fmt.Errorf("%w: view %d at byte %d: length %d with %d bytes left", ErrFormat, i+1, pos, l, len(d))
		}
		r.Views = append(r.Views, View{
			Position: d[4], ViewCount: d[5], ViewNumber: d[6], Quality: d[7], Impression: d[8],
			Width: binary.BigEndian.Uint16(d[9:]), Height: binary.BigEndian.Uint16(d[11:]),
			Data: d[ViewHeaderSize:l],
		})
		pos += int(l)
	}
	if pos != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the last view", ErrFormat, len(data)-pos)
	}
	return r, nil
}

// IsRecord reports whether data starts like a 19794-4:2005 record.
func IsRecord(data []byte) bool { return bytes.HasPrefix(data, []byte("FIR\x00010\x00")) }
