package ui

import (
	"context"

	"github.com/rekam-ktp/rekam/ui/port"
)

// irisExceptions are the reasons an eye cannot be captured.
var irisExceptions = []string{"missing", "blind", "bandaged"}

// irisesStep captures both irises.
func (f *enrollFlow) irisesStep() stepView {
	src := f.a.opt.Devices.Iris
	var items []captureItem
	for _, e := range port.Eyes {
		e := e
		it := captureItem{step: e.Step(), label: eyeLabel(e), gate: f.a.captureSettings().IrisGate, exceptions: irisExceptions}
		if src != nil {
			it.device = src
			it.capture = func(ctx context.Context, gate int, p port.Preview) (port.Frame, error) {
				return src.CaptureIris(ctx, e, gate, p)
			}
		}
		items = append(items, it)
	}
	_, v := f.newCaptureScreen(items, 2, stepFace)
	return v
}
