package devport_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// TestSimulatedSetBehindThePorts drives every capture port through the real
// drivers against the simulated devices (serial over ptys, USB on the fake
// bus), with synthetic biometrics.
func TestSimulatedSetBehindThePorts(t *testing.T) {
	set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: 3, Dir: t.TempDir(), Source: biosrc.Synth{}})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	ctx := context.Background()
	var ds []device.Device
	for _, s := range set.Sims {
		ds = append(ds, s.Open())
	}
	defer func() {
		for _, d := range ds {
			d.Close()
		}
	}()
	devs := devport.FromDevices(ctx, ds)
	if devs.Finger == nil || devs.Iris == nil || devs.Face == nil || devs.Signature == nil {
		t.Fatalf("missing a modality: %+v", devs)
	}
	if devs.Finger.State() != port.DeviceReady {
		t.Fatalf("finger light %v", devs.Finger.State())
	}
	var previews int
	fr, err := devs.Finger.CaptureFinger(ctx, 2, 0, func(port.Frame) { previews++ })
	if err != nil || fr.Image == nil || previews == 0 {
		t.Fatalf("finger: %v (image %v, %d previews)", err, fr.Image != nil, previews)
	}
	if _, err := devs.Finger.CaptureFinger(ctx, 2, 101, nil); !errors.Is(err, port.ErrBelowGate) {
		t.Fatalf("an impossible gate: %v", err)
	}
	if fr, err := devs.Iris.CaptureIris(ctx, port.LeftEye, 0, nil); err != nil || fr.Image == nil {
		t.Fatalf("iris: %v", err)
	}
	if fr, err := devs.Face.CaptureFace(ctx, 0, nil); err != nil || fr.Image == nil {
		t.Fatalf("face: %v", err)
	}
	pad := devs.Signature.(*devport.Pad)
	pad.Done = 300 * time.Millisecond
	inked := 0
	fr, pts, err := pad.CaptureSignature(ctx, func(port.Point) { inked++ })
	if err != nil || fr.Image == nil || len(pts) == 0 || inked != len(pts) {
		t.Fatalf("signature: %v, %d points, %d inked", err, len(pts), inked)
	}
}

// TestUnplugSurfacesAsMissingAndRecovers unplugs the scanner mid-session:
// the capture fails as a missing device, and after replug the next capture
// works with the same adapter, without a restart.
func TestUnplugSurfacesAsMissingAndRecovers(t *testing.T) {
	set, err := simset.Start(simset.Options{Serial: true, Identity: 4, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	ctx := context.Background()
	var scanner *simset.Sim
	for _, s := range set.Sims {
		if s.Kind == device.KindFinger && scanner == nil {
			scanner = s
		}
	}
	d := scanner.Open()
	defer d.Close()
	f := devport.NewFinger(ctx, d.(device.FingerScanner))
	f.Timeout = 3 * time.Second
	scanner.Unplug()
	_, err = f.CaptureFinger(ctx, 1, 0, nil)
	if !errors.Is(err, port.ErrNoDevice) || f.State() != port.DeviceMissing {
		t.Fatalf("unplugged: %v, light %v", err, f.State())
	}
	if err := scanner.Replug(); err != nil {
		t.Fatal(err)
	}
	var fr port.Frame
	for i := 0; i < 20; i++ { // the driver reconnects on the next call
		if fr, err = f.CaptureFinger(ctx, 1, 0, nil); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || fr.Image == nil || f.State() != port.DeviceReady {
		t.Fatalf("after replug: %v, light %v", err, f.State())
	}
}
