package iris_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/irisrec"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

func TestRecordCarriesImageAndTemplate(t *testing.T) {
	var reprs []irisrec.Representation
	imgs := map[uint8]*image.Gray{}
	tmpls := map[uint8]*iris.Template{}
	when := time.Date(2026, 11, 27, 10, 0, 1, 500e6, time.UTC)
	for i, eye := range []uint8{irisrec.EyeRight, irisrec.EyeLeft} {
		img := defaultEye(uint64(71 + i)).render()
		res, err := iris.Enroll(img)
		if err != nil {
			t.Fatal(err)
		}
		r, err := iris.Representation(img, res, eye, when, uint16(i+1))
		if err != nil {
			t.Fatal(err)
		}
		reprs = append(reprs, r)
		imgs[eye], tmpls[eye] = img, res.Template
	}
	b, err := (&irisrec.Record{Eyes: 2, Representations: reprs}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := irisrec.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.Representations {
		tp, err := iris.TemplateFromRepresentation(&r)
		if err != nil {
			t.Fatal(err)
		}
		if *tp != *tmpls[r.Eye] {
			t.Errorf("eye %d: template changed in the record", r.Eye)
		}
		img, err := png.Decode(bytes.NewReader(r.Image))
		if err != nil {
			t.Fatal(err)
		}
		if g, ok := img.(*image.Gray); !ok || !bytes.Equal(g.Pix, imgs[r.Eye].Pix) {
			t.Errorf("eye %d: image not lossless", r.Eye)
		}
		if r.Captured.Millisecond != 500 || r.DiameterMin < 180 || r.DiameterMin > 200 || r.Quality[0].Score == 0 {
			t.Errorf("eye %d: metadata %+v", r.Eye, r)
		}
	}
	noExt := rec.Representations[0]
	noExt.Extension = nil
	if _, err := iris.TemplateFromRepresentation(&noExt); err == nil {
		t.Error("representation without extension gave a template")
	}
}
