package station

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // faces may be JPEG
	_ "image/png"  // the station stores captures as PNG
	"strconv"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/ansinist"
	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// Type-2 fields of a Rekam enrollment transaction (user-defined tags, as
// ANSI/NIST-ITL lets the receiving system define them). FORMAT.md in
// sync/packet lists them.
const (
	t2NIK = 3 + iota
	t2KK
	t2Name
	t2BirthPlace
	t2BirthDate
	t2Sex
	t2BloodType
	t2Religion
	t2Marital
	t2FamilyRelation
	t2Disability
	t2Education
	t2Occupation
	t2MotherName
	t2MotherNIK
	t2FatherName
	t2FatherNIK
	t2Address
	t2RT
	t2RW
	t2Desa
	t2Citizenship
)

func biodataFields(r enroll.Resident) []ansinist.Field {
	var out []ansinist.Field
	add := func(tag int, v string) {
		v = strings.Map(func(c rune) rune {
			if c < 0x20 || c == 0x7f {
				return -1 // no separators or control characters in a field
			}
			return c
		}, v)
		if v != "" && v != "0" {
			out = append(out, ansinist.Field{Tag: tag, Value: []byte(v)})
		}
	}
	itoa := strconv.Itoa
	add(t2NIK, r.NIK)
	add(t2KK, r.KK)
	add(t2Name, r.Name)
	add(t2BirthPlace, r.BirthPlace)
	add(t2BirthDate, strings.ReplaceAll(r.BirthDate, "-", ""))
	add(t2Sex, itoa(r.Sex))
	add(t2BloodType, itoa(r.BloodType))
	add(t2Religion, itoa(r.Religion))
	add(t2Marital, itoa(r.Marital))
	add(t2FamilyRelation, itoa(r.FamilyRelation))
	add(t2Disability, itoa(r.Disability))
	add(t2Education, itoa(r.Education))
	add(t2Occupation, itoa(r.Occupation))
	add(t2MotherName, r.MotherName)
	add(t2MotherNIK, r.MotherNIK)
	add(t2FatherName, r.FatherName)
	add(t2FatherNIK, r.FatherNIK)
	add(t2Address, r.Address)
	add(t2RT, r.RT)
	add(t2RW, r.RW)
	add(t2Desa, r.DesaCode)
	add(t2Citizenship, itoa(r.Citizenship))
	return out
}

// buildTransaction makes the enrollment's ANSI/NIST-ITL transaction:
// biodata in Type-2, fingers as WSQ in Type-14, the face in Type-10 and
// the irises in Type-17. It returns the encoded transaction and the capture
// steps it carries (the packet need not carry those images again).
func buildTransaction(stationID, kecamatan, ref string, at time.Time, r enroll.Resident, caps []store.Capture) ([]byte, map[string]bool, error) {
	e := &ansinist.Enrollment{
		TransactionType: "KTP", Destination: "DUKCAPIL", Origin: stationID, ControlNumber: ref,
		Time: at, Domain: "REKAM", Biodata: biodataFields(r),
	}
	used := map[string]bool{}
	for _, c := range caps {
		if len(c.Blob) == 0 || c.Meta.Exception != "" {
			continue
		}
		switch {
		case strings.HasPrefix(c.Step, "finger."):
			pos, err := strconv.Atoi(strings.TrimPrefix(c.Step, "finger."))
			if err != nil || pos < 1 || pos > 10 {
				continue
			}
			img, _, err := image.Decode(bytes.NewReader(c.Blob))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", c.Step, err)
			}
			g := wsq.Gray(img)
			b := g.Bounds()
			if b.Dx() < wsq.MinEncodeDimension || b.Dy() < wsq.MinEncodeDimension {
				continue
			}
			data, err := wsq.EncodeGray(g, &wsq.Options{PPI: 500, MaxRatio: 15})
			if err != nil {
				return nil, nil, fmt.Errorf("%s: wsq: %w", c.Step, err)
			}
			e.Fingers = append(e.Fingers, ansinist.FingerImage{Position: pos, WSQ: data, Width: b.Dx(), Height: b.Dy(), PPI: 500, Quality: c.Meta.Quality})
			used[c.Step] = true
		case strings.HasPrefix(c.Step, "iris."):
			eye := 0
			switch strings.TrimPrefix(c.Step, "iris.") {
			case "right", "r":
				eye = 1
			case "left", "l":
				eye = 2
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(c.Blob))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", c.Step, err)
			}
			e.Irises = append(e.Irises, ansinist.IrisImage{Eye: eye, Data: c.Blob, Format: strings.ToUpper(format), Width: cfg.Width, Height: cfg.Height})
			used[c.Step] = true
		case c.Step == "face":
			cfg, format, err := image.DecodeConfig(bytes.NewReader(c.Blob))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", c.Step, err)
			}
			f := "PNG"
			if format == "jpeg" {
				f = "JPEGB"
			}
			e.Face = &ansinist.FaceImage{Data: c.Blob, Format: f, Width: cfg.Width, Height: cfg.Height, ColourSpace: "SRGB"}
			used[c.Step] = true
		}
	}
	tx, err := ansinist.Build(e)
	if err != nil {
		return nil, nil, err
	}
	b, err := tx.Marshal()
	if err != nil {
		return nil, nil, err
	}
	return b, used, nil
}
