package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// TIFF tags read by decodeTIFF.
const (
	tiffWidth        = 256
	tiffHeight       = 257
	tiffBits         = 258
	tiffCompression  = 259
	tiffPhotometric  = 262
	tiffStripOffsets = 273
	tiffSamples      = 277
	tiffRowsPerStrip = 278
	tiffStripCounts  = 279
	tiffXRes         = 282
	tiffPlanar       = 284
	tiffResUnit      = 296
)

// decodeTIFF reads a baseline, uncompressed, 8-bit greyscale TIFF (what
// fingerprint scanners and the FVC sets write) from its first IFD, with
// its resolution. Every offset and count is checked against the input, so a
// hostile file cannot make it read out of range or allocate more than the
// image it declares (bounded by maxFingerPixels).
func decodeTIFF(b []byte) (*fingerImage, error) {
	if len(b) < 8 {
		return nil, errors.New("decode tiff: header truncated")
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, errors.New("decode tiff: bad magic")
	}
	off := uint64(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > uint64(len(b)) {
		return nil, fmt.Errorf("decode tiff: IFD offset %d outside %d bytes", off, len(b))
	}
	n := uint64(bo.Uint16(b[off:]))
	if off+2+12*n > uint64(len(b)) {
		return nil, fmt.Errorf("decode tiff: %d IFD entries run past the end", n)
	}
	// values returns the entry's SHORT or LONG values (at most max of them).
	type entry struct{ typ, count, value uint32 }
	tags := map[uint16]entry{}
	for i := uint64(0); i < n; i++ {
		e := b[off+2+12*i:]
		tags[bo.Uint16(e)] = entry{typ: uint32(bo.Uint16(e[2:])), count: bo.Uint32(e[4:]), value: bo.Uint32(e[8:])}
	}
	values := func(tag uint16, max uint32) ([]uint32, error) {
		e, ok := tags[tag]
		if !ok {
			return nil, nil
		}
		size := map[uint32]uint64{3: 2, 4: 4}[e.typ]
		if size == 0 {
			return nil, fmt.Errorf("decode tiff: tag %d has type %d, want SHORT or LONG", tag, e.typ)
		}
		if e.count == 0 || e.count > max {
			return nil, fmt.Errorf("decode tiff: tag %d has %d values (at most %d)", tag, e.count, max)
		}
		var raw []byte
		if uint64(e.count)*size <= 4 {
			raw = make([]byte, 4)
			bo.PutUint32(raw, e.value)
		} else {
			start, end := uint64(e.value), uint64(e.value)+uint64(e.count)*size
			if end > uint64(len(b)) {
				return nil, fmt.Errorf("decode tiff: tag %d values outside the file", tag)
			}
			raw = b[start:end]
		}
		out := make([]uint32, e.count)
		for i := range out {
			if size == 2 {
				out[i] = uint32(bo.Uint16(raw[2*i:]))
			} else {
				out[i] = bo.Uint32(raw[4*i:])
			}
		}
		return out, nil
	}
	one := func(tag uint16, def uint32) (uint32, error) {
		v, err := values(tag, 1)
		if err != nil || v == nil {
			return def, err
		}
		return v[0], nil
	}
	var w, h, bits, comp, photo, spp, planar uint32
	var err error
	for _, f := range []struct {
		tag uint16
		def uint32
		dst *uint32
	}{
		{tiffWidth, 0, &w}, {tiffHeight, 0, &h}, {tiffBits, 1, &bits}, {tiffCompression, 1, &comp},
		{tiffPhotometric, 1, &photo}, {tiffSamples, 1, &spp}, {tiffPlanar, 1, &planar},
	} {
		if *f.dst, err = one(f.tag, f.def); err != nil {
			return nil, err
		}
	}
	if w == 0 || h == 0 || uint64(w)*uint64(h) > maxFingerPixels {
		return nil, fmt.Errorf("decode tiff: size %dx%d out of range", w, h)
	}
	if bits != 8 || spp != 1 || comp != 1 || planar != 1 || photo > 1 {
		return nil, fmt.Errorf("decode tiff: only uncompressed 8-bit grey is supported (bits %d, samples %d, compression %d, photometric %d)", bits, spp, comp, photo)
	}
	rows, err := one(tiffRowsPerStrip, h)
	if err != nil {
		return nil, err
	}
	rows = max(1, min(rows, h))
	strips := (h + rows - 1) / rows
	offs, err := values(tiffStripOffsets, strips)
	if err != nil {
		return nil, err
	}
	counts, err := values(tiffStripCounts, strips)
	if err != nil {
		return nil, err
	}
	if uint32(len(offs)) != strips || uint32(len(counts)) != strips {
		return nil, fmt.Errorf("decode tiff: %d strip offsets and %d counts for %d strips", len(offs), len(counts), strips)
	}
	fi := &fingerImage{w: int(w), h: int(h), pix: make([]uint8, int(w)*int(h))}
	pos := 0
	for s := range offs {
		need := min(len(fi.pix)-pos, int(rows)*int(w))
		start, end := uint64(offs[s]), uint64(offs[s])+uint64(counts[s])
		if uint64(counts[s]) < uint64(need) || end > uint64(len(b)) {
			return nil, fmt.Errorf("decode tiff: strip %d (%d bytes at %d) short or outside the file", s, counts[s], start)
		}
		copy(fi.pix[pos:pos+need], b[start:start+uint64(need)])
		pos += need
	}
	if photo == 0 { // WhiteIsZero
		for i, v := range fi.pix {
			fi.pix[i] = 255 - v
		}
	}
	fi.dpi = tiffDPI(b)
	return fi, nil
}
