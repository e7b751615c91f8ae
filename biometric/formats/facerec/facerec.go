// Package facerec reads and writes ISO/IEC 19794-5:2005 face image records
// (the layout ICAO 9303 stores in data group 2): a 14-byte general header
// ("FAC\0", version "010\0", record length, image count), then per image a
// 20-byte facial information block, its feature points (8 bytes each), a
// 12-byte image information block and the JPEG or JPEG 2000 data.
package facerec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Sizes of the fixed parts.
const (
	HeaderSize       = 14
	FacialInfoSize   = 20
	FeaturePointSize = 8
	ImageInfoSize    = 12
)

// ErrFormat reports bytes that are not a face image record.
var ErrFormat = errors.New("facerec: invalid format")

// Image data types.
const (
	DataJPEG     uint8 = 0
	DataJPEG2000 uint8 = 1
)

// Face image types.
const (
	TypeBasic         uint8 = 0
	TypeFullFrontal   uint8 = 1
	TypeTokenFrontal  uint8 = 2
	GenderUnspecified uint8 = 0
	GenderMale        uint8 = 1
	GenderFemale      uint8 = 2
	GenderUnknown     uint8 = 0xFF
)

// Record is one face image record.
type Record struct {
	Images []Face
}

// Face is one facial image with its descriptive blocks.
type Face struct {
	Gender     uint8
	EyeColour  uint8
	HairColour uint8
	// FeatureMask is the 24-bit property mask (glasses, moustache …).
	FeatureMask uint32
	Expression  uint16
	// Pose is yaw, pitch and roll (0 unspecified, else 1 + (angle+180)/2);
	// PoseUncertainty the matching uncertainties.
	Pose            [3]uint8
	PoseUncertainty [3]uint8
	FeaturePoints   []FeaturePoint
	// ImageType is basic, full frontal or token frontal.
	ImageType uint8
	// DataType is DataJPEG or DataJPEG2000.
	DataType      uint8
	Width, Height uint16
	// ColourSpace: 0 unspecified, 1 24-bit RGB, 2 YUV422, 3 8-bit greyscale.
	ColourSpace uint8
	SourceType  uint8
	DeviceType  uint16
	Quality     uint16
	Data        []byte
}

// FeaturePoint is one MPEG-4 facial feature point.
type FeaturePoint struct {
	Type uint8
	// Code is the MPEG-4 major (high nibble) and minor (low nibble) code.
	Code uint8
	X, Y uint16
}

func (f *Face) size() int {
	return FacialInfoSize + FeaturePointSize*len(f.FeaturePoints) + ImageInfoSize + len(f.Data)
}

// Marshal encodes the record.
func (r *Record) Marshal() ([]byte, error) {
	if len(r.Images) == 0 || len(r.Images) > 0xFFFF {
		return nil, fmt.Errorf("facerec: %d images, want 1-65535", len(r.Images))
	}
	total := HeaderSize
	for i := range r.Images {
		f := &r.Images[i]
		if len(f.FeaturePoints) > 0xFFFF || f.FeatureMask > 0xFFFFFF {
			return nil, fmt.Errorf("facerec: image %d: %d feature points, mask %#x", i+1, len(f.FeaturePoints), f.FeatureMask)
		}
		total += f.size()
	}
	if uint64(total) > 0xFFFFFFFF {
		return nil, errors.New("facerec: record too long")
	}
	out := make([]byte, 0, total)
	out = append(out, "FAC\x00010\x00"...)
	out = binary.BigEndian.AppendUint32(out, uint32(total))
	out = binary.BigEndian.AppendUint16(out, uint16(len(r.Images)))
	for i := range r.Images {
		f := &r.Images[i]
		out = binary.BigEndian.AppendUint32(out, uint32(f.size()))
		out = binary.BigEndian.AppendUint16(out, uint16(len(f.FeaturePoints)))
		out = append(out, f.Gender, f.EyeColour, f.HairColour,
			byte(f.FeatureMask>>16), byte(f.FeatureMask>>8), byte(f.FeatureMask))
		out = binary.BigEndian.AppendUint16(out, f.Expression)
		out = append(out, f.Pose[:]...)
		out = append(out, f.PoseUncertainty[:]...)
		for _, p := range f.FeaturePoints {
			out = append(out, p.Type, p.Code)
			out = binary.BigEndian.AppendUint16(out, p.X)
			out = binary.BigEndian.AppendUint16(out, p.Y)
			out = append(out, 0, 0)
		}
		out = append(out, f.ImageType, f.DataType)
		out = binary.BigEndian.AppendUint16(out, f.Width)
		out = binary.BigEndian.AppendUint16(out, f.Height)
		out = append(out, f.ColourSpace, f.SourceType)
		out = binary.BigEndian.AppendUint16(out, f.DeviceType)
		out = binary.BigEndian.AppendUint16(out, f.Quality)
		out = append(out, f.Data...)
	}
	return out, nil
}

// Unmarshal decodes a record; image data aliases data.
func Unmarshal(data []byte) (*Record, error) {
	if len(data) < HeaderSize {
		return nil, fmt.Errorf("%w: %d bytes, the header needs %d", ErrFormat, len(data), HeaderSize)
	}
	if !IsRecord(data) {
		return nil, fmt.Errorf("%w: format %q version %q", ErrFormat, data[:4], data[4:8])
	}
	if total := binary.BigEndian.Uint32(data[8:]); uint64(total) != uint64(len(data)) {
		return nil, fmt.Errorf("%w: record length %d, %d bytes given", ErrFormat, total, len(data))
	}
	n := int(binary.BigEndian.Uint16(data[12:]))
	if n == 0 {
		return nil, fmt.Errorf("%w: no face images", ErrFormat)
	}
	r := &Record{}
	pos := HeaderSize
	for i := range n {
		d := data[pos:]
		if len(d) < FacialInfoSize {
			return nil, fmt.Errorf("%w: image %d truncated at byte %d", ErrFormat, i+1, pos)
		}
		l := uint64(binary.BigEndian.Uint32(d))
		np := int(binary.BigEndian.Uint16(d[4:]))
		fixed := uint64(FacialInfoSize + FeaturePointSize*np + ImageInfoSize)
		if l < fixed || l > uint64(len(d)) {
			return nil, fmt.Errorf("%w: image %d at byte %d: length %d, %d feature points, %d bytes left", ErrFormat, i+1, pos, l, np, len(d))
		}
		f := Face{
			Gender: d[6], EyeColour: d[7], HairColour: d[8],
			FeatureMask: uint32(d[9])<<16 | uint32(d[10])<<8 | uint32(d[11]),
			Expression:  binary.BigEndian.Uint16(d[12:]),
		}
		copy(f.Pose[:], d[14:17])
		copy(f.PoseUncertainty[:], d[17:20])
		p := d[FacialInfoSize:]
		for range np {
			f.FeaturePoints = append(f.FeaturePoints, FeaturePoint{p[0], p[1], binary.BigEndian.Uint16(p[2:]), binary.BigEndian.Uint16(p[4:])})
			p = p[FeaturePointSize:]
		}
		f.ImageType, f.DataType = p[0], p[1]
		f.Width, f.Height = binary.BigEndian.Uint16(p[2:]), binary.BigEndian.Uint16(p[4:])
		f.ColourSpace, f.SourceType = p[6], p[7]
		f.DeviceType, f.Quality = binary.BigEndian.Uint16(p[8:]), binary.BigEndian.Uint16(p[10:])
		f.Data = d[fixed:l]
		r.Images = append(r.Images, f)
		pos += int(l)
	}
	if pos != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the last image", ErrFormat, len(data)-pos)
	}
	return r, nil
}

// IsRecord reports whether data starts like a 19794-5:2005 record.
func IsRecord(data []byte) bool { return bytes.HasPrefix(data, []byte("FAC\x00010\x00")) }
