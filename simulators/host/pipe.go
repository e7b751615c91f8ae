package host

import (
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/device"
)

// Conn is one end of a link: Read returns (0, nil) when the read timeout
// passes, and an error wrapping device.ErrDisconnected once the link is
// closed. Both transport.Port and the device side of every host satisfy it.
type Conn interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	SetReadTimeout(d time.Duration) error
	ResetInputBuffer() error
	Close() error
}

// pipeBuf is one direction of a pipe.
type pipeBuf struct {
	mu     sync.Mutex
	cond   *sync.Cond
	data   []byte
	closed bool
}

func newPipeBuf() *pipeBuf {
	b := &pipeBuf{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// maxPipeBuf bounds buffered bytes; a writer past it waits for the reader.
const maxPipeBuf = 1 << 20

func (b *pipeBuf) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cond.Broadcast()
}

// PipeEnd is one end of an in-memory, buffered, full-duplex pipe.
type PipeEnd struct {
	in, out *pipeBuf
	timeout time.Duration
}

// Pipe returns two connected ends; closing either closes both directions
// (an unplug).
func Pipe() (*PipeEnd, *PipeEnd) {
	a, b := newPipeBuf(), newPipeBuf()
	return &PipeEnd{in: a, out: b, timeout: time.Second}, &PipeEnd{in: b, out: a, timeout: time.Second}
}

// Read waits up to the read timeout for bytes.
func (p *PipeEnd) Read(buf []byte) (int, error) {
	deadline := time.Now().Add(p.timeout)
	b := p.in
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.data) == 0 && !b.closed {
		left := time.Until(deadline)
		if left <= 0 {
			return 0, nil
		}
		t := time.AfterFunc(left, b.cond.Broadcast)
		b.cond.Wait()
		t.Stop()
	}
	if len(b.data) == 0 {
		return 0, device.Errorf(device.ErrDisconnected, "pipe read", "closed")
	}
	n := copy(buf, b.data)
	b.data = b.data[:copy(b.data, b.data[n:])]
	b.cond.Broadcast()
	return n, nil
}

// Write appends to the other end's input.
func (p *PipeEnd) Write(buf []byte) (int, error) {
	b := p.out
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.data) > maxPipeBuf && !b.closed {
		b.cond.Wait()
	}
	if b.closed {
		return 0, device.Errorf(device.ErrDisconnected, "pipe write", "closed")
	}
	b.data = append(b.data, buf...)
	b.cond.Broadcast()
	return len(buf), nil
}

// SetReadTimeout sets the per-Read timeout.
func (p *PipeEnd) SetReadTimeout(d time.Duration) error {
	if d <= 0 {
		d = time.Millisecond
	}
	p.timeout = d
	return nil
}

// ResetInputBuffer drops unread input.
func (p *PipeEnd) ResetInputBuffer() error {
	p.in.mu.Lock()
	p.in.data = p.in.data[:0]
	p.in.mu.Unlock()
	p.in.cond.Broadcast()
	return nil
}

// Close closes both directions.
func (p *PipeEnd) Close() error {
	p.in.close()
	p.out.close()
	return nil
}
