//go:build !cgo

package transport

import (
	"context"

	"github.com/rekam-ktp/rekam/device"
)

// LibUSB is unavailable without cgo: every call reports ErrUnsupported.
type LibUSB struct{}

// HasLibUSB reports whether this build has the libusb adapter.
const HasLibUSB = false

// NewLibUSB returns the stub.
func NewLibUSB() *LibUSB { return &LibUSB{} }

// Close does nothing.
func (h *LibUSB) Close() error { return nil }

// List fails: no libusb in a cgo-less build.
func (h *LibUSB) List(ctx context.Context) ([]USBDesc, error) {
	return nil, device.Errorf(device.ErrUnsupported, "usb list", "built without cgo/libusb")
}

// Open fails: no libusb in a cgo-less build.
func (h *LibUSB) Open(ctx context.Context, vid, pid uint16, port string) (USBDevice, error) {
	return nil, device.Errorf(device.ErrUnsupported, "usb open", "built without cgo/libusb")
}
