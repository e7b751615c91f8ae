package iris

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Iris code geometry: CodeRows radial × CodeCols angular samples, two phase
// bits (real and imaginary sign of the log-Gabor response) per sample.
const (
	CodeRows  = 8
	CodeCols  = 256
	CodeBits  = CodeRows * CodeCols * 2
	codeWords = CodeBits / 64
	rowWords  = CodeCols * 2 / 64
)

// TemplateSize is the size in bytes of a marshalled template: an 8-byte
// header, then the code and the mask (CodeBits/8 bytes each).
const TemplateSize = templateHeader + 2*CodeBits/8

const (
	templateHeader  = 8
	templateMagic   = "RKIC"
	templateVersion = 1
)

// Template is an iris code and its mask. Bit b of sample (row, col) has
// index (row·CodeCols + col)·2 + b, stored least-significant bit first in
// 64-bit words. A mask bit set means the code bit is valid.
type Template struct {
	Code [codeWords]uint64
	Mask [codeWords]uint64
}

func (t *Template) setCode(i int) { t.Code[i>>6] |= 1 << (i & 63) }
func (t *Template) setMask(i int) { t.Mask[i>>6] |= 1 << (i & 63) }

// ValidBits returns the number of valid (unmasked) code bits.
func (t *Template) ValidBits() int {
	n := 0
	for _, w := range t.Mask {
		n += popcount(w)
	}
	return n
}

// MarshalBinary encodes the template as "RKIC", version, rows, cols (one
// byte each after the magic: version, rows/8... see TemplateSize), then the
// code and mask words little-endian.
func (t *Template) MarshalBinary() ([]byte, error) {
	b := make([]byte, TemplateSize)
	copy(b, templateMagic)
	b[4] = templateVersion
	b[5] = CodeRows
	binary.LittleEndian.PutUint16(b[6:], CodeCols)
	off := templateHeader
	for _, w := range t.Code {
		binary.LittleEndian.PutUint64(b[off:], w)
		off += 8
	}
	for _, w := range t.Mask {
		binary.LittleEndian.PutUint64(b[off:], w)
		off += 8
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
	for i := range t.Code {
		t.Code[i] = binary.LittleEndian.Uint64(b[off:])
		off += 8
	}
	for i := range t.Mask {
		t.Mask[i] = binary.LittleEndian.Uint64(b[off:])
		off += 8
	}
	return nil
}

// rotated returns the template turned by s columns: sample (r, c) of the
// result is sample (r, c−s mod CodeCols) of t.
func (t *Template) rotated(s int) Template {
	var out Template
	s = ((s % CodeCols) + CodeCols) % CodeCols
	for r := 0; r < CodeRows; r++ {
		for c := 0; c < CodeCols; c++ {
			src := (r*CodeCols + (c-s+CodeCols)%CodeCols) * 2
			dst := (r*CodeCols + c) * 2
			for b := 0; b < 2; b++ {
				if t.Code[(src+b)>>6]>>((src+b)&63)&1 != 0 {
					out.setCode(dst + b)
				}
				if t.Mask[(src+b)>>6]>>((src+b)&63)&1 != 0 {
					out.setMask(dst + b)
				}
			}
		}
	}
	return out
}
