package fingerimg

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func pngBytes(t testing.TB, w, h int) []byte {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMarshalGolden(t *testing.T) {
	r := &Record{
		CaptureDeviceID: 0x1234, AcquisitionLevel: 31, ScaleUnits: UnitsPPI,
		ScanResX: 500, ScanResY: 500, ImageResX: 500, ImageResY: 500, PixelDepth: 8, Compression: Uncompressed,
		Views: []View{{Position: 2, ViewCount: 1, ViewNumber: 1, Quality: 60, Impression: 0, Width: 2, Height: 2, Data: []byte{1, 2, 3, 4}}},
	}
	data, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("FIR\x00010\x00" +
		"\x00\x00\x00\x00\x00\x32" + // record length 50
		"\x12\x34\x00\x1f\x01\x01" + // device, level 31, 1 view, ppi
		"\x01\xf4\x01\xf4\x01\xf4\x01\xf4" + // resolutions
		"\x08\x00\x00\x00" + // depth, compression, reserved
		"\x00\x00\x00\x12\x02\x01\x01\x3c\x00\x00\x02\x00\x02\x00" + // view header
		"\x01\x02\x03\x04")
	if !bytes.Equal(data, want) {
		t.Fatalf("got  % x\nwant % x", data, want)
	}
	back, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := back.Decode(0)
	if err != nil || img.(*image.Gray).Pix[3] != 4 {
		t.Errorf("decode raw: %v", err)
	}
}

func TestFromImage(t *testing.T) {
	fp, err := os.ReadFile(filepath.Join(shareddata.Require(t, "wsq"), "sample", "sample.wsq"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		data        []byte
		compression Compression
		w, h        uint16
		ppi         uint16
	}{
		{"wsq", fp, WSQ, 545, 622, 500},
		{"png", pngBytes(t, 30, 20), PNG, 30, 20, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := FromImage(tt.data, 7, 0, 80, 1000)
			if err != nil {
				t.Fatal(err)
			}
			data, err := r.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			v := back.Views[0]
			if back.Compression != tt.compression || v.Width != tt.w || v.Height != tt.h || back.ScanResX != tt.ppi || v.Position != 7 || v.Quality != 80 {
				t.Errorf("record %+v view %+v", back, v)
			}
			img, err := back.Decode(0)
			if err != nil || img.Bounds().Dx() != int(tt.w) {
				t.Errorf("decode: %v", err)
			}
		})
	}
	if _, err := FromImage([]byte("GIF89a"), 1, 0, 0, 500); !errors.Is(err, ErrFormat) {
		t.Errorf("GIF accepted: %v", err)
	}
}

func TestUnmarshalRejects(t *testing.T) {
	r, _ := FromImage(pngBytes(t, 4, 4), 1, 0, 50, 500)
	valid, _ := r.Marshal()
	mut := func(i int, b byte) []byte { d := append([]byte(nil), valid...); d[i] = b; return d }
	tests := []struct {
		name string
		data []byte
	}{
		{"short", valid[:20]},
		{"magic", mut(0, 'X')},
		{"version", mut(5, '2')},
		{"record length", mut(13, valid[13]+1)},
		{"no views", mut(18, 0)},
		{"two views declared", mut(18, 2)},
		{"view length", mut(35, valid[35]+1)},
		{"view length too small", mut(35, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.data); !errors.Is(err, ErrFormat) {
				t.Errorf("error %v", err)
			}
		})
	}
}

func FuzzUnmarshal(f *testing.F) {
	r, _ := FromImage(pngBytes(f, 4, 4), 1, 0, 50, 500)
	valid, _ := r.Marshal()
	f.Add(valid)
	f.Add([]byte("FIR\x00010\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Unmarshal(data)
		if err != nil {
			return
		}
		out, err := r.Marshal()
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		back, err := Unmarshal(out)
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		// Reserved bytes are written as zero; every field must survive.
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", r, back)
		}
		for i := range r.Views {
			r.Decode(i) // must not panic
		}
	})
}
