package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/png" // PNG prints
	"math"
	"strconv"

	_ "golang.org/x/image/bmp" // BMP prints
)

// fingerImage is a decoded grey print with the resolution its file states
// (0 when the file carries none).
type fingerImage struct {
	w, h int
	pix  []uint8
	dpi  float64
}

// maxFingerPixels bounds decoded images: 2048 × 2048 holds a single finger
// at 1000 dpi or a four-finger slap at 500 dpi, and keeps a hostile header
// from making the decoder allocate hundreds of megabytes.
const maxFingerPixels = 2048 * 2048

// decodeFingerImage decodes a TIFF (uncompressed 8-bit grey), PNG, BMP or
// binary PGM print to grey.
func decodeFingerImage(b []byte) (*fingerImage, error) {
	switch {
	case bytes.HasPrefix(b, []byte("P5")):
		return decodePGM(b)
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return decodeTIFF(b)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxFingerPixels {
		return nil, fmt.Errorf("decode image: size %dx%d out of range", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode %s image: %w", format, err)
	}
	r := img.Bounds()
	fi := &fingerImage{w: r.Dx(), h: r.Dy(), pix: make([]uint8, r.Dx()*r.Dy())}
	if g, ok := img.(*image.Gray); ok {
		for y := 0; y < fi.h; y++ {
			copy(fi.pix[y*fi.w:(y+1)*fi.w], g.Pix[y*g.Stride:])
		}
	} else {
		for y := 0; y < fi.h; y++ {
			for x := 0; x < fi.w; x++ {
				fi.pix[y*fi.w+x] = color.GrayModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	switch format {
	case "png":
		fi.dpi = pngDPI(b)
	case "bmp":
		fi.dpi = bmpDPI(b)
	}
	return fi, nil
}

// decodePGM reads a binary 8-bit PGM (P5); comments are allowed in the header.
func decodePGM(b []byte) (*fingerImage, error) {
	p := 2
	var vals [3]int
	for n := 0; n < 3; n++ {
		for p < len(b) {
			if b[p] == '#' {
				for p < len(b) && b[p] != '\n' {
					p++
				}
			} else if b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r' {
				p++
			} else {
				break
			}
		}
		s := p
		for p < len(b) && b[p] >= '0' && b[p] <= '9' && p-s < 9 {
			p++
		}
		v, err := strconv.Atoi(string(b[s:p]))
		if err != nil {
			return nil, fmt.Errorf("decode pgm: header field %d: %w", n+1, err)
		}
		vals[n] = v
	}
	if p >= len(b) {
		return nil, errors.New("decode pgm: header truncated")
	}
	p++ // the single whitespace after maxval
	w, h, maxv := vals[0], vals[1], vals[2]
	if w <= 0 || h <= 0 || w*h > maxFingerPixels || maxv <= 0 || maxv > 255 {
		return nil, fmt.Errorf("decode pgm: size %dx%d maxval %d unsupported", w, h, maxv)
	}
	if len(b)-p < w*h {
		return nil, fmt.Errorf("decode pgm: %d pixel bytes, need %d", len(b)-p, w*h)
	}
	fi := &fingerImage{w: w, h: h, pix: make([]uint8, w*h)}
	for i := range fi.pix {
		fi.pix[i] = uint8(int(b[p+i]) * 255 / maxv)
	}
	return fi, nil
}

// tiffDPI reads XResolution and ResolutionUnit from the first IFD.
func tiffDPI(b []byte) float64 {
	if len(b) < 8 {
		return 0
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int64(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > int64(len(b)) {
		return 0
	}
	n := int64(bo.Uint16(b[off:]))
	var num, den uint32
	unit := uint16(2) // inch by default
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(b)) {
			return 0
		}
		tag := bo.Uint16(b[e:])
		switch tag {
		case 282: // XResolution, RATIONAL at an offset
			v := int64(bo.Uint32(b[e+8:]))
			if v < 0 || v+8 > int64(len(b)) {
				return 0
			}
			num, den = bo.Uint32(b[v:]), bo.Uint32(b[v+4:])
		case 296: // ResolutionUnit, SHORT inline
			unit = bo.Uint16(b[e+8:])
		}
	}
	if den == 0 || num == 0 {
		return 0
	}
	r := float64(num) / float64(den)
	switch unit {
	case 2:
		return r
	case 3:
		return r * 2.54
	}
	return 0
}

// pngDPI reads the pHYs chunk (pixels per metre).
func pngDPI(b []byte) float64 {
	p := 8
	for p+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if n < 0 || n > len(b)-p-12 {
			return 0
		}
		if typ == "pHYs" && n >= 9 && b[p+16] == 1 {
			return math.Round(float64(binary.BigEndian.Uint32(b[p+8:])) * 0.0254)
		}
		if typ == "IDAT" || typ == "IEND" {
			return 0
		}
		p += 12 + n
	}
	return 0
}

// bmpDPI reads biXPelsPerMeter of the BITMAPINFOHEADER.
func bmpDPI(b []byte) float64 {
	if len(b) < 42 {
		return 0
	}
	ppm := int32(binary.LittleEndian.Uint32(b[38:42]))
	if ppm <= 0 {
		return 0
	}
	return math.Round(float64(ppm) * 0.0254)
}
