package vcom5s_test

import (
	"context"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	sim "github.com/rekam-ktp/rekam/simulators/vcom5s"
)

// BenchmarkPreview measures driver-side preview throughput on the fake bus
// (no USB wire time: a full-speed bus would add ~60 ms per 86 400-byte
// frame at its ~1.2 MB/s bulk rate, i.e. ≤ 16 frames/s).
func BenchmarkPreview(b *testing.B) {
	m := vcom5s.Models[0]
	bus := &usbfake.Bus{}
	bus.Attach(m.VID, m.PID, "1-3", sim.New(m, 1, nil))
	drv := vcom5s.New(bus, m, "", vcom5s.Config{})
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
