//go:build cgo

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/umockdevtest"
)

// TestDevicesUSBUnderUmockdev runs `devices list` and `devices capture
// --usb` against the vcom5s umockdev replay: the same command a technician
// runs on the real reader, through the real libusb.
func TestDevicesUSBUnderUmockdev(t *testing.T) {
	td := "../../device/vcom5s/testdata/"
	if !umockdevtest.Inside(t, "TestDevicesUSBUnderUmockdev", td+"vcom5s.umockdev", "/dev/bus/usb/001/005", td+"vcom5s.ioctl") {
		return
	}
	code, out, errs := runCLI(t, nil, "", "devices", "list")
	if code != exitOK || !strings.Contains(out, "usb:061a:0110") {
		t.Fatalf("list exit %d: %s %s", code, out, errs)
	}
	png := filepath.Join(t.TempDir(), "usb.png")
	code, out, errs = runCLI(t, nil, "", "devices", "capture", "--usb", "061a:0110", "--min-quality", "60", "--out", png)
	if code != exitOK || !strings.Contains(out, "wrote") {
		t.Fatalf("capture exit %d: %s %s", code, out, errs)
	}
	t.Logf("captured with rekamctl: %s", strings.TrimSpace(out))
}
