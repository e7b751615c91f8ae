package finger

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrNoPrint reports an image without enough fingerprint to extract.
var ErrNoPrint = errors.New("finger: no usable print")

// ErrTemplate is wrapped by errors about malformed native templates.
var ErrTemplate = errors.New("finger: malformed template")

// Template is the extracted description of one impression at 500 dpi.
type Template struct {
	// Width and Height are the size of the (resampled) image in pixels.
	Width, Height int
	// Quality is the impression's quality 0–100.
	Quality uint8
	// Minutiae are the minutiae, at most 255.
	Minutiae []Minutia
}

// Native template layout (big endian):
//
//	0  2  magic "RF"
//	2  1  version (1)
//	3  1  quality 0–100
//	4  2  width
//	6  2  height
//	8  1  minutiae count n
//	9  5n minutiae: x:11 y:11 angle:8 type:2 (32 bits), quality:8
//
// Angles are stored in 1/256 turns, so a template is 9 + 5n bytes.
const (
	nativeMagic   = "RF"
	nativeVersion = 1
	nativeHeader  = 9
	nativeMinutia = 5
	maxNativeSide = 2047
)

// MarshalBinary encodes the template in the native compact layout.
func (t *Template) MarshalBinary() ([]byte, error) {
	if len(t.Minutiae) > 255 {
		return nil, fmt.Errorf("encode template: %d minutiae, at most 255", len(t.Minutiae))
	}
	if t.Width > maxNativeSide || t.Height > maxNativeSide || t.Width < 0 || t.Height < 0 {
		return nil, fmt.Errorf("encode template: size %dx%d beyond %d", t.Width, t.Height, maxNativeSide)
	}
	b := make([]byte, nativeHeader, nativeHeader+nativeMinutia*len(t.Minutiae))
	copy(b, nativeMagic)
	b[2] = nativeVersion
	b[3] = t.Quality
	binary.BigEndian.PutUint16(b[4:], uint16(t.Width))
	binary.BigEndian.PutUint16(b[6:], uint16(t.Height))
	b[8] = byte(len(t.Minutiae))
	for i, m := range t.Minutiae {
		if m.X < 0 || m.Y < 0 || m.X > maxNativeSide || m.Y > maxNativeSide || m.Type > 3 {
			return nil, fmt.Errorf("encode template: minutia %d at (%d,%d) type %d out of range", i, m.X, m.Y, m.Type)
		}
		w := uint32(m.X)<<21 | uint32(m.Y)<<10 | uint32(angleToByte(m.Angle))<<2 | uint32(m.Type)
		b = binary.BigEndian.AppendUint32(b, w)
		b = append(b, m.Quality)
	}
	return b, nil
}

// UnmarshalBinary decodes a native template.
func (t *Template) UnmarshalBinary(b []byte) error {
	if len(b) < nativeHeader || string(b[:2]) != nativeMagic {
		return fmt.Errorf("%w: no native header in %d bytes", ErrTemplate, len(b))
	}
	if b[2] != nativeVersion {
		return fmt.Errorf("%w: version %d", ErrTemplate, b[2])
	}
	n := int(b[8])
	if len(b) != nativeHeader+nativeMinutia*n {
		return fmt.Errorf("%w: %d bytes for %d minutiae", ErrTemplate, len(b), n)
	}
	nt := Template{
		Quality: b[3],
		Width:   int(binary.BigEndian.Uint16(b[4:])), Height: int(binary.BigEndian.Uint16(b[6:])),
		Minutiae: make([]Minutia, n),
	}
	if nt.Quality > 100 {
		return fmt.Errorf("%w: quality %d", ErrTemplate, nt.Quality)
	}
	if nt.Width > maxNativeSide || nt.Height > maxNativeSide {
		return fmt.Errorf("%w: size %dx%d beyond %d", ErrTemplate, nt.Width, nt.Height, maxNativeSide)
	}
	for i := range nt.Minutiae {
		p := b[nativeHeader+nativeMinutia*i:]
		w := binary.BigEndian.Uint32(p)
		typ := MinutiaType(w & 3)
		if typ != Ending && typ != Bifurcation {
			return fmt.Errorf("%w: minutia %d type %d", ErrTemplate, i, typ)
		}
		nt.Minutiae[i] = Minutia{
			X: int(w >> 21), Y: int(w >> 10 & 0x7ff),
			Angle: byteToAngle(uint8(w >> 2)), Type: typ, Quality: p[4],
		}
	}
	*t = nt
	return nil
}

func angleToByte(a float64) uint8 {
	return uint8(int(math.Round(normAngle(a)*256/(2*math.Pi))) & 255)
}

func byteToAngle(b uint8) float64 { return float64(b) * 2 * math.Pi / 256 }
