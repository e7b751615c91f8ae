package ansinist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func sampleEnrollment(t testing.TB) *Enrollment {
	fp, err := os.ReadFile(filepath.Join(shareddata.Require(t, "wsq"), "sample", "sample.wsq"))
	if err != nil {
		t.Fatal(err)
	}
	return &Enrollment{
		TransactionType: "KTP",
		Destination:     "DUKCAPIL",
		Origin:          "3201010001",
		ControlNumber:   "3201010001-20260601-0001",
		Time:            time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC),
		Biodata: []Field{
			{Tag: 18, Value: []byte("NAMA")},
			{Tag: 3, Value: []byte("3201010101900001")},
		},
		Fingers: []FingerImage{
			{Position: 1, WSQ: fp, Width: 545, Height: 622, PPI: 500, Quality: 80},
			{Position: 2, WSQ: fp, Width: 545, Height: 622, PPI: 500},
		},
		Face:      &FaceImage{Data: []byte("\xff\xd8jpeg"), Format: "JPEGB", Width: 480, Height: 640},
		Irises:    []IrisImage{{Eye: 1, Data: []byte("\x89PNG r"), Format: "PNG", Width: 640, Height: 480}, {Eye: 2, Data: []byte("\x89PNG l"), Format: "PNG", Width: 640, Height: 480}},
		Signature: &SignatureImage{Representation: 2, Width: 300, Height: 100, Data: EncodeVectors([]SignatureVector{{10, 20, 100}, {11, 22, 0}, {0, 0, 255}})},
	}
}

func TestBuildRoundTrip(t *testing.T) {
	tx, err := Build(sampleEnrollment(t))
	if err != nil {
		t.Fatal(err)
	}
	data, err := tx.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatalf("parse built transaction: %v", err)
	}
	again, err := back.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("second write differs (%v)", err)
	}
	wantTypes := []int{1, 2, 14, 14, 10, 17, 17, 8}
	if len(back.Records) != len(wantTypes) {
		t.Fatalf("%d records", len(back.Records))
	}
	for i, r := range back.Records {
		if r.Type != wantTypes[i] {
			t.Errorf("record %d is Type-%d, want %d", i, r.Type, wantTypes[i])
		}
		if i >= 2 && r.IDC() != i-1 {
			t.Errorf("record %d IDC %d", i, r.IDC())
		}
	}
	if got := back.Records[0].Get(3); got != "1\x1f7\x1e2\x1f00\x1e14\x1f01\x1e14\x1f02\x1e10\x1f03\x1e17\x1f04\x1e17\x1f05\x1e8\x1f06" {
		t.Errorf("CNT %q", got)
	}
	if back.Records[0].Get(14) != "20260601093000Z" || back.Records[0].Get(5) != "20260601" {
		t.Errorf("dates %q %q", back.Records[0].Get(5), back.Records[0].Get(14))
	}
	t2 := back.Records[1]
	if t2.Fields[2].Tag != 3 || t2.Get(18) != "NAMA" {
		t.Errorf("Type-2 fields not in tag order: %+v", t2.Fields)
	}
	fing, ok := back.Records[2].Image()
	if !ok || fing.Compression != "WSQ20" || fing.Width != 545 {
		t.Fatalf("finger image %+v", fing)
	}
	if _, _, err := wsq.DecodeBytes(fing.Data); err != nil {
		t.Errorf("finger WSQ does not decode: %v", err)
	}
	if face := back.Records[4]; face.Get(3) != "FACE" || face.Get(11) != "JPEGB" || face.Get(13) != "1" {
		t.Errorf("face fields IMT %q CGA %q SAP %q", face.Get(3), face.Get(11), face.Get(13))
	}
	if back.Records[2].Get(24) != "1\x1f80\x1f0\x1f0" {
		t.Errorf("quality field %q", back.Records[2].Get(24))
	}
	v, err := back.Records[7].Binary.Vectors()
	if err != nil || len(v) != 3 || v[1] != (SignatureVector{11, 22, 0}) {
		t.Errorf("vectors %v %v", v, err)
	}
}

func TestBuildRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *Enrollment)
	}{
		{"no origin", func(e *Enrollment) { e.Origin = "" }},
		{"bad finger", func(e *Enrollment) { e.Fingers[0].WSQ = nil }},
		{"bad eye", func(e *Enrollment) { e.Irises[0].Eye = 3 }},
		{"biodata tag", func(e *Enrollment) { e.Biodata[0].Tag = 1 }},
		{"separator in biodata", func(e *Enrollment) { e.Biodata[0].Value = []byte("A\x1dB") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sampleEnrollment(t)
			tt.mutate(e)
			tx, err := Build(e)
			if err == nil {
				_, err = tx.Marshal()
			}
			if err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestReferenceImages checks the image views of the NIST files: every
// Type-14 and Type-4 WSQ image decodes to the size its record states.
func TestReferenceImages(t *testing.T) {
	dir := shareddata.Require(t, "ansi-nist")
	for _, name := range []string{"type-14-tip-eji-wsq.an2", "type-4-slaps.an2"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		tx, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tx.Records[2:] {
			img, ok := r.Image()
			if !ok {
				t.Fatalf("%s: Type-%d without image", name, r.Type)
			}
			g, _, err := wsq.DecodeBytes(img.Data)
			if err != nil {
				t.Fatalf("%s IDC %d: %v", name, r.IDC(), err)
			}
			if g.Rect.Dx() != img.Width || g.Rect.Dy() != img.Height {
				t.Errorf("%s IDC %d: WSQ %v, record %dx%d", name, r.IDC(), g.Rect, img.Width, img.Height)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	tx, err := Build(sampleEnrollment(t))
	if err != nil {
		t.Fatal(err)
	}
	valid, err := tx.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not a record", []byte("hello")},
		{"type 2 first", []byte("2.001:18\x1d2.002:00\x1c")},
		{"length beyond data", []byte("1.001:99999\x1d1.003:1\x1f0\x1c")},
		{"no FS", append([]byte("1.001:20\x1d1.003:1\x1f0\x1d"), 'x')},
		{"truncated", valid[:len(valid)/2]},
		{"trailing bytes", append(append([]byte(nil), valid...), 'x')},
		{"count mismatch", bytes.Replace(valid, []byte("1\x1f7\x1e"), []byte("1\x1f6\x1e"), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.data); !errors.Is(err, ErrFormat) {
				t.Errorf("error %v, want ErrFormat", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	// A small transaction keeps the fuzzer fast; the image bytes are not
	// looked into by the reader.
	e := sampleEnrollment(f)
	for i := range e.Fingers {
		e.Fingers[i].WSQ = []byte("\xff\xa0\xff\xa1")
	}
	tx, err := Build(e)
	if err != nil {
		f.Fatal(err)
	}
	valid, _ := tx.Marshal()
	f.Add(valid)
	f.Add([]byte("1.001:20\x1d1.003:1\x1f0\x1c"))
	f.Add([]byte("1.001:30\x1d1.003:1\x1f1\x1e4\x1f01\x1c\x00\x00\x00\x12\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tx, err := Parse(data)
		if err != nil {
			return
		}
		out, err := tx.Marshal()
		if err != nil {
			return
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of written transaction: %v", err)
		}
		if len(back.Records) != len(tx.Records) {
			t.Fatalf("%d records became %d", len(tx.Records), len(back.Records))
		}
	})
}
