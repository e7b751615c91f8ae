package station

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/ansinist"
	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/store"
)

func pngOf(w, h int) []byte {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	png.Encode(&b, g)
	return b.Bytes()
}

func TestBuildTransaction(t *testing.T) {
	r := enroll.Resident{NIK: "3211010101900001", Name: "ASEP\x1dSUNANDAR", BirthDate: "1990-01-01", Sex: 1, Citizenship: 1}
	caps := []store.Capture{
		{Step: "finger.01", Blob: pngOf(200, 240), Meta: store.CaptureMeta{Quality: 77}},
		{Step: "finger.02", Meta: store.CaptureMeta{Exception: "amputated"}},
		{Step: "iris.left", Blob: pngOf(320, 280)},
		{Step: "face", Blob: pngOf(300, 400)},
		{Step: "template.01", Blob: []byte("tmpl")},
	}
	b, used, err := buildTransaction("ST-01", "32.11.01", "ST-01/7", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), r, caps)
	if err != nil {
		t.Fatal(err)
	}
	if !used["finger.01"] || !used["iris.left"] || !used["face"] || used["template.01"] || used["finger.02"] {
		t.Fatalf("steps carried: %v", used)
	}
	tx, err := ansinist.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	types := map[int]int{}
	var t2 *ansinist.Record
	for _, rec := range tx.Records {
		types[rec.Type]++
		if rec.Type == 2 {
			t2 = rec
		}
	}
	if types[1] != 1 || types[2] != 1 || types[14] != 1 || types[10] != 1 || types[17] != 1 {
		t.Fatalf("record types %v", types)
	}
	fields := map[int]string{}
	for _, f := range t2.Fields {
		fields[f.Tag] = string(f.Value)
	}
	if fields[t2NIK] != "3211010101900001" || fields[t2Name] != "ASEPSUNANDAR" || fields[t2BirthDate] != "19900101" {
		t.Fatalf("Type-2 fields %v", fields)
	}
	for _, rec := range tx.Records {
		if rec.Type == 14 {
			img, ok := rec.Image()
			if !ok || !wsq.IsWSQ(img.Data) || img.Width != 200 {
				t.Fatalf("Type-14 image: width %d, ok %v", img.Width, ok)
			}
		}
	}
}
