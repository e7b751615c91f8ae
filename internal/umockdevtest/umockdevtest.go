// Package umockdevtest re-executes a test under umockdev-run, so the gousb
// adapter talks through the real libusb to a device described by a
// hand-written .umockdev file and an usbdevfs ioctl script.
package umockdevtest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Inside reports whether the test runs under umockdev already. Outside, it
// re-runs the named test under `umockdev-run --device dev --ioctl
// node=script` and checks it passed (logging its "captured" lines), then
// returns false; the caller returns. Without umockdev-run the test is
// skipped, except in CI (CI=true), where it fails.
func Inside(t *testing.T, test, dev, node, script string) bool {
	t.Helper()
	if os.Getenv("UMOCKDEV_DIR") != "" {
		return true
	}
	run, err := exec.LookPath("umockdev-run")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("umockdev-run is required in CI (Debian package umockdev)")
		}
		t.Skip("umockdev-run not installed (Debian package umockdev)")
	}
	cmd := exec.Command(run, "--device", dev, "--ioctl", node+"="+script, "--",
		os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+test)) {
		t.Fatalf("under umockdev-run: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "captured") {
			t.Log("umockdev-run:", strings.TrimSpace(line))
		}
	}
	return false
}
