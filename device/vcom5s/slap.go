package vcom5s

import (
	"image"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
)

var _ device.SlapScanner = (*Driver)(nil)

// CanSlap implements device.SlapScanner: the model's platen decides.
func (d *Driver) CanSlap() bool { return d.model.Slap }

// present is FingerPresent, and on a slap reader any finger on the platen:
// two thumbs leave the detection box in the middle empty.
func present(m Model, img *image.Gray) bool {
	return FingerPresent(m, img) || (m.Slap && quality.Assess(img).Fingers > 0)
}
