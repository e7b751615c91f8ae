//go:build cgo

package wacomstu_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/device/wacomstu"
	"github.com/rekam-ktp/rekam/internal/umockdevtest"
)

var updateUmockdev = flag.Bool("update-umockdev", false, "rewrite testdata/stu530.ioctl")

const (
	stuDevice = "testdata/stu530.umockdev"
	stuScript = "testdata/stu530.ioctl"
	stuNode   = "/dev/bus/usb/001/006"
)

// scriptedStroke is the pen reports the script carries: a short stroke,
// then the pen leaving proximity.
func scriptedStroke() []wacomstu.Pen {
	var out []wacomstu.Pen
	for i := 0; i < 20; i++ {
		out = append(out, wacomstu.Pen{Ready: true, Tip: i > 2, Pressure: 40 * i, X: 1000 + 50*i, Y: 2000 + 20*i, Timed: true, Time: 5 * i, Seq: i + 1})
	}
	return append(out, wacomstu.Pen{Timed: true, Time: 100, Seq: 21})
}

// writeScript writes the usbdevfs script: SET_REPORT writing mode 1 (a
// control OUT with data), then the pen reports as interrupt IN transfers.
// GET_REPORT (control IN with data) cannot be scripted in ioctl form, so
// the driver falls back to the model table for the capability.
func writeScript(path string) error {
	var b strings.Builder
	b.WriteString("@DEV " + stuNode + "\n")
	b.WriteString("USBDEVFS_GET_CAPABILITIES 0 7D000000\n")
	rt, rq, v, i := wacomstu.SetReport(wacomstu.ReportWritingMode)
	setup := vcom5s.Setup{RequestType: rt, Request: rq, Value: v, Index: i, Length: 2}.Bytes()
	fmt.Fprintf(&b, "USBDEVFS_REAPURBNDELAY 0 2 0 0 0 10 2 0 %X%X\n", setup, []byte{wacomstu.ReportWritingMode, 1})
	for _, p := range scriptedStroke() {
		r := p.Encode()
		fmt.Fprintf(&b, " USBDEVFS_REAPURBNDELAY 0 1 %d 0 0 64 %d 0 %X\n", wacomstu.EPPen, len(r), r)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// TestUmockdevStream runs the gousb adapter and the STU driver against a
// umockdev replay: enumeration of a HID-class device, a SET_REPORT control
// transfer with data, and interrupt IN pen reports.
func TestUmockdevStream(t *testing.T) {
	if *updateUmockdev {
		if err := writeScript(stuScript); err != nil {
			t.Fatal(err)
		}
	}
	if !umockdevtest.Inside(t, "TestUmockdevStream", stuDevice, stuNode, stuScript) {
		return
	}
	host := transport.NewLibUSB()
	defer host.Close()
	m := wacomstu.Models[1]
	drv := wacomstu.New(host, m, "", wacomstu.Config{Transfer: 2 * time.Second})
	defer drv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []device.PenSample
	stop := fmt.Errorf("out of proximity")
	err := drv.Stream(ctx, func(p device.PenSample) error {
		got = append(got, p)
		if !p.InRange {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("stream: %v after %d samples", err, len(got))
	}
	want := scriptedStroke()
	if len(got) != len(want) {
		t.Fatalf("%d samples, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.X != w.X || g.Y != w.Y || g.Pressure != w.Pressure || g.PenDown != w.Tip || g.Seq != w.Seq {
			t.Fatalf("sample %d = %+v, want %+v", i, g, w)
		}
	}
	t.Logf("captured %d pen reports through libusb under umockdev (caps %+v)", len(got), drv.Caps())
}
