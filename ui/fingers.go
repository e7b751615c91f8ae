package ui

import (
	"context"

	"github.com/rekam-ktp/rekam/ui/port"
)

// fingerExceptions are the reasons a finger cannot be captured.
var fingerExceptions = []string{"missing", "amputated", "bandaged"}

// fingersStep is the ten-finger capture: a tile per finger, right hand on
// the top row.
func (f *enrollFlow) fingersStep() stepView {
	src := f.a.opt.Devices.Finger
	items := make([]captureItem, 0, len(port.Fingers))
	for _, fg := range port.Fingers {
		fg := fg
		it := captureItem{step: fg.Step(), label: fingerLabel(fg), gate: f.a.captureSettings().FingerGate, exceptions: fingerExceptions}
		if src != nil {
			it.device = src
			it.capture = func(ctx context.Context, gate int, p port.Preview) (port.Frame, error) {
				return src.CaptureFinger(ctx, fg, gate, p)
			}
		}
		items = append(items, it)
	}
	c, v := f.newCaptureScreen(items, 5, stepIrises)
	if s, ok := src.(port.SlapSource); ok {
		v = f.withSlaps(c, v, s)
	}
	return v
}
