package wsq

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"
	"strconv"
	"strings"
)

// Info describes a WSQ file's frame and comments, without its pixels.
type Info struct {
	Width, Height int
	// PPI is the scan resolution from the NIST_COM comment, -1 if absent.
	PPI          int
	Black, White uint8
	// MShift and RScale map reconstructed values to grey levels:
	// pixel = value×RScale + MShift.
	MShift, RScale float64
	Encoder        uint8
	Software       uint16
	// Comments are the texts of all COM segments, in file order.
	Comments []string
	// NIST holds the fields of the NIST_COM comment, if any.
	NIST []NISTField
}

// NISTField is one "NAME value" line of a NIST_COM comment.
type NISTField struct {
	Name, Value string
}

// parser walks the segments of a WSQ file.
type parser struct {
	data []byte
	pos  int

	info      Info
	sofSeen   bool
	fb        *filterBank
	dqt       bool
	binCenter float32
	qBin      [numBands]float32
	zBin      [numBands]float32
	huff      [maxHuffTable]*huffDecoder
}

func (p *parser) need(n int, what string) error {
	if n < 0 || len(p.data)-p.pos < n {
		return fmt.Errorf("%w: %s truncated at byte %d", ErrFormat, what, p.pos)
	}
	return nil
}

func (p *parser) u16() uint16 {
	v := uint16(p.data[p.pos])<<8 | uint16(p.data[p.pos+1])
	p.pos += 2
	return v
}

// marker reads a two-byte marker code.
func (p *parser) marker() (uint16, error) {
	if err := p.need(2, "marker"); err != nil {
		return 0, err
	}
	at := p.pos
	m := p.u16()
	if m < markerSOI || m > markerCOM {
		return 0, fmt.Errorf("%w: expected a marker at byte %d, found %04X", ErrFormat, at, m)
	}
	return m, nil
}

// segment returns the body of a length-prefixed segment and moves past it.
func (p *parser) segment(name string) ([]byte, int, error) {
	if err := p.need(2, name); err != nil {
		return nil, 0, err
	}
	at := p.pos
	n := int(p.u16())
	if n < 2 {
		return nil, 0, fmt.Errorf("%w: %s length %d at byte %d", ErrFormat, name, n, at)
	}
	if err := p.need(n-2, name); err != nil {
		return nil, 0, err
	}
	body := p.data[p.pos : p.pos+n-2]
	p.pos += n - 2
	return body, at, nil
}

// scaled decodes the specification's "scale exponent + integer" numbers.
func scaled(scale byte, v uint32) float64 {
	f := float64(v)
	for range scale {
		f /= 10
	}
	return f
}

// table parses one table or comment segment.
func (p *parser) table(m uint16) error {
	switch m {
	case markerDTT:
		return p.parseDTT()
	case markerDQT:
		return p.parseDQT()
	case markerDHT:
		return p.parseDHT()
	case markerCOM:
		body, _, err := p.segment("COM")
		if err != nil {
			return err
		}
		p.addComment(string(body))
		return nil
	case markerDRT:
		_, _, err := p.segment("DRT")
		return err
	}
	return fmt.Errorf("%w: unexpected marker %04X at byte %d", ErrFormat, m, p.pos-2)
}

func (p *parser) addComment(s string) {
	p.info.Comments = append(p.info.Comments, s)
	if f, ok := ParseNISTCom(s); ok {
		p.info.NIST = f
		for _, kv := range f {
			if kv.Name == "PPI" {
				if v, err := strconv.Atoi(kv.Value); err == nil {
					p.info.PPI = v
				}
			}
		}
	}
}

// ParseNISTCom splits a NIST_COM comment into its fields; ok is false when
// s is not one.
func ParseNISTCom(s string) (fields []NISTField, ok bool) {
	if !strings.HasPrefix(s, "NIST_COM") {
		return nil, false
	}
	for _, line := range strings.Split(strings.TrimRight(s, "\x00"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, _ := strings.Cut(line, " ")
		fields = append(fields, NISTField{name, strings.TrimSpace(value)})
	}
	return fields, true
}

func (p *parser) parseDTT() error {
	body, at, err := p.segment("DTT")
	if err != nil {
		return err
	}
	if len(body) < 2 {
		return fmt.Errorf("%w: DTT at byte %d too short", ErrFormat, at)
	}
	lowLen, highLen := int(body[0]), int(body[1])
	if lowLen%2 == 0 || highLen%2 == 0 {
		return fmt.Errorf("%w: DTT at byte %d: even-length filters (%d, %d) are not supported", ErrFormat, at, lowLen, highLen)
	}
	nl, nh := (lowLen+1)/2, (highLen+1)/2
	if nl > margin || nh > margin {
		return fmt.Errorf("%w: DTT at byte %d: filters of %d and %d taps are too long", ErrFormat, at, lowLen, highLen)
	}
	if len(body) != 2+6*(nl+nh) {
		return fmt.Errorf("%w: DTT at byte %d: %d bytes for %d+%d coefficients", ErrFormat, at, len(body), nl, nh)
	}
	read := func(off, n int) []float32 {
		f := make([]float32, n)
		for i := range n {
			c := body[off+6*i:]
			v := scaled(c[1], uint32(c[2])<<24|uint32(c[3])<<16|uint32(c[4])<<8|uint32(c[5]))
			if c[0] != 0 {
				v = -v
			}
			f[i] = float32(v)
		}
		return f
	}
	p.fb, err = newFilterBank(read(2, nl), read(2+6*nl, nh))
	return err
}

func (p *parser) parseDQT() error {
	body, at, err := p.segment("DQT")
	if err != nil {
		return err
	}
	if len(body) != 3+6*numBands {
		return fmt.Errorf("%w: DQT at byte %d has %d bytes, want %d", ErrFormat, at, len(body), 3+6*numBands)
	}
	num := func(c []byte) float32 { return float32(scaled(c[0], uint32(c[1])<<8|uint32(c[2]))) }
	p.binCenter = num(body)
	for i := range numBands {
		c := body[3+6*i:]
		p.qBin[i] = num(c)
		p.zBin[i] = num(c[3:])
	}
	p.dqt = true
	return nil
}

func (p *parser) parseDHT() error {
	body, at, err := p.segment("DHT")
	if err != nil {
		return err
	}
	for len(body) > 0 {
		if len(body) < 1+maxCodeLen {
			return fmt.Errorf("%w: DHT at byte %d truncated", ErrFormat, at)
		}
		id := int(body[0])
		if id >= maxHuffTable {
			return fmt.Errorf("%w: DHT at byte %d: table id %d", ErrFormat, at, id)
		}
		t := &huffTable{}
		total := 0
		for i := range maxCodeLen {
			t.counts[i] = body[1+i]
			total += int(body[1+i])
		}
		body = body[1+maxCodeLen:]
		if total > 256 || total > len(body) {
			return fmt.Errorf("%w: DHT at byte %d: %d values", ErrFormat, at, total)
		}
		t.values = append([]uint8(nil), body[:total]...)
		body = body[total:]
		d, err := newHuffDecoder(t)
		if err != nil {
			return fmt.Errorf("DHT at byte %d: %w", at, err)
		}
		p.huff[id] = d
	}
	return nil
}

func (p *parser) parseSOF() error {
	body, at, err := p.segment("SOF")
	if err != nil {
		return err
	}
	if len(body) != 15 {
		return fmt.Errorf("%w: SOF at byte %d has %d bytes, want 15", ErrFormat, at, len(body))
	}
	in := &p.info
	in.Black, in.White = body[0], body[1]
	in.Height = int(body[2])<<8 | int(body[3])
	in.Width = int(body[4])<<8 | int(body[5])
	in.MShift = scaled(body[6], uint32(body[7])<<8|uint32(body[8]))
	in.RScale = scaled(body[9], uint32(body[10])<<8|uint32(body[11]))
	in.Encoder = body[12]
	in.Software = uint16(body[13])<<8 | uint16(body[14])
	if in.Width == 0 || in.Height == 0 {
		return fmt.Errorf("%w: SOF at byte %d: empty image %dx%d", ErrFormat, at, in.Width, in.Height)
	}
	if in.Width > MaxDimension || in.Height > MaxDimension || in.Width*in.Height > MaxPixels {
		return fmt.Errorf("%w: %dx%d exceeds the %d-pixel limit", ErrTooLarge, in.Width, in.Height, MaxPixels)
	}
	p.sofSeen = true
	return nil
}

// header reads from SOI through the frame header.
func (p *parser) header() error {
	p.info.PPI = -1
	m, err := p.marker()
	if err != nil {
		return err
	}
	if m != markerSOI {
		return fmt.Errorf("%w: no SOI marker", ErrFormat)
	}
	for {
		m, err := p.marker()
		if err != nil {
			return err
		}
		if m == markerSOF {
			return p.parseSOF()
		}
		if err := p.table(m); err != nil {
			return err
		}
	}
}

// ReadInfo parses a WSQ file's headers up to the frame header.
func ReadInfo(data []byte) (Info, error) {
	p := &parser{data: data}
	if err := p.header(); err != nil {
		return Info{}, err
	}
	return p.info, nil
}

// DecodeConfig returns the dimensions of a WSQ image (8-bit grey).
func DecodeConfig(r io.Reader) (image.Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return image.Config{}, fmt.Errorf("wsq: read: %w", err)
	}
	in, err := ReadInfo(data)
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: color.GrayModel, Width: in.Width, Height: in.Height}, nil
}

// Decode reads a WSQ image from r.
func Decode(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("wsq: read: %w", err)
	}
	img, _, err := DecodeBytes(data)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// DecodeBytes decodes a complete WSQ file and returns its pixels and header
// information.
func DecodeBytes(data []byte) (*image.Gray, Info, error) {
	p := &parser{data: data}
	if err := p.header(); err != nil {
		return nil, Info{}, err
	}
	w, h := p.info.Width, p.info.Height
	l := newLayout(w, h)
	coef, err := p.entropyDecode(l)
	if err != nil {
		return nil, Info{}, err
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	ms, rs := float32(p.info.MShift), float32(p.info.RScale)
	if len(coef) == 0 {
		// Nothing coded: every reconstructed value is zero.
		for i := range img.Pix {
			img.Pix[i] = toGrey(ms + 0.5)
		}
		return img, p.info, nil
	}
	if p.fb == nil {
		return nil, Info{}, fmt.Errorf("%w: no transform table (DTT)", ErrFormat)
	}
	pl := &plane{w: w, h: h, pix: make([]float32, w*h)}
	p.unquantize(pl, l, coef)
	p.fb.reconstruct(pl, l)
	for i, v := range pl.pix {
		img.Pix[i] = toGrey(v*rs + ms + 0.5)
	}
	return img, p.info, nil
}

// toGrey clamps and truncates a reconstructed value to a grey level.
func toGrey(g float32) uint8 {
	switch {
	case g < 0 || g != g:
		return 0
	case g > 255:
		return 255
	}
	return uint8(g)
}

// codedCount is the number of coefficients the current quantisation table
// expects: the area of every subband with a non-zero bin width.
func (p *parser) codedCount(l *layout) int {
	n := 0
	for i := range codedBands {
		if p.qBin[i] != 0 {
			n += l.bands[i].w * l.bands[i].h
		}
	}
	return n
}

// entropyDecode reads the blocks from after the frame header to EOI and
// returns the quantised coefficients in subband order.
func (p *parser) entropyDecode(l *layout) ([]int32, error) {
	var coef []int32
	limit := p.info.Width * p.info.Height
	m, err := p.marker()
	if err != nil {
		return nil, err
	}
	for m != markerEOI {
		if m != markerSOB {
			if err := p.table(m); err != nil {
				return nil, err
			}
			if m, err = p.marker(); err != nil {
				return nil, err
			}
			continue
		}
		body, at, err := p.segment("SOB")
		if err != nil {
			return nil, err
		}
		if len(body) != 1 {
			return nil, fmt.Errorf("%w: SOB at byte %d has %d bytes", ErrFormat, at, len(body))
		}
		if !p.dqt {
			return nil, fmt.Errorf("%w: block at byte %d before any DQT", ErrFormat, at)
		}
		if coef == nil {
			limit = p.codedCount(l)
			if w := p.info.Width * p.info.Height; limit > 0 && w > max(freePixels, maxPixelsPerByte*len(p.data)) {
				return nil, fmt.Errorf("%w: %dx%d cannot be coded in %d bytes", ErrTooLarge, p.info.Width, p.info.Height, len(p.data))
			}
			coef = make([]int32, 0, limit)
		}
		id := int(body[0])
		if id >= maxHuffTable || p.huff[id] == nil {
			return nil, fmt.Errorf("%w: block at byte %d uses undefined Huffman table %d", ErrFormat, at, id)
		}
		br := &bitReader{data: p.data, pos: p.pos}
		if coef, err = decodeBlock(br, p.huff[id], coef, limit); err != nil {
			return nil, err
		}
		p.pos = br.pos
		m = br.marker
		if m < markerSOI || m > markerCOM {
			return nil, fmt.Errorf("%w: unexpected marker %04X at byte %d", ErrFormat, m, p.pos-2)
		}
	}
	if want := p.codedCount(l); len(coef) != want {
		return nil, fmt.Errorf("%w: %d coefficients coded, the tables need %d", ErrFormat, len(coef), want)
	}
	return coef, nil
}

// decodeBlock appends one block's coefficients to coef until a marker.
func decodeBlock(br *bitReader, d *huffDecoder, coef []int32, limit int) ([]int32, error) {
	zeros := func(n int) error {
		if n > limit-len(coef) {
			return fmt.Errorf("%w: zero run of %d overflows the subbands at byte %d", ErrFormat, n, br.pos)
		}
		for range n {
			coef = append(coef, 0)
		}
		return nil
	}
	one := func(v int) error {
		if len(coef) >= limit {
			return fmt.Errorf("%w: coefficient overflows the subbands at byte %d", ErrFormat, br.pos)
		}
		coef = append(coef, int32(v))
		return nil
	}
	for {
		sym, ok, err := br.decode(d)
		if err != nil {
			return nil, err
		}
		if !ok {
			return coef, nil
		}
		switch {
		case sym >= 1 && sym <= 100:
			err = zeros(sym)
		case sym >= 107 && sym <= 254:
			err = one(sym - 180)
		case sym >= 101 && sym <= 106:
			width := 8
			if sym == 103 || sym == 104 || sym == 106 {
				width = 16
			}
			var v int
			if v, err = br.bits(width); err != nil {
				return nil, err
			}
			switch sym {
			case 101, 103:
				err = one(v)
			case 102, 104:
				err = one(-v)
			default:
				err = zeros(v)
			}
		default:
			err = fmt.Errorf("%w: invalid coefficient category %d at byte %d", ErrFormat, sym, br.pos)
		}
		if err != nil {
			return nil, err
		}
	}
}

// unquantize places the coefficients into their subbands.
func (p *parser) unquantize(pl *plane, l *layout, coef []int32) {
	k := 0
	c := p.binCenter
	for i := range codedBands {
		q := p.qBin[i]
		if q == 0 {
			continue
		}
		z := p.zBin[i] / 2
		r := l.bands[i]
		for y := r.y; y < r.y+r.h; y++ {
			row := pl.pix[y*pl.w+r.x : y*pl.w+r.x+r.w]
			for x := range row {
				v := coef[k]
				k++
				switch {
				case v > 0:
					row[x] = q*(float32(v)-c) + z
				case v < 0:
					row[x] = q*(float32(v)+c) - z
				default:
					row[x] = 0
				}
			}
		}
	}
}

// IsWSQ reports whether data starts with the WSQ SOI marker.
func IsWSQ(data []byte) bool { return bytes.HasPrefix(data, []byte{0xFF, 0xA0}) }
