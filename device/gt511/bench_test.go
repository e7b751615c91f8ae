package gt511_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/gt511"
	sim "github.com/rekam-ktp/rekam/simulators/gt511"
	"github.com/rekam-ktp/rekam/simulators/host"
)

func benchRig(b *testing.B, pace int) *gt511.Driver {
	eng := sim.New(sim.Options{Identity: 1, PlacePolls: -1})
	link := filepath.Join(b.TempDir(), "ttyGT")
	dev := host.NewPTY(eng, link, pace)
	if err := dev.Plug(); err != nil {
		b.Fatal(err)
	}
	drv := gt511.Open(link, gt511.Config{Baud: 115200, Packet: 2 * time.Second})
	b.Cleanup(func() { drv.Close(); dev.Close() })
	return drv
}

// BenchmarkCapture: LED, IsPressFinger, CaptureFinger, GetImage (52 116
// bytes). With pace the simulator emits no faster than the baud rate.
func BenchmarkCapture(b *testing.B) {
	for _, pace := range []int{0, 115200} {
		b.Run(fmt.Sprintf("pace=%d", pace), func(b *testing.B) {
			drv := benchRig(b, pace)
			req := device.FingerRequest{Position: device.RightIndex}
			for i := 0; i < b.N; i++ {
				if _, err := drv.Capture(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			img := gt511.ImageW*gt511.ImageH + 6
			b.ReportMetric(float64(host.WireTime(img, 9600).Milliseconds()), "image-wire-ms@9600")
			b.ReportMetric(float64(host.WireTime(img, 115200).Milliseconds()), "image-wire-ms@115200")
		})
	}
}

// BenchmarkPreview: frames per second of the 160×120 GetRawImage stream.
func BenchmarkPreview(b *testing.B) {
	for _, pace := range []int{0, 115200} {
		b.Run(fmt.Sprintf("pace=%d", pace), func(b *testing.B) {
			drv := benchRig(b, pace)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			t0 := time.Now()
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
