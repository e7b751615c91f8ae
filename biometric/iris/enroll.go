package iris

import (
	"fmt"
	"image"
)

// Result is everything Enroll learns from one image.
type Result struct {
	// Template is the iris code and mask.
	Template *Template
	// Quality is the image's quality report and capture-gate verdict.
	Quality Quality
	// Segmentation is the geometry the template was cut from.
	Segmentation *Segmentation
}

// Enroll segments, normalises and encodes one near-infrared eye image and
// assesses its quality. The template is returned even when the quality gate
// fails; callers decide with Quality.Acceptable.
func Enroll(img image.Image) (*Result, error) {
	pl := planeFromImage(img)
	if pl.w < 64 || pl.h < 64 {
		return nil, fmt.Errorf("iris: image %d×%d too small", pl.w, pl.h)
	}
	seg, work, err := segment(pl)
	if err != nil {
		return nil, fmt.Errorf("iris: segment: %w", err)
	}
	pol := normalize(work, seg)
	t := encode(pol)
	q := assess(pl, seg, pol)
	return &Result{Template: t, Quality: q, Segmentation: seg}, nil
}
