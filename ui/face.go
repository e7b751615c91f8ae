package ui

import (
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/ui/port"
)

// faceStep captures the face photo (no exception: everyone has a face
// photo; the ICAO checklist and background rule come with the face engine).
func (f *enrollFlow) faceStep() stepView {
	src := f.a.opt.Devices.Face
	it := captureItem{step: port.StepFace, label: lang.L("face.label"), gate: FaceGate}
	if src != nil {
		it.device = src
		it.capture = src.CaptureFace
	}
	_, v := f.newCaptureScreen([]captureItem{it}, 1, stepSignature)
	return v
}
