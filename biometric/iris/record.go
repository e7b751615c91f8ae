package iris

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/irisrec"
)

// Quality algorithm identification written into ISO records (vendor 0 is
// unregistered; the algorithm number identifies this engine's score).
const (
	qualityVendorID    = 0
	qualityAlgorithmID = 1
)

// Representation builds the ISO/IEC 19794-6:2011 representation of one
// capture: the image as lossless PNG, the iris geometry and quality score
// that Enroll found, and the template in the Rekam extension block.
// eye is irisrec.EyeRight, EyeLeft or EyeUnspecified; number counts the
// representations of the record from 1.
func Representation(img *image.Gray, res *Result, eye uint8, captured time.Time, number uint16) (irisrec.Representation, error) {
	b := img.Bounds()
	if b.Dx() > math.MaxUint16 || b.Dy() > math.MaxUint16 {
		return irisrec.Representation{}, fmt.Errorf("iris: image %d×%d too large for an ISO record", b.Dx(), b.Dy())
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return irisrec.Representation{}, fmt.Errorf("iris: encode PNG: %w", err)
	}
	tb, err := res.Template.MarshalBinary()
	if err != nil {
		return irisrec.Representation{}, fmt.Errorf("iris: marshal template: %w", err)
	}
	c := captured.UTC()
	ir := res.Segmentation.Iris
	clampU16 := func(v float64) uint16 { return uint16(math.Max(0, math.Min(math.MaxUint16, math.Round(v)))) }
	return irisrec.Representation{
		Captured: irisrec.CaptureTime{Year: uint16(c.Year()), Month: uint8(c.Month()), Day: uint8(c.Day()),
			Hour: uint8(c.Hour()), Min: uint8(c.Minute()), Sec: uint8(c.Second()), Millisecond: uint16(c.Nanosecond() / 1e6)},
		DeviceTechnology: 1,
		Quality:          []irisrec.QualityBlock{{Score: uint8(math.Round(res.Quality.Score)), VendorID: qualityVendorID, AlgorithmID: qualityAlgorithmID}},
		Number:           number,
		Eye:              eye,
		ImageType:        irisrec.TypeUncropped,
		Format:           irisrec.FormatMonoPNG,
		Width:            uint16(b.Dx()),
		Height:           uint16(b.Dy()),
		BitDepth:         8,
		RollAngle:        0xFFFF,
		RollUncertainty:  0xFFFF,
		CentreMinX:       clampU16(ir.X), CentreMaxX: clampU16(ir.X),
		CentreMinY: clampU16(ir.Y), CentreMaxY: clampU16(ir.Y),
		DiameterMin: clampU16(2 * ir.R), DiameterMax: clampU16(2 * ir.R),
		Image:     buf.Bytes(),
		Extension: tb,
	}, nil
}

// TemplateFromRepresentation returns the iris template stored in a
// representation's Rekam extension block.
func TemplateFromRepresentation(r *irisrec.Representation) (*Template, error) {
	if len(r.Extension) == 0 {
		return nil, fmt.Errorf("iris: representation %d has no template extension", r.Number)
	}
	t := &Template{}
	if err := t.UnmarshalBinary(r.Extension); err != nil {
		return nil, fmt.Errorf("iris: representation %d: %w", r.Number, err)
	}
	return t, nil
}
