//go:build cgo

package vcom5s_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/internal/umockdevtest"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/simtest"
)

var updateUmockdev = flag.Bool("update-umockdev", false, "rewrite testdata/vcom5s.ioctl")

const (
	umockdevDevice = "testdata/vcom5s.umockdev"
	umockdevScript = "testdata/vcom5s.ioctl"
	umockdevNode   = "/dev/bus/usb/001/005"
)

// scriptedImage is the image the ioctl script carries: a test-pattern
// finger at the reader's geometry.
func scriptedImage() *image.Gray {
	m := vcom5s.Models[0]
	return biosrc.Fit(biosrc.Pattern{}.Finger(3, 1, 1, biosrc.FingerOptions{}), m.Width, m.Height)
}

// writeScript writes the usbdevfs URB script of one scan: the three
// control setups, then the 24 bulk IN replies as children of the last one.
func writeScript(path string) error {
	var b strings.Builder
	b.WriteString("@DEV " + umockdevNode + "\n")
	b.WriteString("USBDEVFS_GET_CAPABILITIES 0 7D000000\n")
	for _, s := range vcom5s.ScanSetups() {
		fmt.Fprintf(&b, "USBDEVFS_REAPURBNDELAY 0 2 0 0 0 8 0 0 %X\n", s.Bytes())
	}
	m := vcom5s.Models[0]
	pix := scriptedImage().Pix
	for off := 0; off < len(pix); off += m.Chunk {
		fmt.Fprintf(&b, " USBDEVFS_REAPURBNDELAY 0 3 %d 0 0 %d %d 0 %s\n", vcom5s.EPImage, m.Chunk, m.Chunk, strings.ToUpper(hex.EncodeToString(pix[off:off+m.Chunk])))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// TestUmockdevCapture runs the gousb adapter and the driver against a
// umockdev replay of one scripted scan: enumeration, control transfers and
// bulk reads through the real libusb. Outside umockdev it re-executes
// itself under umockdev-run.
func TestUmockdevCapture(t *testing.T) {
	if *updateUmockdev {
		if err := writeScript(umockdevScript); err != nil {
			t.Fatal(err)
		}
	}
	if !umockdevtest.Inside(t, "TestUmockdevCapture", umockdevDevice, umockdevNode, umockdevScript) {
		return
	}
	host := transport.NewLibUSB()
	defer host.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := host.List(ctx)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	m := vcom5s.Models[0]
	found := false
	for _, d := range list {
		found = found || (d.VID == m.VID && d.PID == m.PID && d.Bus == 1 && d.Address == 5)
	}
	if !found {
		t.Fatalf("061a:0110 not enumerated: %+v", list)
	}
	drv := vcom5s.New(host, m, "", vcom5s.Config{Transfer: 2 * time.Second})
	defer drv.Close()
	c, _, err := simtest.Capture(drv, simtest.Single, 10*time.Second)
	if err != nil {
		t.Fatalf("capture: %v", err)
	}
	if !bytes.Equal(c.Image.Pix, scriptedImage().Pix) {
		t.Fatal("captured image differs from the scripted one")
	}
	t.Logf("captured %v, quality %d, through libusb under umockdev", c.Image.Bounds(), c.Quality)
}
