// Package minutiae reads and writes finger minutiae records in the two
// interchange layouts the station speaks: ISO/IEC 19794-2:2005 (record
// format) and ANSI INCITS 378-2004. Both share one set of plain structs;
// angles are held in degrees (counter-clockwise from the x axis, image origin
// at the top left) and converted to each standard's own unit on the wire
// (ISO: 360/256 degrees, ANSI: 2 degrees), so a record read in one layout can
// be written in the other.
package minutiae

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Format names a byte layout.
type Format int

// The supported layouts.
const (
	// ISO2005 is ISO/IEC 19794-2:2005, the record format ("FMR\0", " 20\0",
	// 4-byte length, 24-byte header).
	ISO2005 Format = iota + 1
	// ANSI2004 is ANSI INCITS 378-2004 ("FMR\0", " 20\0", 2- or 6-byte
	// length, CBEFF product identifier, 26-byte header).
	ANSI2004
)

// String returns the standard's name.
func (f Format) String() string {
	switch f {
	case ISO2005:
		return "ISO/IEC 19794-2:2005"
	case ANSI2004:
		return "ANSI INCITS 378-2004"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// MinutiaType is the two-bit minutia type shared by both standards.
type MinutiaType uint8

// Minutia types.
const (
	// Other is type 00: neither an ending nor a bifurcation (or not known).
	Other MinutiaType = 0
	// Ending is type 01: a ridge ending.
	Ending MinutiaType = 1
	// Bifurcation is type 10: a ridge bifurcation.
	Bifurcation MinutiaType = 2
)

// FingerPosition is the finger code of ANSI/NIST-ITL and both standards
// (0 unknown, 1 right thumb … 5 right little, 6 left thumb … 10 left little).
type FingerPosition uint8

// Finger positions.
const (
	UnknownFinger FingerPosition = iota
	RightThumb
	RightIndex
	RightMiddle
	RightRing
	RightLittle
	LeftThumb
	LeftIndex
	LeftMiddle
	LeftRing
	LeftLittle
)

// ImpressionType is the four-bit impression code (0 live-scan plain,
// 1 live-scan rolled, 2 non-live plain, 3 non-live rolled, 8 swipe).
type ImpressionType uint8

// Impression types.
const (
	LiveScanPlain  ImpressionType = 0
	LiveScanRolled ImpressionType = 1
	NonLivePlain   ImpressionType = 2
	NonLiveRolled  ImpressionType = 3
	Swipe          ImpressionType = 8
)

// Minutia is one minutia point.
type Minutia struct {
	// Type is ending, bifurcation or other.
	Type MinutiaType
	// X and Y are pixel coordinates (origin top left), 14 bits on the wire.
	X, Y uint16
	// Angle is the direction in degrees, counter-clockwise from the x axis,
	// in [0, 360).
	Angle float64
	// Quality is 1–100, or 0 when not reported.
	Quality uint8
}

// Extension is one extended data area (e.g. type 1 ridge counts, type 2
// cores and deltas), kept as raw bytes.
type Extension struct {
	// Type is the area's type code.
	Type uint16
	// Data is the area's content after its 4-byte type/length header.
	Data []byte
}

// View is one finger view: a finger position, an impression and its minutiae.
type View struct {
	// Position is the finger.
	Position FingerPosition
	// ViewNumber distinguishes several views of one finger (0–15).
	ViewNumber uint8
	// Impression is the capture type (0–15).
	Impression ImpressionType
	// Quality is the finger quality 0–100.
	Quality uint8
	// Minutiae are the view's minutiae (at most 255).
	Minutiae []Minutia
	// Extensions are the extended data areas.
	Extensions []Extension
}

// Record is one finger minutiae record.
type Record struct {
	// Format is the layout the record was read from or is written in.
	Format Format
	// ProductOwner and ProductType form the CBEFF product identifier
	// (ANSI only; ignored for ISO).
	ProductOwner, ProductType uint16
	// Compliance is the 4-bit capture equipment compliance/certification.
	Compliance uint8
	// EquipmentID is the 12-bit capture equipment identifier.
	EquipmentID uint16
	// Width and Height are the image size in pixels.
	Width, Height uint16
	// XRes and YRes are the resolution in pixels per centimetre (197 ≈ 500 dpi).
	XRes, YRes uint16
	// Views are the finger views (at most 255).
	Views []View
}

// Limits of the layouts.
const (
	maxCoord     = 1<<14 - 1
	maxViews     = 255
	maxMinutiae  = 255
	minutiaBytes = 6
	viewHeader   = 4
	isoHeader    = 24
	ansiHeader   = 26
)

var magic = []byte{'F', 'M', 'R', 0, ' ', '2', '0', 0}

// ErrFormat is wrapped by every parse error.
var ErrFormat = errors.New("minutiae: malformed record")

func formatErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, a...))
}

// Detect reports which layout b holds, from its magic and length field.
func Detect(b []byte) (Format, error) {
	if len(b) < 14 {
		return 0, formatErr("%d bytes, shorter than any header", len(b))
	}
	if string(b[:8]) != string(magic) {
		return 0, formatErr("bad magic % x", b[:8])
	}
	if n := binary.BigEndian.Uint32(b[8:12]); int64(n) == int64(len(b)) {
		return ISO2005, nil
	}
	n := int(binary.BigEndian.Uint16(b[8:10]))
	if n == 0 && len(b) >= 14 && int64(binary.BigEndian.Uint32(b[10:14])) == int64(len(b)) {
		return ANSI2004, nil
	}
	if n == len(b) {
		return ANSI2004, nil
	}
	return 0, formatErr("length field matches neither ISO (%d) nor ANSI (%d) for %d bytes",
		binary.BigEndian.Uint32(b[8:12]), n, len(b))
}

// Unmarshal parses a record in whichever layout Detect finds.
func Unmarshal(b []byte) (*Record, error) {
	f, err := Detect(b)
	if err != nil {
		return nil, err
	}
	return UnmarshalFormat(b, f)
}

// UnmarshalFormat parses b as a record in layout f. It never allocates more
// than the input's size justifies.
func UnmarshalFormat(b []byte, f Format) (*Record, error) {
	if len(b) < 8 || string(b[:8]) != string(magic) {
		return nil, formatErr("bad magic")
	}
	r := &Record{Format: f}
	var p int
	switch f {
	case ISO2005:
		if len(b) < isoHeader {
			return nil, formatErr("ISO header needs %d bytes, have %d", isoHeader, len(b))
		}
		if n := binary.BigEndian.Uint32(b[8:12]); int64(n) != int64(len(b)) {
			return nil, formatErr("ISO length field %d, record has %d bytes", n, len(b))
		}
		p = 12
	case ANSI2004:
		if len(b) < ansiHeader {
			return nil, formatErr("ANSI header needs %d bytes, have %d", ansiHeader, len(b))
		}
		n := int64(binary.BigEndian.Uint16(b[8:10]))
		p = 10
		if n == 0 {
			if len(b) < ansiHeader+4 {
				return nil, formatErr("ANSI long header truncated")
			}
			n = int64(binary.BigEndian.Uint32(b[10:14]))
			p = 14
		}
		if n != int64(len(b)) {
			return nil, formatErr("ANSI length field %d, record has %d bytes", n, len(b))
		}
		r.ProductOwner = binary.BigEndian.Uint16(b[p:])
		r.ProductType = binary.BigEndian.Uint16(b[p+2:])
		p += 4
	default:
		return nil, formatErr("unknown format %v", f)
	}
	ce := binary.BigEndian.Uint16(b[p:])
	r.Compliance = uint8(ce >> 12)
	r.EquipmentID = ce & 0x0fff
	r.Width = binary.BigEndian.Uint16(b[p+2:])
	r.Height = binary.BigEndian.Uint16(b[p+4:])
	r.XRes = binary.BigEndian.Uint16(b[p+6:])
	r.YRes = binary.BigEndian.Uint16(b[p+8:])
	nv := int(b[p+10])
	p += 12
	// Every view takes at least its header and the 2-byte extended length.
	if nv*(viewHeader+2) > len(b)-p {
		return nil, formatErr("%d views cannot fit in %d bytes", nv, len(b)-p)
	}
	r.Views = make([]View, 0, nv)
	for i := 0; i < nv; i++ {
		v, n, err := parseView(b[p:], f)
		if err != nil {
			return nil, fmt.Errorf("view %d at byte %d: %w", i, p, err)
		}
		r.Views = append(r.Views, v)
		p += n
	}
	if p != len(b) {
		return nil, formatErr("%d trailing bytes after %d views", len(b)-p, nv)
	}
	return r, nil
}

func parseView(b []byte, f Format) (View, int, error) {
	var v View
	if len(b) < viewHeader {
		return v, 0, formatErr("view header truncated")
	}
	v.Position = FingerPosition(b[0])
	v.ViewNumber = b[1] >> 4
	v.Impression = ImpressionType(b[1] & 0x0f)
	v.Quality = b[2]
	nm := int(b[3])
	p := viewHeader
	if nm*minutiaBytes+2 > len(b)-p {
		return v, 0, formatErr("%d minutiae cannot fit in %d bytes", nm, len(b)-p)
	}
	v.Minutiae = make([]Minutia, nm)
	for i := range v.Minutiae {
		m := b[p : p+minutiaBytes]
		xw := binary.BigEndian.Uint16(m[0:])
		yw := binary.BigEndian.Uint16(m[2:])
		v.Minutiae[i] = Minutia{
			Type:    MinutiaType(xw >> 14),
			X:       xw & maxCoord,
			Y:       yw & maxCoord,
			Angle:   angleFromWire(m[4], f),
			Quality: m[5],
		}
		p += minutiaBytes
	}
	ext := int(binary.BigEndian.Uint16(b[p:]))
	p += 2
	if ext > len(b)-p {
		return v, 0, formatErr("extended data of %d bytes, only %d left", ext, len(b)-p)
	}
	for q := p; q < p+ext; {
		if p+ext-q < 4 {
			return v, 0, formatErr("extended area header truncated")
		}
		t := binary.BigEndian.Uint16(b[q:])
		n := int(binary.BigEndian.Uint16(b[q+2:]))
		if n < 4 || n > p+ext-q {
			return v, 0, formatErr("extended area type %d length %d out of range", t, n)
		}
		v.Extensions = append(v.Extensions, Extension{Type: t, Data: append([]byte(nil), b[q+4:q+n]...)})
		q += n
	}
	return v, p + ext, nil
}

// angleFromWire converts a wire angle to degrees.
func angleFromWire(a uint8, f Format) float64 {
	if f == ANSI2004 {
		return float64(a) * 2
	}
	return float64(a) * 360 / 256
}

// angleToWire converts degrees to the format's unit, rounding to nearest.
func angleToWire(deg float64, f Format) uint8 {
	deg = math.Mod(deg, 360)
	if deg < 0 {
		deg += 360
	}
	if f == ANSI2004 {
		return uint8(int(math.Round(deg/2)) % 180)
	}
	return uint8(int(math.Round(deg*256/360)) % 256)
}

// Marshal encodes r in r.Format (ISO2005 when unset).
func (r *Record) Marshal() ([]byte, error) {
	f := r.Format
	if f == 0 {
		f = ISO2005
	}
	if f != ISO2005 && f != ANSI2004 {
		return nil, fmt.Errorf("marshal minutiae record: unknown format %v", f)
	}
	if len(r.Views) > maxViews {
		return nil, fmt.Errorf("marshal minutiae record: %d views, at most %d", len(r.Views), maxViews)
	}
	body := make([]byte, 0, 64)
	be := binary.BigEndian
	body = be.AppendUint16(body, uint16(r.Compliance&0x0f)<<12|r.EquipmentID&0x0fff)
	body = be.AppendUint16(body, r.Width)
	body = be.AppendUint16(body, r.Height)
	body = be.AppendUint16(body, r.XRes)
	body = be.AppendUint16(body, r.YRes)
	body = append(body, byte(len(r.Views)), 0)
	for i, v := range r.Views {
		if len(v.Minutiae) > maxMinutiae {
			return nil, fmt.Errorf("marshal view %d: %d minutiae, at most %d", i, len(v.Minutiae), maxMinutiae)
		}
		if v.ViewNumber > 15 || v.Impression > 15 {
			return nil, fmt.Errorf("marshal view %d: view number %d or impression %d beyond 4 bits", i, v.ViewNumber, v.Impression)
		}
		body = append(body, byte(v.Position), v.ViewNumber<<4|byte(v.Impression), v.Quality, byte(len(v.Minutiae)))
		for j, m := range v.Minutiae {
			if m.X > maxCoord || m.Y > maxCoord || m.Type > 3 {
				return nil, fmt.Errorf("marshal view %d minutia %d: coordinates (%d,%d) or type %d out of range", i, j, m.X, m.Y, m.Type)
			}
			body = be.AppendUint16(body, uint16(m.Type)<<14|m.X)
			body = be.AppendUint16(body, m.Y)
			body = append(body, angleToWire(m.Angle, f), m.Quality)
		}
		ext := 0
		for _, e := range v.Extensions {
			ext += 4 + len(e.Data)
		}
		if ext > math.MaxUint16 {
			return nil, fmt.Errorf("marshal view %d: %d bytes of extended data", i, ext)
		}
		body = be.AppendUint16(body, uint16(ext))
		for _, e := range v.Extensions {
			if 4+len(e.Data) > math.MaxUint16 {
				return nil, fmt.Errorf("marshal view %d: extended area of %d bytes", i, len(e.Data))
			}
			body = be.AppendUint16(body, e.Type)
			body = be.AppendUint16(body, uint16(4+len(e.Data)))
			body = append(body, e.Data...)
		}
	}
	out := append([]byte(nil), magic...)
	if f == ISO2005 {
		out = be.AppendUint32(out, uint32(12+len(body)))
		return append(out, body...), nil
	}
	n := 10 + 4 + len(body)
	if n > math.MaxUint16 {
		out = be.AppendUint16(out, 0)
		out = be.AppendUint32(out, uint32(n+4))
	} else {
		out = be.AppendUint16(out, uint16(n))
	}
	out = be.AppendUint16(out, r.ProductOwner)
	out = be.AppendUint16(out, r.ProductType)
	return append(out, body...), nil
}
