//go:build !(linux && (amd64 || arm64))

package v4l2

import (
	"context"

	"github.com/rekam-ktp/rekam/device"
)

// Camera is unavailable on this platform: every call is ErrUnsupported.
type Camera struct{ path string }

// Open returns the stub.
func Open(path string, w, h int) *Camera { return &Camera{path: path} }

func (c *Camera) unsupported() error {
	return device.Errorf(device.ErrUnsupported, "v4l2: "+c.path, "V4L2 needs 64-bit Linux")
}

// Capture is unsupported here.
func (c *Camera) Capture(ctx context.Context, req device.FaceRequest) (*device.FaceCapture, error) {
	return nil, c.unsupported()
}

// Preview is unsupported here.
func (c *Camera) Preview(ctx context.Context, each func(device.Frame) error) error {
	return c.unsupported()
}

// Info is unsupported here.
func (c *Camera) Info(ctx context.Context) (device.Info, error) {
	return device.Info{}, c.unsupported()
}

// SelfTest is unsupported here.
func (c *Camera) SelfTest(ctx context.Context) (device.Health, error) {
	return device.Health{}, c.unsupported()
}

// Close does nothing.
func (c *Camera) Close() error { return nil }
