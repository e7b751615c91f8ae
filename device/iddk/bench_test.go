package iddk_test

import (
	"context"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/iddk"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/iddk"
)

// BenchmarkIrisPreview measures preview frames per second through the
// helper protocol (640×480 PNG frames over an in-memory pipe, as over the
// helper's local socket).
func BenchmarkIrisPreview(b *testing.B) {
	eng := sim.New(sim.Options{Kind: device.KindIris, Identity: 1, Polls: 1 << 30})
	dev := host.NewPipe(eng, 0)
	if err := dev.Plug(); err != nil {
		b.Fatal(err)
	}
	defer dev.Close()
	drv := iddk.NewIris(dev.Opener(0), "pipe:", iddk.Config{Poll: time.Microsecond})
	defer drv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	t0 := time.Now()
	if err := drv.Preview(ctx, func(device.Frame) error {
		if n++; n >= b.N {
			cancel()
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "frames/s")
}
