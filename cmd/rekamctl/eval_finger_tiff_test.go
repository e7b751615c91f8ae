package main

import (
	"encoding/binary"
	"testing"
)

// makeTIFF builds a little-endian baseline TIFF of w×h grey pixels in one
// strip, with the given photometric interpretation and 500 dpi.
func makeTIFF(w, h int, photo uint16, pix []byte) []byte {
	le := binary.LittleEndian
	type ent struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	ents := []ent{
		{256, 3, 1, uint32(w)}, {257, 3, 1, uint32(h)}, {258, 3, 1, 8}, {259, 3, 1, 1},
		{262, 3, 1, uint32(photo)}, {273, 4, 1, 0}, {277, 3, 1, 1}, {278, 3, 1, uint32(h)},
		{279, 4, 1, uint32(len(pix))}, {282, 5, 1, 0}, {296, 3, 1, 2},
	}
	ifd := 8
	dataOff := ifd + 2 + 12*len(ents) + 4
	ratOff := dataOff
	pixOff := ratOff + 8
	b := make([]byte, pixOff+len(pix))
	copy(b, "II*\x00")
	le.PutUint32(b[4:], uint32(ifd))
	le.PutUint16(b[ifd:], uint16(len(ents)))
	for i, e := range ents {
		p := ifd + 2 + 12*i
		switch e.tag {
		case 273:
			e.value = uint32(pixOff)
		case 282:
			e.value = uint32(ratOff)
		}
		le.PutUint16(b[p:], e.tag)
		le.PutUint16(b[p+2:], e.typ)
		le.PutUint32(b[p+4:], e.count)
		if e.typ == 3 {
			le.PutUint16(b[p+8:], uint16(e.value))
		} else {
			le.PutUint32(b[p+8:], e.value)
		}
	}
	le.PutUint32(b[ratOff:], 500)
	le.PutUint32(b[ratOff+4:], 1)
	copy(b[pixOff:], pix)
	return b
}

func TestDecodeTIFF(t *testing.T) {
	pix := []byte{0, 10, 20, 30, 40, 50}
	good := makeTIFF(3, 2, 1, pix)
	fi, err := decodeFingerImage(good)
	if err != nil {
		t.Fatal(err)
	}
	if fi.w != 3 || fi.h != 2 || fi.pix[5] != 50 || fi.dpi != 500 {
		t.Fatalf("%dx%d pix %v dpi %v", fi.w, fi.h, fi.pix, fi.dpi)
	}
	inv, err := decodeFingerImage(makeTIFF(3, 2, 0, pix))
	if err != nil || inv.pix[0] != 255 {
		t.Fatalf("WhiteIsZero: %v %v", inv, err)
	}
	bad := []struct {
		name string
		b    []byte
	}{
		{"truncated header", good[:6]},
		{"truncated pixels", good[:len(good)-1]},
		{"ifd past end", append([]byte("II*\x00\xff\xff\x00\x00"), make([]byte, 8)...)},
		{"16 bit", func() []byte {
			b := makeTIFF(3, 2, 1, pix)
			binary.LittleEndian.PutUint16(b[8+2+12*2+8:], 16)
			return b
		}()},
		{"strip shorter than width", func() []byte { b := makeTIFF(3, 2, 1, pix); binary.LittleEndian.PutUint16(b[8+2+8:], 60000); return b }()},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeFingerImage(tt.b); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
