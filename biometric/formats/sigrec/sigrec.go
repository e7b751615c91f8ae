// Package sigrec reads and writes ISO/IEC 19794-7:2007 signature/sign
// time-series records (full format) as plain structs.
//
// Layout (big-endian): format identifier "SDI\0", version " 10\0", a 16-bit
// channel-inclusion mask (bit 15 X … bit 0 rotation), one description per
// included channel from the highest bit down (an attribute-inclusion byte,
// then a 16-bit value per valued attribute), one reserved byte; then the
// body: an extended-data flag byte, a 3-byte sample count, the samples (a
// 16-bit value per included channel, signed channels stored offset by
// 32768), and, when flagged, a 16-bit length and the extended data.
//
// Attribute bits: 7 scaling value (5-bit exponent − 16, 11-bit fraction),
// 6 minimum, 5 maximum, 4 mean, 3 standard deviation (16-bit values),
// 2 constant, 1 linear component removed (flags without a value). The
// layout follows the 2007 full format as implemented in BioSignIn
// (bsi-core); the tip switch is stored in 16 bits like every channel.
package sigrec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Channel is a 19794-7 channel, numbered by its bit in the inclusion mask.
type Channel uint8

// The channels of ISO/IEC 19794-7:2007.
const (
	Rotation  Channel = 0
	Elevation Channel = 1
	Azimuth   Channel = 2
	TiltY     Channel = 3
	TiltX     Channel = 4
	Switch    Channel = 5 // tip switch (pen down)
	Force     Channel = 6 // tip pressure
	DeltaT    Channel = 7
	Time      Channel = 8
	AccelY    Channel = 9
	AccelX    Channel = 10
	VelY      Channel = 11
	VelX      Channel = 12
	Z         Channel = 13
	Y         Channel = 14
	X         Channel = 15
)

// Signed reports whether the channel holds signed values (−32768..32767);
// the others hold 0..65535.
func (c Channel) Signed() bool {
	switch c {
	case X, Y, VelX, VelY, AccelX, AccelY, TiltX, TiltY:
		return true
	}
	return false
}

func (c Channel) offset() int {
	if c.Signed() {
		return 32768
	}
	return 0
}

// String returns the channel's short name.
func (c Channel) String() string {
	names := [...]string{"R", "EL", "AZ", "TY", "TX", "S", "F", "DT", "T", "AY", "AX", "VY", "VX", "Z", "Y", "X"}
	if int(c) < len(names) {
		return names[c]
	}
	return fmt.Sprintf("channel(%d)", c)
}

// Attribute bits of a channel description.
const (
	attrScale    = 1 << 7
	attrMin      = 1 << 6
	attrMax      = 1 << 5
	attrMean     = 1 << 4
	attrSD       = 1 << 3
	attrConstant = 1 << 2
	attrLinear   = 1 << 1
)

// ChannelDescription describes one included channel.
type ChannelDescription struct {
	// Channel is the channel described.
	Channel Channel
	// HasScale and Scale give the units per value step (e.g. values per mm).
	HasScale bool
	Scale    float64
	// HasMin/Min, HasMax/Max, HasMean/Mean and HasSD/SD are the optional
	// channel statistics in channel units.
	HasMin, HasMax, HasMean, HasSD bool
	Min, Max, Mean, SD             int
	// Constant and LinearRemoved are the two flag attributes.
	Constant, LinearRemoved bool
}

// Record is one 19794-7 signature record.
type Record struct {
	// Channels are the included channels, highest bit first (X before Y …).
	Channels []ChannelDescription
	// Samples holds one row per sample with one value per channel, in the
	// order of Channels.
	Samples [][]int
	// Extended is the optional extended data.
	Extended []byte
}

// maxSamples is the largest count the 3-byte field can hold.
const maxSamples = 1<<24 - 1

var (
	formatID = [4]byte{'S', 'D', 'I', 0}
	version  = [4]byte{' ', '1', '0', 0}
)

// encodeScale packs a positive scale into the 16-bit floating format.
func encodeScale(v float64) (uint16, error) {
	if !(v > 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("scale %v is not positive", v)
	}
	e := int(math.Floor(math.Log2(v)))
	frac := math.Round((v/math.Ldexp(1, e) - 1) * 2048)
	if frac >= 2048 {
		frac = 0
		e++
	}
	if e < -16 || e > 15 {
		return 0, fmt.Errorf("scale %v out of range", v)
	}
	return uint16(e+16)<<11 | uint16(frac), nil
}

// decodeScale unpacks the 16-bit floating scale.
func decodeScale(u uint16) float64 {
	return math.Ldexp(1+float64(u&0x7ff)/2048, int(u>>11)-16)
}

// Marshal encodes the record.
func (r *Record) Marshal() ([]byte, error) {
	if len(r.Samples) > maxSamples {
		return nil, fmt.Errorf("sigrec: %d samples, at most %d", len(r.Samples), maxSamples)
	}
	if len(r.Extended) > math.MaxUint16 {
		return nil, fmt.Errorf("sigrec: extended data of %d bytes, at most %d", len(r.Extended), math.MaxUint16)
	}
	var mask uint16
	prev := 16
	for _, c := range r.Channels {
		if int(c.Channel) >= prev {
			return nil, fmt.Errorf("sigrec: channel %v out of order or repeated", c.Channel)
		}
		prev = int(c.Channel)
		mask |= 1 << c.Channel
	}
	if mask == 0 {
		return nil, errors.New("sigrec: no channel")
	}
	b := append(formatID[:0:0], formatID[:]...)
	b = append(b, version[:]...)
	b = binary.BigEndian.AppendUint16(b, mask)
	for _, c := range r.Channels {
		var attrs byte
		var vals []uint16
		val := func(has bool, bit byte, v int) error {
			if !has {
				return nil
			}
			u := v + c.Channel.offset()
			if bit == attrSD {
				u = v
			}
			if u < 0 || u > math.MaxUint16 {
				return fmt.Errorf("sigrec: channel %v attribute value %d out of range", c.Channel, v)
			}
			attrs |= bit
			vals = append(vals, uint16(u))
			return nil
		}
		if c.HasScale {
			s, err := encodeScale(c.Scale)
			if err != nil {
				return nil, fmt.Errorf("sigrec: channel %v: %w", c.Channel, err)
			}
			attrs |= attrScale
			vals = append(vals, s)
		}
		for _, a := range []struct {
			has bool
			bit byte
			v   int
		}{{c.HasMin, attrMin, c.Min}, {c.HasMax, attrMax, c.Max}, {c.HasMean, attrMean, c.Mean}, {c.HasSD, attrSD, c.SD}} {
			if err := val(a.has, a.bit, a.v); err != nil {
				return nil, err
			}
		}
		if c.Constant {
			attrs |= attrConstant
		}
		if c.LinearRemoved {
			attrs |= attrLinear
		}
		b = append(b, attrs)
		for _, v := range vals {
			b = binary.BigEndian.AppendUint16(b, v)
		}
	}
	b = append(b, 0) // reserved
	ext := byte(0)
	if len(r.Extended) > 0 {
		ext = 1
	}
	n := len(r.Samples)
	b = append(b, ext, byte(n>>16), byte(n>>8), byte(n))
	for i, s := range r.Samples {
		if len(s) != len(r.Channels) {
			return nil, fmt.Errorf("sigrec: sample %d has %d values for %d channels", i, len(s), len(r.Channels))
		}
		for k, v := range s {
			u := v + r.Channels[k].Channel.offset()
			if u < 0 || u > math.MaxUint16 {
				return nil, fmt.Errorf("sigrec: sample %d channel %v value %d out of range", i, r.Channels[k].Channel, v)
			}
			b = binary.BigEndian.AppendUint16(b, uint16(u))
		}
	}
	if ext == 1 {
		b = binary.BigEndian.AppendUint16(b, uint16(len(r.Extended)))
		b = append(b, r.Extended...)
	}
	return b, nil
}

// reader walks a byte slice and reports truncation with the offset.
type reader struct {
	b   []byte
	off int
}

func (r *reader) need(n int, what string) error {
	if len(r.b)-r.off < n {
		return fmt.Errorf("sigrec: truncated at byte %d reading %s (need %d, have %d)", r.off, what, n, len(r.b)-r.off)
	}
	return nil
}

func (r *reader) u8(what string) (byte, error) {
	if err := r.need(1, what); err != nil {
		return 0, err
	}
	r.off++
	return r.b[r.off-1], nil
}

func (r *reader) u16(what string) (uint16, error) {
	if err := r.need(2, what); err != nil {
		return 0, err
	}
	r.off += 2
	return binary.BigEndian.Uint16(r.b[r.off-2:]), nil
}

// Parse decodes a record; it rejects a wrong identifier or version,
// truncation, a sample count larger than the data, and trailing bytes.
func Parse(b []byte) (*Record, error) {
	r := &reader{b: b}
	if err := r.need(8, "header"); err != nil {
		return nil, err
	}
	if [4]byte(b[0:4]) != formatID {
		return nil, fmt.Errorf("sigrec: format identifier % x, want \"SDI\\0\"", b[0:4])
	}
	if [4]byte(b[4:8]) != version {
		return nil, fmt.Errorf("sigrec: version %q, want \" 10\\0\"", b[4:8])
	}
	r.off = 8
	mask, err := r.u16("channel inclusion")
	if err != nil {
		return nil, err
	}
	if mask == 0 {
		return nil, errors.New("sigrec: no channel included")
	}
	rec := &Record{}
	for bit := 15; bit >= 0; bit-- {
		if mask&(1<<bit) == 0 {
			continue
		}
		c := ChannelDescription{Channel: Channel(bit)}
		what := "description of channel " + c.Channel.String()
		attrs, err := r.u8(what)
		if err != nil {
			return nil, err
		}
		if attrs&1 != 0 {
			return nil, fmt.Errorf("sigrec: channel %v: reserved attribute bit set", c.Channel)
		}
		get := func(bit byte, has *bool, v *int, signedOff bool) error {
			if attrs&bit == 0 {
				return nil
			}
			u, err := r.u16(what)
			if err != nil {
				return err
			}
			*has, *v = true, int(u)
			if signedOff {
				*v -= c.Channel.offset()
			}
			return nil
		}
		if attrs&attrScale != 0 {
			u, err := r.u16(what)
			if err != nil {
				return nil, err
			}
			c.HasScale, c.Scale = true, decodeScale(u)
		}
		for _, a := range []struct {
			bit byte
			has *bool
			v   *int
			off bool
		}{{attrMin, &c.HasMin, &c.Min, true}, {attrMax, &c.HasMax, &c.Max, true}, {attrMean, &c.HasMean, &c.Mean, true}, {attrSD, &c.HasSD, &c.SD, false}} {
			if err := get(a.bit, a.has, a.v, a.off); err != nil {
				return nil, err
			}
		}
		c.Constant = attrs&attrConstant != 0
		c.LinearRemoved = attrs&attrLinear != 0
		rec.Channels = append(rec.Channels, c)
	}
	if _, err := r.u8("reserved byte"); err != nil {
		return nil, err
	}
	ext, err := r.u8("extended-data flag")
	if err != nil {
		return nil, err
	}
	if ext > 1 {
		return nil, fmt.Errorf("sigrec: extended-data flag %d, want 0 or 1", ext)
	}
	if err := r.need(3, "sample count"); err != nil {
		return nil, err
	}
	n := int(b[r.off])<<16 | int(b[r.off+1])<<8 | int(b[r.off+2])
	r.off += 3
	per := 2 * len(rec.Channels)
	if (len(b)-r.off)/per < n {
		return nil, fmt.Errorf("sigrec: %d samples declared, data holds %d", n, (len(b)-r.off)/per)
	}
	rec.Samples = make([][]int, n)
	vals := make([]int, n*len(rec.Channels))
	for i := range n {
		row := vals[i*len(rec.Channels) : (i+1)*len(rec.Channels)]
		for k, c := range rec.Channels {
			row[k] = int(binary.BigEndian.Uint16(b[r.off:])) - c.Channel.offset()
			r.off += 2
		}
		rec.Samples[i] = row
	}
	if ext == 1 {
		l, err := r.u16("extended-data length")
		if err != nil {
			return nil, err
		}
		if err := r.need(int(l), "extended data"); err != nil {
			return nil, err
		}
		rec.Extended = append([]byte(nil), b[r.off:r.off+int(l)]...)
		r.off += int(l)
	}
	if r.off != len(b) {
		return nil, fmt.Errorf("sigrec: %d trailing bytes after the record", len(b)-r.off)
	}
	return rec, nil
}

// Index returns the position of channel c in r.Channels, or −1.
func (r *Record) Index(c Channel) int {
	for i, d := range r.Channels {
		if d.Channel == c {
			return i
		}
	}
	return -1
}
