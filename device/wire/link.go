package wire

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/device"
)

// Port is what a Link talks over; transport.Port satisfies it.
type Port interface {
	Source
	Write(p []byte) (int, error)
	ResetInputBuffer() error
	Close() error
}

// Link is the connection bookkeeping every serial driver shares: it opens
// lazily, identifies the device after each (re)connect, serialises
// operations (a concurrent one fails at once with ErrBusy), forgets the port
// after a disconnect so the next operation reconnects (replug without
// restart), and flushes stale input before each command.
type Link struct {
	op       string
	open     func() (Port, error)
	split    Splitter
	identify func(ctx context.Context) error

	sem    chan struct{}
	dirty  bool // the last operation ended with its context (owned by the sem holder)
	mu     sync.Mutex
	port   Port
	rd     *Reader
	closed bool
}

// NewLink returns a Link; identify runs after every connect (handshake,
// password, geometry) and may use Send/Next.
func NewLink(op string, open func() (Port, error), split Splitter, identify func(ctx context.Context) error) *Link {
	return &Link{op: op, open: open, split: split, identify: identify, sem: make(chan struct{}, 1)}
}

// Run performs one operation f with the link connected.
func (l *Link) Run(ctx context.Context, what string, f func() error) error {
	select {
	case l.sem <- struct{}{}:
		defer func() { <-l.sem }()
	default:
		return device.Errorf(device.ErrBusy, l.op+": "+what, "another operation is running")
	}
	if err := l.connect(ctx); err != nil {
		return err
	}
	if l.dirty {
		// The last operation was cut short by its caller, and its command
		// may still be answered: wait for the line to go quiet so the late
		// answer is not taken as the reply to this operation's command
		// (these protocols have no sequence numbers).
		c, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		l.Drain(c, 30*time.Millisecond)
		cancel()
		l.dirty = false
	}
	err := f()
	l.after(err)
	l.dirty = ctx.Err() != nil
	return err
}

func (l *Link) connect(ctx context.Context) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return device.Errorf(device.ErrDisconnected, l.op, "driver closed")
	}
	if l.port != nil {
		l.mu.Unlock()
		return nil
	}
	p, err := l.open()
	if err != nil {
		l.mu.Unlock()
		return fmt.Errorf("%s: connect: %w", l.op, err)
	}
	l.port = p
	l.rd = NewReader(p, l.split, l.op)
	l.mu.Unlock()
	if l.identify != nil {
		if err := l.identify(ctx); err != nil {
			l.drop()
			return err
		}
	}
	return nil
}

func (l *Link) drop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.port != nil {
		_ = l.port.Close()
		l.port, l.rd = nil, nil
	}
}

// after keeps the link sane after err: a disconnect closes the port so the
// next operation reconnects; other errors flush stale input.
func (l *Link) after(err error) {
	if err == nil {
		return
	}
	if errors.Is(err, device.ErrDisconnected) {
		l.drop()
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.port != nil {
		_ = l.port.ResetInputBuffer()
		l.rd.Reset()
	}
}

func (l *Link) current() (Port, *Reader, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.port == nil {
		return nil, nil, device.Errorf(device.ErrDisconnected, l.op, "not connected")
	}
	return l.port, l.rd, nil
}

// Send drops stale input (a late answer to a cancelled command), then
// writes frame.
func (l *Link) Send(frame []byte) error {
	p, rd, err := l.current()
	if err != nil {
		return err
	}
	_ = p.ResetInputBuffer()
	rd.Reset()
	if _, err := p.Write(frame); err != nil {
		return fmt.Errorf("%s: write: %w", l.op, err)
	}
	return nil
}

// Write writes without flushing (streamed commands).
func (l *Link) Write(b []byte) error {
	p, _, err := l.current()
	if err != nil {
		return err
	}
	if _, err := p.Write(b); err != nil {
		return fmt.Errorf("%s: write: %w", l.op, err)
	}
	return nil
}

// Next reads the next frame (see Reader.Next).
func (l *Link) Next(ctx context.Context, timeout time.Duration) ([]byte, error) {
	_, rd, err := l.current()
	if err != nil {
		return nil, err
	}
	return rd.Next(ctx, timeout)
}

// NextWith reads the next frame with a one-off splitter (for protocols
// whose frame length depends on the command, like GT-511C3 data packets).
func (l *Link) NextWith(ctx context.Context, timeout time.Duration, split Splitter) ([]byte, error) {
	_, rd, err := l.current()
	if err != nil {
		return nil, err
	}
	saved := rd.split
	rd.split = split
	defer func() { rd.split = saved }()
	return rd.Next(ctx, timeout)
}

// Drain reads and drops bytes until the line is quiet for quiet (or ctx ends).
func (l *Link) Drain(ctx context.Context, quiet time.Duration) {
	p, rd, err := l.current()
	if err != nil {
		return
	}
	rd.Reset()
	buf := make([]byte, 4096)
	for ctx.Err() == nil {
		if p.SetReadTimeout(quiet) != nil {
			return
		}
		n, err := p.Read(buf)
		if n == 0 || err != nil {
			return
		}
	}
}

// Connected reports whether a port is open.
func (l *Link) Connected() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.port != nil
}

// Close releases the port; later operations fail with ErrDisconnected.
func (l *Link) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.port != nil {
		err := l.port.Close()
		l.port, l.rd = nil, nil
		return err
	}
	return nil
}
