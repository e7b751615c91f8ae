package transport

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rekam-ktp/rekam/device"
)

// USBConn is a driver's connection to one USB device: opened lazily on the
// first operation, reopened after a disconnect (a replugged device has a new
// address), one operation at a time (a second one is ErrBusy, never queued).
// The lock is held only to connect, so Close can always interrupt a running
// operation: its transfers then fail.
type USBConn struct {
	// Name prefixes errors ("vcom5s: scan: …").
	Name string
	// Host opens the device VID:PID on Port ("" = any).
	Host     USBHost
	VID, PID uint16
	Port     string
	// OnOpen, when set, runs after each open with the connection lock held
	// (a pad reads its capability); its error closes the device again.
	OnOpen func(ctx context.Context, dev USBDevice) error

	once   sync.Once
	sem    chan struct{}
	mu     sync.Mutex
	dev    USBDevice
	closed bool
}

// Run performs f with the device open. When f fails with ErrDisconnected
// the device is closed, to be reopened by the next operation.
func (c *USBConn) Run(ctx context.Context, what string, f func(dev USBDevice) error) error {
	c.once.Do(func() { c.sem = make(chan struct{}, 1) })
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	default:
		return device.Errorf(device.ErrBusy, c.Name+": "+what, "another operation is running")
	}
	c.mu.Lock()
	dev, err := c.connect(ctx, what)
	c.mu.Unlock()
	if err == nil {
		err = f(dev)
	}
	if errors.Is(err, device.ErrDisconnected) {
		c.mu.Lock()
		if c.dev != nil && c.dev == dev {
			_ = c.dev.Close()
			c.dev = nil
		}
		c.mu.Unlock()
	}
	return err
}

// connect returns the open device, opening it if needed; c.mu is held.
func (c *USBConn) connect(ctx context.Context, what string) (USBDevice, error) {
	if c.closed {
		return nil, device.Errorf(device.ErrDisconnected, c.Name+": "+what, "driver closed")
	}
	if c.dev != nil {
		return c.dev, nil
	}
	dev, err := c.Host.Open(ctx, c.VID, c.PID, c.Port)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", c.Name, what, err)
	}
	if c.OnOpen != nil {
		if err := c.OnOpen(ctx, dev); err != nil {
			_ = dev.Close()
			return nil, err
		}
	}
	c.dev = dev
	return dev, nil
}

// Close releases the device; later operations fail with ErrDisconnected.
func (c *USBConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.dev != nil {
		err := c.dev.Close()
		c.dev = nil
		return err
	}
	return nil
}
