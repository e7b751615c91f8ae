package main

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestDecodePGM(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
		w, h int
	}{
		{"plain", "P5 2 2 255\n\x00\x01\x02\x03", true, 2, 2},
		{"comment", "P5\n# scanner\n3 1\n255\n\x00\x01\x02", true, 3, 1},
		{"truncated pixels", "P5 2 2 255\n\x00", false, 0, 0},
		{"huge", "P5 99999 99999 255\n", false, 0, 0},
		{"16 bit", "P5 1 1 65535\n\x00\x00", false, 0, 0},
		{"no header", "P5", false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fi, err := decodeFingerImage([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (fi.w != tt.w || fi.h != tt.h) {
				t.Fatalf("size %dx%d", fi.w, fi.h)
			}
		})
	}
}

func TestDecodePNGGrey(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 4, 3))
	g.Pix[5] = 200
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		t.Fatal(err)
	}
	fi, err := decodeFingerImage(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if fi.w != 4 || fi.h != 3 || fi.pix[5] != 200 || fi.dpi != 0 {
		t.Fatalf("%dx%d pix[5]=%d dpi=%v", fi.w, fi.h, fi.pix[5], fi.dpi)
	}
}

func TestTIFFDPI(t *testing.T) {
	// Little-endian TIFF with one IFD: XResolution 1000/2 per inch.
	b := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0,
		26, 1, 5, 0, 1, 0, 0, 0, 38, 0, 0, 0, // tag 282 RATIONAL at 38
		40, 1, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0, // tag 296 = inch
		0, 0, 0, 0,
		0xe8, 3, 0, 0, 2, 0, 0, 0}
	if got := tiffDPI(b); got != 500 {
		t.Fatalf("dpi %v, want 500", got)
	}
	if got := tiffDPI(b[:20]); got != 0 {
		t.Fatalf("truncated: dpi %v", got)
	}
}

func FuzzDecodeFingerImage(f *testing.F) {
	f.Add([]byte("P5 2 2 255\n\x00\x01\x02\x03"))
	f.Add([]byte{'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0})
	f.Add(makeTIFF(3, 2, 1, []byte{1, 2, 3, 4, 5, 6}))
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)))
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		fi, err := decodeFingerImage(b)
		if err != nil {
			return
		}
		if len(fi.pix) != fi.w*fi.h {
			t.Fatalf("%d pixels for %dx%d", len(fi.pix), fi.w, fi.h)
		}
		_ = tiffDPI(b)
		_ = pngDPI(b)
		_ = bmpDPI(b)
	})
}
