// Package irisrec reads and writes ISO/IEC 19794-6:2011 iris image data
// records: a general header and one representation per captured eye image,
// each with its capture metadata, quality blocks, iris geometry and the
// image itself (PNG here; JPEG 2000 and raw are carried but not decoded).
//
// Rekam extension: a representation may carry vendor data (our iris code
// and mask) after the image, framed as "RKEX", a 4-byte length and the
// bytes, and counted in the representation length. Readers that honour the
// representation length skip it; without an extension the record is plain
// ISO/IEC 19794-6:2011.
package irisrec

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Header constants of ISO/IEC 19794-6:2011.
const (
	FormatID = "IIR\x00"
	Version  = "020\x00"
)

// Image formats (ISO/IEC 19794-6:2011 image format field).
const (
	FormatMonoRaw      = 0x02
	FormatMonoJPEG2000 = 0x0A
	FormatMonoPNG      = 0x0E
)

// Image types.
const (
	TypeUncropped        = 1
	TypeVGA              = 2
	TypeCropped          = 3
	TypeCroppedAndMasked = 7
)

// Eye labels.
const (
	EyeUnspecified = 0
	EyeRight       = 1
	EyeLeft        = 2
)

// Sizes of the fixed parts, in bytes.
const (
	generalHeaderSize = 16
	reprFixedSize     = 52
	qualityBlockSize  = 5
	extensionMagic    = "RKEX"
	extensionHeader   = 8
)

// Record is one iris image data record.
type Record struct {
	// CertificationFlag is 0 unless the capture device is certified.
	CertificationFlag uint8
	// Eyes is the number of distinct eyes represented (0, 1 or 2).
	Eyes uint8
	// Representations holds one entry per image.
	Representations []Representation
}

// CaptureTime is the capture date and time in UTC; all fields 0xFF…
// (Year 0xFFFF) when unknown.
type CaptureTime struct {
	Year                       uint16
	Month, Day, Hour, Min, Sec uint8
	Millisecond                uint16
}

// QualityBlock is one quality score with the algorithm that produced it.
type QualityBlock struct {
	// Score is 0..100, 254 = not computed, 255 = failed.
	Score       uint8
	VendorID    uint16
	AlgorithmID uint16
}

// Representation is one iris image with its metadata.
type Representation struct {
	// Captured is when the image was taken.
	Captured CaptureTime
	// DeviceTechnology is 0 unknown, 1 CMOS/CCD.
	DeviceTechnology uint8
	// DeviceVendor (an IBIA-registered vendor ID, 0 unknown) and
	// DeviceType (the vendor's model number) identify the camera.
	DeviceVendor uint16
	DeviceType   uint16
	// Quality holds up to 255 quality scores.
	Quality []QualityBlock
	// Number is the representation's sequence number, from 1.
	Number uint16
	// Eye is EyeUnspecified, EyeRight or EyeLeft.
	Eye uint8
	// ImageType is TypeUncropped, TypeVGA, TypeCropped or
	// TypeCroppedAndMasked.
	ImageType uint8
	// Format is FormatMonoRaw, FormatMonoJPEG2000 or FormatMonoPNG.
	Format uint8
	// Properties packs horizontal orientation (bits 0–1), vertical
	// orientation (bits 2–3) and compression history (bits 6–7).
	Properties uint8
	// Width and Height are the image size in pixels; BitDepth its grey
	// levels in bits.
	Width, Height uint16
	BitDepth      uint8
	// Range is the camera-to-eye distance in cm (0 unknown).
	Range uint16
	// RollAngle and RollUncertainty are in units of 360/65536 degrees
	// (0xFFFF unknown).
	RollAngle, RollUncertainty uint16
	// Iris centre and diameter ranges in pixels (0 unknown).
	CentreMinX, CentreMaxX, CentreMinY, CentreMaxY uint16
	DiameterMin, DiameterMax                       uint16
	// Image is the encoded image (PNG, JPEG 2000 or raw, per Format).
	Image []byte
	// Extension is Rekam vendor data (an iris template), empty if none.
	Extension []byte
}

// ErrFormat reports a malformed record.
var ErrFormat = errors.New("irisrec: malformed record")

func (r *Representation) size() int {
	n := reprFixedSize + qualityBlockSize*len(r.Quality) + len(r.Image)
	if len(r.Extension) > 0 {
		n += extensionHeader + len(r.Extension)
	}
	return n
}

// Marshal encodes the record.
func (rec *Record) Marshal() ([]byte, error) {
	if len(rec.Representations) > 0xFFFF {
		return nil, fmt.Errorf("irisrec: %d representations, at most 65535", len(rec.Representations))
	}
	total := generalHeaderSize
	for i := range rec.Representations {
		r := &rec.Representations[i]
		if len(r.Quality) > 0xFF {
			return nil, fmt.Errorf("irisrec: representation %d: %d quality blocks, at most 255", i+1, len(r.Quality))
		}
		total += r.size()
	}
	if total > 0xFFFFFFFF {
		return nil, fmt.Errorf("irisrec: record of %d bytes too large", total)
	}
	b := make([]byte, 0, total)
	b = append(b, FormatID...)
	b = append(b, Version...)
	b = binary.BigEndian.AppendUint32(b, uint32(total))
	b = binary.BigEndian.AppendUint16(b, uint16(len(rec.Representations)))
	b = append(b, rec.CertificationFlag, rec.Eyes)
	for i := range rec.Representations {
		b = rec.Representations[i].append(b)
	}
	return b, nil
}

func (r *Representation) append(b []byte) []byte {
	be := binary.BigEndian
	b = be.AppendUint32(b, uint32(r.size()))
	c := r.Captured
	b = be.AppendUint16(b, c.Year)
	b = append(b, c.Month, c.Day, c.Hour, c.Min, c.Sec)
	b = be.AppendUint16(b, c.Millisecond)
	b = append(b, r.DeviceTechnology)
	b = be.AppendUint16(b, r.DeviceVendor)
	b = be.AppendUint16(b, r.DeviceType)
	b = append(b, uint8(len(r.Quality)))
	for _, q := range r.Quality {
		b = append(b, q.Score)
		b = be.AppendUint16(b, q.VendorID)
		b = be.AppendUint16(b, q.AlgorithmID)
	}
	b = be.AppendUint16(b, r.Number)
	b = append(b, r.Eye, r.ImageType, r.Format, r.Properties)
	b = be.AppendUint16(b, r.Width)
	b = be.AppendUint16(b, r.Height)
	b = append(b, r.BitDepth)
	for _, v := range []uint16{r.Range, r.RollAngle, r.RollUncertainty,
		r.CentreMinX, r.CentreMaxX, r.CentreMinY, r.CentreMaxY, r.DiameterMin, r.DiameterMax} {
		b = be.AppendUint16(b, v)
	}
	b = be.AppendUint32(b, uint32(len(r.Image)))
	b = append(b, r.Image...)
	if len(r.Extension) > 0 {
		b = append(b, extensionMagic...)
		b = be.AppendUint32(b, uint32(len(r.Extension)))
		b = append(b, r.Extension...)
	}
	return b
}

// reader walks a byte slice and remembers the first error.
type reader struct {
	b   []byte
	off int
	err error
}

func (rd *reader) take(n int, what string) []byte {
	if rd.err != nil {
		return nil
	}
	if n < 0 || n > len(rd.b)-rd.off {
		rd.err = fmt.Errorf("%w: %s: need %d bytes at offset %d, have %d", ErrFormat, what, n, rd.off, len(rd.b)-rd.off)
		return nil
	}
	s := rd.b[rd.off : rd.off+n]
	rd.off += n
	return s
}

func (rd *reader) u8(what string) uint8 {
	if s := rd.take(1, what); s != nil {
		return s[0]
	}
	return 0
}

func (rd *reader) u16(what string) uint16 {
	if s := rd.take(2, what); s != nil {
		return binary.BigEndian.Uint16(s)
	}
	return 0
}

func (rd *reader) u32(what string) uint32 {
	if s := rd.take(4, what); s != nil {
		return binary.BigEndian.Uint32(s)
	}
	return 0
}

// Unmarshal decodes a record, checking every length against the bytes
// actually present, so a hostile length field cannot cause a large
// allocation. Image and extension bytes are copied out of b.
func Unmarshal(b []byte) (*Record, error) {
	rd := &reader{b: b}
	if id := rd.take(4, "format identifier"); rd.err == nil && string(id) != FormatID {
		return nil, fmt.Errorf("%w: format identifier %q, want %q", ErrFormat, id, FormatID)
	}
	if v := rd.take(4, "version"); rd.err == nil && string(v) != Version {
		return nil, fmt.Errorf("%w: version %q, want %q (ISO/IEC 19794-6:2011)", ErrFormat, v, Version)
	}
	length := rd.u32("record length")
	n := rd.u16("number of representations")
	rec := &Record{CertificationFlag: rd.u8("certification flag"), Eyes: rd.u8("number of eyes")}
	if rd.err != nil {
		return nil, rd.err
	}
	if int64(length) != int64(len(b)) {
		return nil, fmt.Errorf("%w: record length field %d, record has %d bytes", ErrFormat, length, len(b))
	}
	if rec.Eyes > 2 {
		return nil, fmt.Errorf("%w: %d eyes", ErrFormat, rec.Eyes)
	}
	// Each representation takes at least reprFixedSize bytes.
	if int(n) > (len(b)-generalHeaderSize)/reprFixedSize {
		return nil, fmt.Errorf("%w: %d representations cannot fit in %d bytes", ErrFormat, n, len(b))
	}
	rec.Representations = make([]Representation, n)
	for i := range rec.Representations {
		if err := readRepresentation(rd, &rec.Representations[i]); err != nil {
			return nil, fmt.Errorf("representation %d: %w", i+1, err)
		}
	}
	if rd.off != len(b) {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(b)-rd.off)
	}
	return rec, nil
}

func readRepresentation(rd *reader, r *Representation) error {
	start := rd.off
	length := rd.u32("representation length")
	if rd.err == nil && (int64(length) < reprFixedSize || int64(length) > int64(len(rd.b)-start)) {
		return fmt.Errorf("%w: representation length %d at offset %d", ErrFormat, length, start)
	}
	end := start + int(length)
	c := &r.Captured
	c.Year = rd.u16("capture year")
	c.Month, c.Day, c.Hour, c.Min, c.Sec = rd.u8("month"), rd.u8("day"), rd.u8("hour"), rd.u8("minute"), rd.u8("second")
	c.Millisecond = rd.u16("millisecond")
	r.DeviceTechnology = rd.u8("device technology")
	r.DeviceVendor = rd.u16("device vendor")
	r.DeviceType = rd.u16("device type")
	nq := int(rd.u8("number of quality blocks"))
	if rd.err == nil && nq*qualityBlockSize > end-rd.off {
		return fmt.Errorf("%w: %d quality blocks overrun the representation", ErrFormat, nq)
	}
	for q := 0; q < nq && rd.err == nil; q++ {
		r.Quality = append(r.Quality, QualityBlock{Score: rd.u8("quality score"), VendorID: rd.u16("quality vendor"), AlgorithmID: rd.u16("quality algorithm")})
	}
	r.Number = rd.u16("representation number")
	r.Eye = rd.u8("eye label")
	r.ImageType = rd.u8("image type")
	r.Format = rd.u8("image format")
	r.Properties = rd.u8("image properties")
	r.Width = rd.u16("width")
	r.Height = rd.u16("height")
	r.BitDepth = rd.u8("bit depth")
	for _, p := range []*uint16{&r.Range, &r.RollAngle, &r.RollUncertainty,
		&r.CentreMinX, &r.CentreMaxX, &r.CentreMinY, &r.CentreMaxY, &r.DiameterMin, &r.DiameterMax} {
		*p = rd.u16("geometry")
	}
	imgLen := rd.u32("image length")
	if rd.err != nil {
		return rd.err
	}
	if int64(imgLen) > int64(end-rd.off) {
		return fmt.Errorf("%w: image length %d overruns the representation (%d bytes left)", ErrFormat, imgLen, end-rd.off)
	}
	r.Image = append([]byte(nil), rd.take(int(imgLen), "image")...)
	if rest := end - rd.off; rest > 0 {
		if rest < extensionHeader || string(rd.take(4, "extension")) != extensionMagic {
			return fmt.Errorf("%w: %d unexplained bytes after the image", ErrFormat, rest)
		}
		extLen := rd.u32("extension length")
		if int64(extLen) != int64(rest-extensionHeader) || extLen == 0 {
			return fmt.Errorf("%w: extension length %d, %d bytes left", ErrFormat, extLen, rest-extensionHeader)
		}
		r.Extension = append([]byte(nil), rd.take(int(extLen), "extension data")...)
	}
	if err := r.validate(); err != nil {
		return err
	}
	return rd.err
}

// validate checks field values the standard restricts.
func (r *Representation) validate() error {
	switch {
	case r.Eye > EyeLeft:
		return fmt.Errorf("%w: eye label %d", ErrFormat, r.Eye)
	case r.Format != FormatMonoRaw && r.Format != FormatMonoJPEG2000 && r.Format != FormatMonoPNG:
		return fmt.Errorf("%w: image format %#x", ErrFormat, r.Format)
	case r.BitDepth == 0 || r.BitDepth > 16:
		return fmt.Errorf("%w: bit depth %d", ErrFormat, r.BitDepth)
	case r.Captured.Year != 0xFFFF && (r.Captured.Month > 12 || r.Captured.Day > 31 || r.Captured.Hour > 23 || r.Captured.Min > 59 || r.Captured.Sec > 59 || r.Captured.Millisecond > 999):
		return fmt.Errorf("%w: capture time %+v", ErrFormat, r.Captured)
	}
	return nil
}
