package fingerimg

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
)

// FromImage builds a single-view record at acquisition level 31 (500 ppi)
// around an encoded finger image, WSQ or PNG, reading its size (and, for
// WSQ, its resolution) from the image itself. ppi is used when the image
// does not state it.
func FromImage(data []byte, position, impression, quality uint8, ppi int) (*Record, error) {
	var w, h int
	var c Compression
	switch {
	case wsq.IsWSQ(data):
		in, err := wsq.ReadInfo(data)
		if err != nil {
			return nil, fmt.Errorf("fingerimg: %w", err)
		}
		w, h, c = in.Width, in.Height, WSQ
		if in.PPI > 0 {
			ppi = in.PPI
		}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("fingerimg: png: %w", err)
		}
		w, h, c = cfg.Width, cfg.Height, PNG
	default:
		return nil, fmt.Errorf("%w: image is neither WSQ nor PNG", ErrFormat)
	}
	if w > 0xFFFF || h > 0xFFFF || ppi <= 0 || ppi > 0xFFFF {
		return nil, fmt.Errorf("fingerimg: %dx%d at %d ppi out of range", w, h, ppi)
	}
	return &Record{
		AcquisitionLevel: 31,
		ScaleUnits:       UnitsPPI,
		ScanResX:         uint16(ppi), ScanResY: uint16(ppi),
		ImageResX: uint16(ppi), ImageResY: uint16(ppi),
		PixelDepth:  8,
		Compression: c,
		Views: []View{{
			Position: position, ViewCount: 1, ViewNumber: 1, Quality: quality, Impression: impression,
			Width: uint16(w), Height: uint16(h), Data: data,
		}},
	}, nil
}

// Decode decodes view i's image (WSQ, PNG or raw 8-bit pixels).
func (r *Record) Decode(i int) (image.Image, error) {
	if i < 0 || i >= len(r.Views) {
		return nil, fmt.Errorf("fingerimg: no view %d", i)
	}
	v := r.Views[i]
	switch r.Compression {
	case WSQ:
		img, _, err := wsq.DecodeBytes(v.Data)
		if err != nil {
			return nil, fmt.Errorf("fingerimg: view %d: %w", i+1, err)
		}
		return img, nil
	case PNG:
		cfg, err := png.DecodeConfig(bytes.NewReader(v.Data))
		if err != nil {
			return nil, fmt.Errorf("fingerimg: view %d: %w", i+1, err)
		}
		if cfg.Width != int(v.Width) || cfg.Height != int(v.Height) {
			return nil, fmt.Errorf("%w: view %d is %dx%d, its PNG %dx%d", ErrFormat, i+1, v.Width, v.Height, cfg.Width, cfg.Height)
		}
		img, err := png.Decode(bytes.NewReader(v.Data))
		if err != nil {
			return nil, fmt.Errorf("fingerimg: view %d: %w", i+1, err)
		}
		return img, nil
	case Uncompressed:
		if r.PixelDepth != 8 || len(v.Data) != int(v.Width)*int(v.Height) {
			return nil, fmt.Errorf("fingerimg: view %d: %d bytes for %dx%d at %d bits", i+1, len(v.Data), v.Width, v.Height, r.PixelDepth)
		}
		g := image.NewGray(image.Rect(0, 0, int(v.Width), int(v.Height)))
		copy(g.Pix, v.Data)
		return g, nil
	}
	return nil, fmt.Errorf("fingerimg: cannot decode %v", r.Compression)
}
