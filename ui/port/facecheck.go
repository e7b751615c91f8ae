package port

import (
	"errors"
	"fmt"
	"image"
	"sync"

	"github.com/rekam-ktp/rekam/biometric/face"
)

// FaceCheck is the capture checklist of one face frame: the ICAO/OFIQ-style
// checks of biometric/face and the KTP-el backdrop colour rule.
type FaceCheck struct {
	// Faces is how many faces the frame holds.
	Faces int
	// Checks are the individual results (empty when no face was found).
	Checks []face.Result
	// Backdrop is the colour rule's verdict on the card crop (nil when no
	// face was found or no colour is required).
	Backdrop *face.BackdropCheck
	// Portrait is the KTP card crop (nil when no face was found).
	Portrait *image.NRGBA
}

// BackdropReplaceable reports whether the backdrop has the wrong colour but
// is uniform, so that repainting it may be offered.
func (c FaceCheck) BackdropReplaceable() bool {
	return c.Portrait != nil && c.Backdrop != nil && !c.Backdrop.Pass && c.Backdrop.Got != c.Backdrop.Want &&
		c.Backdrop.SD <= face.DefaultBackdropLimits.MaxSD
}

// BackdropTolerance is the colour distance ReplaceFaceBackdrop treats as
// backdrop.
const BackdropTolerance = 60

// faceAssessor loads the face detector once, on first use.
var faceAssessor = sync.OnceValues(func() (face.Assessor, error) {
	d, err := face.DefaultDetector()
	if err != nil {
		return face.Assessor{}, fmt.Errorf("face detector: %w", err)
	}
	// No eye-state model ships with the station (see biometric/face): the
	// eyes_open check then reports "not measured".
	return face.Assessor{Detector: d, Thresholds: face.DefaultThresholds}, nil
})

// CheckFace runs the capture checks on one frame; want is the backdrop the
// resident needs ("" for no colour rule). It takes tens of milliseconds:
// call it off the UI thread.
func CheckFace(img image.Image, want face.Backdrop) (FaceCheck, error) {
	if img == nil {
		return FaceCheck{}, errors.New("check face: no image")
	}
	as, err := faceAssessor()
	if err != nil {
		return FaceCheck{}, err
	}
	rep := as.Assess(img)
	fc := FaceCheck{Faces: rep.Faces, Checks: rep.Checks}
	if rep.Face == nil {
		return fc, nil
	}
	if fc.Portrait, err = face.Crop(img, rep.Face.EyeL, rep.Face.EyeR, face.CardPortrait); err != nil {
		return fc, fmt.Errorf("check face: %w", err)
	}
	if want != "" {
		bc, err := face.CheckBackdrop(fc.Portrait, face.CardPortrait, want, face.DefaultBackdropLimits)
		if err != nil {
			return fc, fmt.Errorf("check face: %w", err)
		}
		fc.Backdrop = &bc
	}
	return fc, nil
}

// ReplaceFaceBackdrop repaints a uniform backdrop of a card crop in the
// required colour (face.ErrNotSeparable when the subject cannot be told
// from it).
func ReplaceFaceBackdrop(portrait *image.NRGBA, want face.Backdrop) (*image.NRGBA, error) {
	out, err := face.ReplaceBackdrop(portrait, face.CardPortrait, want, BackdropTolerance)
	if err != nil {
		return nil, fmt.Errorf("replace backdrop: %w", err)
	}
	return out, nil
}
