//go:build linux && (amd64 || arm64)

package v4l2

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
)

// TestRealCamera runs the capture path against the first /dev/video*
// node. Machines without a V4L2 camera (CI VMs have no video support in the
// kernel) skip it: there is nothing to fake here.
func TestRealCamera(t *testing.T) {
	nodes, _ := filepath.Glob("/dev/video*")
	if len(nodes) == 0 {
		t.Skip("no /dev/video* on this machine (no V4L2 camera or no kernel video support): the real capture path cannot run here")
	}
	cam := Open(nodes[0], 640, 480)
	defer cam.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := cam.Info(ctx)
	if err != nil {
		t.Fatalf("%s: %v", nodes[0], err)
	}
	c, err := cam.Capture(ctx, device.FaceRequest{})
	if err != nil || c.Image.Bounds().Empty() {
		t.Fatalf("%s (%s): capture: %v", nodes[0], info.Model, err)
	}
	t.Logf("%s: %s %s, frame %v, quality proxy %d", nodes[0], info.Vendor, info.Model, c.Image.Bounds(), c.Quality)
}

func TestMissingNodeIsDisconnected(t *testing.T) {
	cam := Open("/dev/video-none-here", 640, 480)
	_, err := cam.Capture(context.Background(), device.FaceRequest{})
	if device.KindOf(err) != device.ErrDisconnected {
		t.Fatalf("err = %v", err)
	}
}
