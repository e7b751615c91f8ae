package simsource

import (
	"context"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/ui/port"
)

func TestCaptureReachesGateWithRisingPreview(t *testing.T) {
	s := New("sim", 0)
	var qs []int
	f, err := s.CaptureFinger(context.Background(), 2, 40, func(fr port.Frame) { qs = append(qs, fr.Quality) })
	if err != nil {
		t.Fatal(err)
	}
	if f.Quality < 40 || f.Image == nil || f.Image.Bounds().Dx() != FingerWidth {
		t.Fatalf("frame quality %d, image %v", f.Quality, f.Image.Bounds())
	}
	for i := 1; i < len(qs); i++ {
		if qs[i] <= qs[i-1] {
			t.Fatalf("preview qualities not rising: %v", qs)
		}
	}
	if s.State() != port.DeviceReady {
		t.Fatalf("state after capture %v", s.State())
	}
}

func TestScriptedLowQualityAndFaults(t *testing.T) {
	ctx := context.Background()
	s := New("sim", 0)
	s.SetMaxQuality(port.LeftEye.Step(), 30)
	f, err := s.CaptureIris(ctx, port.LeftEye, 60, nil)
	if !errors.Is(err, port.ErrBelowGate) || f.Quality != 30 || f.Image == nil {
		t.Fatalf("below gate: q %d, %v", f.Quality, err)
	}
	if _, err := s.CaptureIris(ctx, port.RightEye, 60, nil); err != nil {
		t.Fatalf("other eye: %v", err)
	}
	s.InjectFault(port.StepFace, port.ErrTimeout)
	_, err = s.CaptureFace(ctx, 50, nil)
	var de *port.DeviceError
	if !errors.As(err, &de) || !errors.Is(err, port.ErrTimeout) || de.Device != "sim" {
		t.Fatalf("fault: %v", err)
	}
	if _, err := s.CaptureFace(ctx, 50, nil); err != nil {
		t.Fatalf("fault not one-shot: %v", err)
	}
	s.SetState(port.DeviceMissing)
	if _, _, err := s.CaptureSignature(ctx, nil); !errors.Is(err, port.ErrNoDevice) {
		t.Fatalf("missing device: %v", err)
	}
}

func TestSignatureInk(t *testing.T) {
	s := New("pad", 0)
	n := 0
	f, pts, err := s.CaptureSignature(context.Background(), func(port.Point) { n++ })
	if err != nil {
		t.Fatal(err)
	}
	if n != len(pts) || n == 0 {
		t.Fatalf("ink %d points, returned %d", n, len(pts))
	}
	dark := 0
	b := f.Image.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := f.Image.At(x, y).RGBA(); r < 0x4000 {
				dark++
			}
		}
	}
	if dark < 500 {
		t.Fatalf("rendered signature has %d ink pixels", dark)
	}
}

func TestCaptureCancelled(t *testing.T) {
	s := New("slow", 1e9)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.CaptureFinger(ctx, 1, 99, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled capture: %v", err)
	}
}
