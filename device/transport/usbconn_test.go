package transport

import (
	"context"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
)

// fakeHost counts opens and hands out fakeDevices (a unit test of the
// connection logic alone; the drivers' tests run it over the simulators).
type fakeHost struct {
	opens, closes int
	absent        bool
}

type fakeDevice struct{ h *fakeHost }

func (d fakeDevice) Desc() USBDesc { return USBDesc{} }
func (d fakeDevice) Control(context.Context, uint8, uint8, uint16, uint16, []byte) (int, error) {
	return 0, nil
}
func (d fakeDevice) Read(context.Context, uint8, []byte) (int, error)  { return 0, nil }
func (d fakeDevice) Write(context.Context, uint8, []byte) (int, error) { return 0, nil }
func (d fakeDevice) Close() error                                      { d.h.closes++; return nil }

func (h *fakeHost) List(context.Context) ([]USBDesc, error) { return nil, nil }
func (h *fakeHost) Open(context.Context, uint16, uint16, string) (USBDevice, error) {
	if h.absent {
		return nil, device.Errorf(device.ErrDisconnected, "fake", "not present")
	}
	h.opens++
	return fakeDevice{h}, nil
}

func TestUSBConn(t *testing.T) {
	ctx := context.Background()
	h := &fakeHost{}
	c := &USBConn{Name: "fake", Host: h}
	ok := func(USBDevice) error { return nil }
	unplugged := func(USBDevice) error { return device.Errorf(device.ErrDisconnected, "fake", "gone") }

	// Opened once, kept across operations.
	for range 3 {
		if err := c.Run(ctx, "op", ok); err != nil {
			t.Fatal(err)
		}
	}
	if h.opens != 1 {
		t.Fatalf("opens = %d, want 1 (lazy open, kept)", h.opens)
	}
	// A disconnect closes the device; the next operation reopens it.
	if err := c.Run(ctx, "op", unplugged); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("err = %v", err)
	}
	if h.closes != 1 {
		t.Fatalf("closes = %d after a disconnect, want 1", h.closes)
	}
	if err := c.Run(ctx, "op", ok); err != nil || h.opens != 2 {
		t.Fatalf("reopen: err %v, opens %d", err, h.opens)
	}
	// One operation at a time: a second is refused as busy, not queued.
	err := c.Run(ctx, "outer", func(USBDevice) error { return c.Run(ctx, "inner", ok) })
	if !errors.Is(err, device.ErrBusy) {
		t.Fatalf("nested run: %v, want ErrBusy", err)
	}
	// Close releases the device and ends the connection.
	if err := c.Close(); err != nil || h.closes != 2 {
		t.Fatalf("close: err %v, closes %d", err, h.closes)
	}
	if err := c.Run(ctx, "op", ok); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("after close: %v", err)
	}
}

func TestUSBConnOnOpen(t *testing.T) {
	ctx := context.Background()
	h := &fakeHost{}
	fail := errors.New("no capability")
	calls := 0
	c := &USBConn{Name: "fake", Host: h, OnOpen: func(context.Context, USBDevice) error {
		calls++
		if calls == 1 {
			return fail
		}
		return nil
	}}
	if err := c.Run(ctx, "op", func(USBDevice) error { t.Fatal("ran without a device"); return nil }); !errors.Is(err, fail) {
		t.Fatalf("err = %v, want the OnOpen error", err)
	}
	if h.closes != 1 {
		t.Fatalf("a device whose OnOpen failed stays open (closes %d)", h.closes)
	}
	if err := c.Run(ctx, "op", func(USBDevice) error { return nil }); err != nil || h.opens != 2 {
		t.Fatalf("retry: %v, opens %d", err, h.opens)
	}
	h2 := &fakeHost{absent: true}
	if err := (&USBConn{Name: "fake", Host: h2}).Run(ctx, "op", func(USBDevice) error { return nil }); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("absent device: %v", err)
	}
}
