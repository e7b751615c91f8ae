// Package usbfake is an in-process USB bus implementing transport.USBHost,
// for drivers' fault and unplug tests (umockdev replays cannot unplug a
// device mid-run). Devices are protocol engines; the bus adds presence,
// addresses that change on replug, and context deadlines.
package usbfake

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Engine is the device side of one USB device.
type Engine interface {
	// Reset runs at each plug (power-on).
	Reset()
	Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error)
	Read(ctx context.Context, ep uint8, buf []byte) (int, error)
	Write(ctx context.Context, ep uint8, data []byte) (int, error)
}

// ErrUnplug is returned by an engine to unplug its device (scripted fault).
var ErrUnplug = errors.New("engine unplugs the device")

// Bus is a fake USB bus.
type Bus struct {
	mu      sync.Mutex
	devs    []*Device
	nextDev int
}

// Device is one fake device on the bus.
type Device struct {
	bus     *Bus
	eng     Engine
	desc    transport.USBDesc
	present bool
	gen     int
	gone    chan struct{} // closed at unplug
}

// Attach plugs a device with vid:pid on physical port.
func (b *Bus) Attach(vid, pid uint16, port string, eng Engine) *Device {
	d := &Device{bus: b, eng: eng, desc: transport.USBDesc{Bus: 1, Port: port, VID: vid, PID: pid, Class: 0xFF}}
	b.mu.Lock()
	b.devs = append(b.devs, d)
	b.mu.Unlock()
	d.Replug()
	return d
}

// Unplug removes the device: open handles fail with ErrDisconnected, and
// transfers in flight end at once.
func (d *Device) Unplug() {
	d.bus.mu.Lock()
	defer d.bus.mu.Unlock()
	d.unplugLocked()
}

func (d *Device) unplugLocked() {
	if d.present {
		d.present = false
		close(d.gone)
	}
}

// Replug plugs the device back (a new address, like a real re-enumeration).
func (d *Device) Replug() {
	d.bus.mu.Lock()
	defer d.bus.mu.Unlock()
	d.unplugLocked()
	d.bus.nextDev++
	d.desc.Address = d.bus.nextDev + 1
	d.gen++
	d.present = true
	d.gone = make(chan struct{})
	d.eng.Reset()
}

// Plugged reports presence.
func (d *Device) Plugged() bool {
	d.bus.mu.Lock()
	defer d.bus.mu.Unlock()
	return d.present
}

// List returns the present devices.
func (b *Bus) List(ctx context.Context) ([]transport.USBDesc, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []transport.USBDesc
	for _, d := range b.devs {
		if d.present {
			out = append(out, d.desc)
		}
	}
	return out, nil
}

// Open opens a present device.
func (b *Bus) Open(ctx context.Context, vid, pid uint16, port string) (transport.USBDevice, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range b.devs {
		if d.present && d.desc.VID == vid && d.desc.PID == pid && (port == "" || d.desc.Port == port) {
			return &handle{d: d, gen: d.gen, desc: d.desc, gone: d.gone, closing: make(chan struct{})}, nil
		}
	}
	return nil, device.Errorf(device.ErrDisconnected, fmt.Sprintf("usb open %04x:%04x", vid, pid), "not present")
}

var _ transport.USBHost = (*Bus)(nil)

type handle struct {
	d       *Device
	gen     int
	desc    transport.USBDesc
	gone    chan struct{}
	closing chan struct{} // closed by Close: transfers in flight end
	mu      sync.Mutex
	closed  bool
}

func (h *handle) Desc() transport.USBDesc { return h.desc }

// do runs one engine call with the handle's liveness and ctx checks.
func (h *handle) do(ctx context.Context, op string, f func(ctx context.Context) (int, error)) (int, error) {
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	h.d.bus.mu.Lock()
	alive := h.d.present && h.d.gen == h.gen
	h.d.bus.mu.Unlock()
	if closed || !alive {
		return 0, device.Errorf(device.ErrDisconnected, op, "no device")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-h.gone:
			cancel()
		case <-h.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	n, err := f(ctx)
	select {
	case <-h.closing:
		return n, device.Errorf(device.ErrDisconnected, op, "handle closed")
	case <-h.gone:
		return n, device.Errorf(device.ErrDisconnected, op, "device unplugged during the transfer")
	default:
	}
	if errors.Is(err, ErrUnplug) {
		h.d.Unplug()
		return n, device.Errorf(device.ErrDisconnected, op, "device unplugged during the transfer")
	}
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) && device.KindOf(err) == nil {
		return n, device.Wrap(device.ErrTimeout, op, err)
	}
	return n, err
}

func (h *handle) Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error) {
	return h.do(ctx, fmt.Sprintf("usb control %02x/%02x", rType, request), func(ctx context.Context) (int, error) {
		return h.d.eng.Control(ctx, rType, request, value, index, data)
	})
}

func (h *handle) Read(ctx context.Context, ep uint8, buf []byte) (int, error) {
	return h.do(ctx, fmt.Sprintf("usb read %#02x", ep), func(ctx context.Context) (int, error) {
		return h.d.eng.Read(ctx, ep, buf)
	})
}

func (h *handle) Write(ctx context.Context, ep uint8, data []byte) (int, error) {
	return h.do(ctx, fmt.Sprintf("usb write %#02x", ep), func(ctx context.Context) (int, error) {
		return h.d.eng.Write(ctx, ep, data)
	})
}

func (h *handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.closing)
	}
	return nil
}
