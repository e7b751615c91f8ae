package iris

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Iris code geometry: CodeRows radial × CodeCols angular samples, two phase
// bits (the signs of the real and imaginary log-Gabor response) per sample.
const (
	CodeRows   = 8
	CodeCols   = 256
	CodeBits   = CodeRows * CodeCols * 2
	planeWords = CodeRows * CodeCols / 64
	rowWords   = CodeCols / 64
)

// TemplateSize is the size in bytes of a marshalled template: an 8-byte
// header, then the real, imaginary and mask planes (CodeRows·CodeCols/8
// bytes each).
const TemplateSize = templateHeader + 3*planeWords*8

const (
	templateHeader  = 8
	templateMagic   = "RKIC"
	templateVersion = 2
)

// Template is an iris code and its mask, bit-sliced into three planes of
// one bit per sample: sample (row, col) is bit row·CodeCols + col, least
// significant bit first in 64-bit words. Real and Imag hold the phase
// bits; a Mask bit set means both phase bits of the sample are valid.
type Template struct {
	Real, Imag, Mask [planeWords]uint64
}

func setBit(w *[planeWords]uint64, i int) { w[i>>6] |= 1 << (i & 63) }

// ValidBits returns the number of valid (unmasked) code bits.
func (t *Template) ValidBits() int {
	n := 0
	for _, w := range t.Mask {
		n += popcount(w)
	}
	return 2 * n
}

// MarshalBinary encodes the template: "RKIC", a version byte, the number
// of rows (one byte) and columns (two bytes, little-endian), then the Real,
// Imag and Mask words little-endian.
func (t *Template) MarshalBinary() ([]byte, error) {
	b := make([]byte, TemplateSize)
	copy(b, templateMagic)
	b[4] = templateVersion
	b[5] = CodeRows
	binary.LittleEndian.PutUint16(b[6:], CodeCols)
	off := templateHeader
	for _, plane := range []*[planeWords]uint64{&t.Real, &t.Imag, &t.Mask} {
		for _, w := range plane {
			binary.LittleEndian.PutUint64(b[off:], w)
			off += 8
		}
	}
	return b, nil
}

// ErrTemplate reports a malformed marshalled template.
var ErrTemplate = errors.New("iris: bad template")

// UnmarshalBinary decodes a template written by MarshalBinary.
func (t *Template) UnmarshalBinary(b []byte) error {
	if len(b) != TemplateSize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrTemplate, len(b), TemplateSize)
	}
	if string(b[:4]) != templateMagic {
		return fmt.Errorf("%w: magic %q", ErrTemplate, b[:4])
	}
	if b[4] != templateVersion {
		return fmt.Errorf("%w: version %d", ErrTemplate, b[4])
	}
	if b[5] != CodeRows || binary.LittleEndian.Uint16(b[6:]) != CodeCols {
		return fmt.Errorf("%w: geometry %d×%d, want %d×%d", ErrTemplate, b[5], binary.LittleEndian.Uint16(b[6:]), CodeRows, CodeCols)
	}
	off := templateHeader
	for _, plane := range []*[planeWords]uint64{&t.Real, &t.Imag, &t.Mask} {
		for i := range plane {
			plane[i] = binary.LittleEndian.Uint64(b[off:])
			off += 8
		}
	}
	return nil
}

// rotated returns the template turned by s columns: sample (r, c) of the
// result is sample (r, c−s mod CodeCols) of t. Each plane row is a ring of
// rowWords words rotated by s bits.
func (t *Template) rotated(s int) Template {
	var out Template
	k := (s%CodeCols + CodeCols) % CodeCols
	ws, bs := k/64, uint(k%64)
	src := []*[planeWords]uint64{&t.Real, &t.Imag, &t.Mask}
	dst := []*[planeWords]uint64{&out.Real, &out.Imag, &out.Mask}
	for p := range src {
		in, o := src[p], dst[p]
		for r := 0; r < CodeRows; r++ {
			base := r * rowWords
			for i := 0; i < rowWords; i++ {
				o[base+i] = in[base+(i-ws+rowWords)%rowWords] << bs
				if bs > 0 {
					o[base+i] |= in[base+(i-ws-1+2*rowWords)%rowWords] >> (64 - bs)
				}
			}
		}
	}
	return out
}
