package r30x_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/r30x"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/r30x"
)

// wireBytes is what one UpImage puts on the line: the ACK, then the 4-bit
// image in packets of size bytes, each with 11 bytes of framing.
func wireBytes(m r30x.Model, size int) int {
	img := m.Width * m.Height / 2
	packets := (img + size - 1) / size
	return 12 + img + packets*11
}

// benchRig opens a simulated module over a pty whose simulator paces its
// bytes at pace baud (0 = as fast as the pty goes).
func benchRig(b *testing.B, model string, pace int) *r30x.Driver {
	eng := sim.New(sim.Options{Model: model, Identity: 1, PlacePolls: -1})
	link := filepath.Join(b.TempDir(), "ttyFP")
	dev := host.NewPTY(eng, link, pace)
	if err := dev.Plug(); err != nil {
		b.Fatal(err)
	}
	drv := r30x.Open(link, r30x.Config{Model: model, Baud: 57600, Packet: 2 * time.Second})
	b.Cleanup(func() { drv.Close(); dev.Close() })
	return drv
}

// BenchmarkCapture is one GenImg + full UpImage. With pace=57600 the
// simulator emits bytes no faster than the module's default line rate, so
// ns/op is the honest wire time; "wire-ms" is the computed 8N1 time of the
// same bytes at 57600 baud.
func BenchmarkCapture(b *testing.B) {
	for _, tc := range []struct {
		model string
		pace  int
	}{{"r307", 0}, {"r503", 0}, {"r503", 57600}, {"zfm20", 57600}} {
		b.Run(fmt.Sprintf("%s/pace=%d", tc.model, tc.pace), func(b *testing.B) {
			drv := benchRig(b, tc.model, tc.pace)
			req := device.FingerRequest{Position: device.RightIndex}
			if _, err := drv.Capture(context.Background(), req); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := drv.Capture(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			m := r30x.Models[tc.model]
			b.ReportMetric(float64(host.WireTime(wireBytes(m, 128), 57600).Milliseconds()), "wire-ms@57600")
			b.ReportMetric(float64(wireBytes(m, 128)), "wire-bytes")
		})
	}
}

// BenchmarkPreview measures preview frames per second.
func BenchmarkPreview(b *testing.B) {
	for _, tc := range []struct {
		model string
		pace  int
	}{{"r503", 0}, {"r503", 57600}} {
		b.Run(fmt.Sprintf("%s/pace=%d", tc.model, tc.pace), func(b *testing.B) {
			drv := benchRig(b, tc.model, tc.pace)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			t0 := time.Now()
			b.ResetTimer()
			err := drv.Preview(ctx, func(device.Frame) error {
				if n++; n >= b.N {
					cancel()
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "frames/s")
		})
	}
}
