package irisrec

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// sample builds a two-eye record with PNG images drawn here and a vendor
// extension on the first.
func sample(t testing.TB) *Record {
	t.Helper()
	rec := &Record{Eyes: 2}
	for i, eye := range []uint8{EyeRight, EyeLeft} {
		img := image.NewGray(image.Rect(0, 0, 64, 48))
		for p := range img.Pix {
			img.Pix[p] = uint8(p*7 + i*50)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		r := Representation{
			Captured:         CaptureTime{Year: 2026, Month: 11, Day: 27, Hour: 10, Min: 5, Sec: 9, Millisecond: 250},
			DeviceTechnology: 1, DeviceVendor: 0x1234, DeviceType: 7,
			Quality: []QualityBlock{{Score: 80, VendorID: 0x1234, AlgorithmID: 1}},
			Number:  uint16(i + 1), Eye: eye, ImageType: TypeUncropped, Format: FormatMonoPNG,
			Width: 64, Height: 48, BitDepth: 8, RollAngle: 0xFFFF, RollUncertainty: 0xFFFF,
			CentreMinX: 30, CentreMaxX: 34, CentreMinY: 20, CentreMaxY: 24, DiameterMin: 40, DiameterMax: 42,
			Image: buf.Bytes(),
		}
		if i == 0 {
			r.Extension = []byte("RKIC-template-bytes")
		}
		rec.Representations = append(rec.Representations, r)
	}
	return rec
}

func TestRoundTripAndGolden(t *testing.T) {
	rec := sample(t)
	b, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "two-eyes.iir")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (UPDATE_GOLDEN=1 writes it): %v", err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("encoding differs from %s", golden)
	}
	back, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rec) {
		t.Fatalf("round trip changed the record:\n%+v\n%+v", back, rec)
	}
	img, err := png.Decode(bytes.NewReader(back.Representations[1].Image))
	if err != nil || img.Bounds().Dx() != 64 {
		t.Fatalf("PNG payload: %v", err)
	}
	if string(b[:4]) != "IIR\x00" || string(b[4:8]) != "020\x00" {
		t.Fatalf("header %q", b[:8])
	}
}

func TestUnmarshalErrors(t *testing.T) {
	good, err := sample(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mod := func(f func(b []byte)) []byte { b := bytes.Clone(good); f(b); return b }
	firstRepr := generalHeaderSize
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"truncated header", good[:10]},
		{"truncated body", good[:len(good)-3]},
		{"format id", mod(func(b []byte) { b[0] = 'X' })},
		{"version 2005", mod(func(b []byte) { copy(b[4:], "010\x00") })},
		{"record length", mod(func(b []byte) { b[11]++ })},
		{"too many representations", mod(func(b []byte) { b[12], b[13] = 0xFF, 0xFF })},
		{"eyes", mod(func(b []byte) { b[15] = 3 })},
		{"representation length huge", mod(func(b []byte) { b[firstRepr] = 0x7F })},
		{"quality blocks overrun", mod(func(b []byte) { b[firstRepr+18] = 0xFF })},
		{"eye label", mod(func(b []byte) { b[firstRepr+26] = 9 })},
		{"image format", mod(func(b []byte) { b[firstRepr+28] = 0x55 })},
		{"image length huge", mod(func(b []byte) { b[firstRepr+53] = 0xFF })},
		{"trailing bytes", append(bytes.Clone(good), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.b); !errors.Is(err, ErrFormat) {
				t.Errorf("err %v, want ErrFormat", err)
			}
		})
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, err := sample(f).Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:generalHeaderSize])
	empty, _ := (&Record{}).Marshal()
	f.Add(empty)
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := Unmarshal(b)
		if err != nil {
			return
		}
		out, err := rec.Marshal()
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("accepted record does not round-trip")
		}
	})
}
