package iddk_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/iddk"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/iddk"
	"github.com/rekam-ktp/rekam/simulators/simtest"
)

func captureIris(d *iddk.IrisDriver, within time.Duration) (*device.IrisCapture, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	return d.Capture(ctx, device.IrisRequest{Eyes: device.EyeBoth, MinQuality: 50})
}

// TestIrisOverPTY: the helper protocol over a pty, every fault typed, the
// next capture succeeding (unplug: after a replug, without a restart).
func TestIrisOverPTY(t *testing.T) {
	tests := []struct {
		fault fault.Kind
		want  error
	}{
		{"", nil},
		{fault.Timeout, device.ErrTimeout},
		{fault.BadChecksum, device.ErrProtocol},
		{fault.Truncated, device.ErrProtocol},
		{fault.Busy, device.ErrBusy},
		{fault.LowQuality, device.ErrPoorQuality},
		{fault.SensorFault, device.ErrSensorFault},
		{fault.Unplug, device.ErrDisconnected},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			eng := sim.New(sim.Options{Kind: device.KindIris, Identity: 9})
			link := filepath.Join(t.TempDir(), "iris")
			dev := host.NewPTY(eng, link, 0)
			if err := dev.Plug(); err != nil {
				t.Fatal(err)
			}
			defer dev.Close()
			drv := iddk.NewIris(func() (transport.Port, error) {
				return transport.OpenSerial(link, transport.SerialConfig{Baud: 115200})
			}, link, iddk.Config{Call: 2 * time.Second, Poll: time.Millisecond})
			defer drv.Close()
			if _, err := captureIris(drv, 5*time.Second); err != nil {
				t.Fatalf("warm-up: %v", err)
			}
			if tt.fault != "" {
				eng.Faults.Inject(tt.fault, 1)
				t0 := time.Now()
				if _, err := captureIris(drv, 5*time.Second); !errors.Is(err, tt.want) || time.Since(t0) > 5*time.Second {
					t.Fatalf("err = %v after %s, want %v", err, time.Since(t0), tt.want)
				}
				if tt.fault == fault.Unplug {
					if err := dev.Replug(); err != nil {
						t.Fatal(err)
					}
				}
			}
			c, err := captureIris(drv, 5*time.Second)
			if err != nil || c.Left == nil || c.Right == nil || c.Left.Image.Bounds().Dx() != 640 || c.Left.Quality < 50 {
				t.Fatalf("capture: %+v %v", c, err)
			}
		})
	}
}

func TestFacePreviewAndInfo(t *testing.T) {
	eng := sim.New(sim.Options{Kind: device.KindFace, Identity: 2})
	dev := host.NewPipe(eng, 0)
	if err := dev.Plug(); err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	drv := iddk.NewFace(dev.Opener(0), "pipe:", iddk.Config{Poll: time.Millisecond})
	defer drv.Close()
	frames := 0
	if err := drv.Preview(context.Background(), func(device.Frame) error { frames++; return nil }); err != nil || frames < 2 {
		t.Fatalf("preview: %d frames, %v", frames, err)
	}
	c, err := drv.Capture(context.Background(), device.FaceRequest{MinQuality: 50})
	if err != nil || c.Image.Bounds().Dy() != 640 {
		t.Fatalf("face: %v", err)
	}
	info, err := drv.Info(context.Background())
	if err != nil || info.Kind != device.KindFace || info.Serial == "" {
		t.Fatalf("info %+v %v", info, err)
	}
	iris := iddk.NewIris(dev.Opener(0), "pipe:", iddk.Config{})
	defer iris.Close()
	if _, err := iris.Info(context.Background()); !errors.Is(err, device.ErrUnsupported) {
		t.Fatalf("iris driver on a face helper: %v", err)
	}
}

// TestNoCallOutlivesItsDeadline: a camera helper that never answers.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	eng := sim.New(sim.Options{Kind: device.KindIris})
	eng.Faults.Inject(fault.Timeout, 1000)
	dev := host.NewPipe(eng, 0)
	if err := dev.Plug(); err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	drv := iddk.NewIris(dev.Opener(0), "pipe:", iddk.Config{})
	defer drv.Close()
	simtest.Deadlines(t, drv)
}
