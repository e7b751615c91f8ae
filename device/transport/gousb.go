//go:build cgo

package transport

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/gousb"

	"github.com/rekam-ktp/rekam/device"
)

// LibUSB is the USBHost backed by libusb through gousb. One LibUSB owns one
// libusb context; Close it when done.
type LibUSB struct {
	ctx *gousb.Context
}

// NewLibUSB opens a libusb context.
func NewLibUSB() *LibUSB { return &LibUSB{ctx: gousb.NewContext()} }

// Close releases the libusb context.
func (h *LibUSB) Close() error { return h.ctx.Close() }

// HasLibUSB reports whether this build has the libusb adapter.
const HasLibUSB = true

func portPath(d *gousb.DeviceDesc) string {
	parts := make([]string, len(d.Path))
	for i, p := range d.Path {
		parts[i] = strconv.Itoa(p)
	}
	return strconv.Itoa(d.Bus) + "-" + strings.Join(parts, ".")
}

func descOf(d *gousb.DeviceDesc) USBDesc {
	return USBDesc{Bus: d.Bus, Address: d.Address, Port: portPath(d), VID: uint16(d.Vendor), PID: uint16(d.Product), Class: uint8(d.Class)}
}

// List enumerates devices by descriptor only (nothing is opened).
func (h *LibUSB) List(ctx context.Context) ([]USBDesc, error) {
	var out []USBDesc
	devs, err := h.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		out = append(out, descOf(d))
		return false
	})
	for _, d := range devs {
		d.Close()
	}
	if err != nil {
		return out, mapUSBErr("usb list", err)
	}
	return out, nil
}

// Open opens vid:pid (on port when not empty), selects configuration 1 and
// claims interface 0 (detaching a kernel driver such as usbhid).
func (h *LibUSB) Open(ctx context.Context, vid, pid uint16, port string) (USBDevice, error) {
	op := fmt.Sprintf("usb open %04x:%04x", vid, pid)
	var desc USBDesc
	found := false
	devs, err := h.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		if found || uint16(d.Vendor) != vid || uint16(d.Product) != pid || (port != "" && portPath(d) != port) {
			return false
		}
		found = true
		desc = descOf(d)
		return true
	})
	if err != nil && len(devs) == 0 {
		return nil, mapUSBErr(op, err)
	}
	if len(devs) == 0 {
		return nil, device.Errorf(device.ErrDisconnected, op, "not present")
	}
	dev := devs[0]
	for _, d := range devs[1:] {
		d.Close()
	}
	cfgNum := 1
	if d, ok := dev.Desc.Configs[1]; !ok || d.Number != 1 {
		for n := range dev.Desc.Configs {
			cfgNum = n
			break
		}
	}
	// The kernel's usbhid owns HID devices: libusb must detach it on claim.
	// Other devices are left alone (detaching fails where no driver is bound).
	if c, ok := dev.Desc.Configs[cfgNum]; ok && len(c.Interfaces) > 0 && len(c.Interfaces[0].AltSettings) > 0 &&
		c.Interfaces[0].AltSettings[0].Class == gousb.ClassHID {
		if err := dev.SetAutoDetach(true); err != nil {
			dev.Close()
			return nil, mapUSBErr(op+": auto-detach", err)
		}
	}
	cfg, err := dev.Config(cfgNum)
	if err != nil {
		// Detaching can fail where no kernel driver can be bound (umockdev,
		// containers); try without: a driver still bound shows as busy.
		_ = dev.SetAutoDetach(false)
		var err2 error
		if cfg, err2 = dev.Config(cfgNum); err2 != nil {
			dev.Close()
			return nil, mapUSBErr(op+": config", err)
		}
	}
	intf, err := cfg.Interface(0, 0)
	if err != nil {
		cfg.Close()
		dev.Close()
		return nil, mapUSBErr(op+": claim interface 0", err)
	}
	life, cancel := context.WithCancel(context.Background())
	return &libusbDevice{desc: desc, dev: dev, cfg: cfg, intf: intf, life: life, cancel: cancel,
		in: map[uint8]*gousb.InEndpoint{}, out: map[uint8]*gousb.OutEndpoint{}}, nil
}

type libusbDevice struct {
	// life ends at Close: transfers in flight are cancelled, then awaited,
	// before libusb closes the handle.
	life     context.Context
	cancel   context.CancelFunc
	inflight sync.WaitGroup

	mu   sync.Mutex
	desc USBDesc
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	in   map[uint8]*gousb.InEndpoint
	out  map[uint8]*gousb.OutEndpoint
}

func (d *libusbDevice) Desc() USBDesc { return d.desc }

// defaultUSBTimeout bounds a transfer whose context has no deadline.
const defaultUSBTimeout = 5 * time.Second

func timeoutOf(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		t := time.Until(dl)
		if t < time.Millisecond {
			t = time.Millisecond
		}
		return t
	}
	return defaultUSBTimeout
}

func (d *libusbDevice) Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return 0, device.Errorf(device.ErrDisconnected, "usb control", "device closed")
	}
	if err := ctx.Err(); err != nil {
		return 0, device.Wrap(device.ErrTimeout, "usb control", err)
	}
	d.dev.ControlTimeout = timeoutOf(ctx)
	n, err := d.dev.Control(rType, request, value, index, data)
	return n, mapUSBErr(fmt.Sprintf("usb control %02x/%02x", rType, request), err)
}

func (d *libusbDevice) Read(ctx context.Context, ep uint8, buf []byte) (int, error) {
	d.mu.Lock()
	e, ok := d.in[ep]
	if !ok && d.intf != nil {
		var err error
		e, err = d.intf.InEndpoint(int(ep & 0x0F))
		if err != nil {
			d.mu.Unlock()
			return 0, mapUSBErr(fmt.Sprintf("usb in endpoint %#02x", ep), err)
		}
		d.in[ep] = e
	}
	if e != nil {
		d.inflight.Add(1)
		defer d.inflight.Done()
	}
	d.mu.Unlock()
	if e == nil {
		return 0, device.Errorf(device.ErrDisconnected, "usb read", "device closed")
	}
	ctx, cancel := d.bound(ctx)
	defer cancel()
	n, err := e.ReadContext(ctx, buf)
	if d.life.Err() != nil {
		return n, device.Errorf(device.ErrDisconnected, "usb read", "device closed")
	}
	return n, mapUSBErr(fmt.Sprintf("usb read %#02x", ep), err)
}

func (d *libusbDevice) Write(ctx context.Context, ep uint8, data []byte) (int, error) {
	d.mu.Lock()
	e, ok := d.out[ep]
	if !ok && d.intf != nil {
		var err error
		e, err = d.intf.OutEndpoint(int(ep & 0x0F))
		if err != nil {
			d.mu.Unlock()
			return 0, mapUSBErr(fmt.Sprintf("usb out endpoint %#02x", ep), err)
		}
		d.out[ep] = e
	}
	if e != nil {
		d.inflight.Add(1)
		defer d.inflight.Done()
	}
	d.mu.Unlock()
	if e == nil {
		return 0, device.Errorf(device.ErrDisconnected, "usb write", "device closed")
	}
	ctx, cancel := d.bound(ctx)
	defer cancel()
	n, err := e.WriteContext(ctx, data)
	return n, mapUSBErr(fmt.Sprintf("usb write %#02x", ep), err)
}

// bound limits a transfer by ctx, the default timeout and the device's life.
func (d *libusbDevice) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(ctx))
	stop := context.AfterFunc(d.life, cancel)
	return ctx, func() { stop(); cancel() }
}

func (d *libusbDevice) Close() error {
	d.cancel()
	d.inflight.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return nil
	}
	d.intf.Close()
	d.cfg.Close()
	err := d.dev.Close()
	d.dev, d.intf, d.cfg = nil, nil, nil
	return mapUSBErr("usb close", err)
}

// mapUSBErr maps gousb errors onto the device error kinds.
func mapUSBErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ue gousb.Error
	if errors.As(err, &ue) {
		switch ue {
		case gousb.ErrorNoDevice, gousb.ErrorNotFound:
			return device.Wrap(device.ErrDisconnected, op, err)
		case gousb.ErrorTimeout:
			return device.Wrap(device.ErrTimeout, op, err)
		case gousb.ErrorBusy:
			return device.Wrap(device.ErrBusy, op, err)
		case gousb.ErrorPipe, gousb.ErrorOverflow, gousb.ErrorIO:
			return device.Wrap(device.ErrProtocol, op, err)
		}
	}
	var ts gousb.TransferStatus
	if errors.As(err, &ts) {
		switch ts {
		case gousb.TransferNoDevice:
			return device.Wrap(device.ErrDisconnected, op, err)
		case gousb.TransferTimedOut, gousb.TransferCancelled:
			return device.Wrap(device.ErrTimeout, op, err)
		case gousb.TransferStall, gousb.TransferOverflow, gousb.TransferError:
			return device.Wrap(device.ErrProtocol, op, err)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return device.Wrap(device.ErrTimeout, op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
