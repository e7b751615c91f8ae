package wsq

import "fmt"

// bitReader reads entropy-coded data: most significant bit first, a 0x00
// stuffed after every 0xFF, and a marker (0xFF followed by anything else)
// ending the block.
type bitReader struct {
	data   []byte
	pos    int
	cur    byte
	n      uint   // bits left in cur
	marker uint16 // marker met, 0 while inside the block
}

// bit returns the next bit. When the block ends at a byte boundary it sets
// marker and returns 0 with a nil error.
func (b *bitReader) bit() (int, error) {
	if b.n == 0 {
		if b.pos >= len(b.data) {
			return 0, fmt.Errorf("%w: entropy-coded data truncated at byte %d", ErrFormat, b.pos)
		}
		c := b.data[b.pos]
		b.pos++
		if c == 0xFF {
			if b.pos >= len(b.data) {
				return 0, fmt.Errorf("%w: entropy-coded data truncated at byte %d", ErrFormat, b.pos)
			}
			c2 := b.data[b.pos]
			b.pos++
			if c2 != 0 {
				b.marker = 0xFF00 | uint16(c2)
				return 0, nil
			}
		}
		b.cur, b.n = c, 8
	}
	b.n--
	return int(b.cur>>b.n) & 1, nil
}

// bits reads an n-bit unsigned value; a marker inside it is an error.
func (b *bitReader) bits(n int) (int, error) {
	v := 0
	for range n {
		x, err := b.bit()
		if err != nil {
			return 0, err
		}
		if b.marker != 0 {
			return 0, fmt.Errorf("%w: marker %04X inside a coefficient at byte %d", ErrFormat, b.marker, b.pos)
		}
		v = v<<1 | x
	}
	return v, nil
}

// decode reads one Huffman symbol; ok is false when a marker ends the block.
func (b *bitReader) decode(d *huffDecoder) (sym int, ok bool, err error) {
	code := int32(0)
	for l := 1; l <= maxCodeLen; l++ {
		x, err := b.bit()
		if err != nil {
			return 0, false, err
		}
		if b.marker != 0 {
			return 0, false, nil
		}
		code = code<<1 | int32(x)
		if d.maxCode[l] >= 0 && code <= d.maxCode[l] && code >= d.minCode[l] {
			return int(d.values[d.valPtr[l]+code-d.minCode[l]]), true, nil
		}
	}
	return 0, false, fmt.Errorf("%w: invalid Huffman code at byte %d", ErrFormat, b.pos)
}

// bitWriter writes entropy-coded data with 0xFF stuffing.
type bitWriter struct {
	out []byte
	acc uint32
	n   uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for n > 0 {
		n--
		w.acc = w.acc<<1 | (v>>n)&1
		w.n++
		if w.n == 8 {
			c := byte(w.acc)
			w.out = append(w.out, c)
			if c == 0xFF {
				w.out = append(w.out, 0)
			}
			w.acc, w.n = 0, 0
		}
	}
}

// flush pads the last byte with one bits.
func (w *bitWriter) flush() {
	if w.n > 0 {
		w.write(0xFF, 8-w.n)
	}
}
