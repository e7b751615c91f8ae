// Package wire reads framed packets from a byte stream with deadlines: it
// resynchronises on garbage (stray power-on bytes, line noise), tells a
// silent device (timeout) from a truncated frame (protocol error with the
// bytes received) and never waits past the caller's context. Serial drivers
// and their simulators share it.
package wire

import (
	"context"
	"errors"
	"time"

	"github.com/rekam-ktp/rekam/device"
)

// Source is a byte stream whose Read returns (0, nil) when its read timeout
// passes; transport.Port satisfies it.
type Source interface {
	Read(p []byte) (int, error)
	SetReadTimeout(d time.Duration) error
}

// Splitter finds one frame at the front of buf. It returns skip > 0 to
// drop that many leading garbage bytes; n > 0 when buf[:n] (after no skip)
// is a whole frame; n == 0 and skip == 0 when more bytes are needed; and
// err != nil (with n > 0) for a bad frame buf[:n] to drop and report.
type Splitter func(buf []byte) (skip, n int, err error)

// Reader accumulates bytes from a Source and cuts frames with a Splitter.
type Reader struct {
	src   Source
	split Splitter
	op    string
	buf   []byte
	tmp   []byte
	// Skipped counts garbage bytes dropped while resynchronising.
	Skipped int
}

// NewReader returns a Reader; op names the driver in errors.
func NewReader(src Source, split Splitter, op string) *Reader {
	return &Reader{src: src, split: split, op: op, tmp: make([]byte, 4096)}
}

// poll bounds one Read so a cancelled context is seen promptly.
const poll = 20 * time.Millisecond

// Reset drops buffered bytes (after a timeout, before a new command).
func (r *Reader) Reset() { r.buf = r.buf[:0] }

// Buffered returns the bytes read but not yet framed.
func (r *Reader) Buffered() []byte { return r.buf }

// Next returns the next whole frame (a copy), waiting at most timeout and
// never past ctx's deadline. With no frame bytes received it fails with
// ErrTimeout; with part of a frame, with a ProtocolError carrying them.
func (r *Reader) Next(ctx context.Context, timeout time.Duration) ([]byte, error) {
	deadline := time.Now().Add(timeout)
	ctxBound := false
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline, ctxBound = dl, true
	}
	for {
		for len(r.buf) > 0 {
			skip, n, err := r.split(r.buf)
			if skip > 0 {
				r.Skipped += skip
				r.buf = r.buf[:copy(r.buf, r.buf[skip:])]
				continue
			}
			if n == 0 {
				break
			}
			frame := append([]byte(nil), r.buf[:n]...)
			r.buf = r.buf[:copy(r.buf, r.buf[n:])]
			if err != nil {
				return frame, err
			}
			return frame, nil
		}
		left := time.Until(deadline)
		if err := ctx.Err(); err != nil || left <= 0 {
			if ctxBound {
				<-ctx.Done() // due now: callers then see ctx.Err()
			}
			return nil, r.timeoutErr(ctx)
		}
		if err := r.src.SetReadTimeout(min(left, poll)); err != nil {
			return nil, err
		}
		k, err := r.src.Read(r.tmp)
		r.buf = append(r.buf, r.tmp[:k]...)
		if err != nil {
			return nil, err
		}
	}
}

func (r *Reader) timeoutErr(ctx context.Context) error {
	if len(r.buf) > 0 {
		b := r.buf
		r.buf = r.buf[:0]
		return device.NewProtocolError(r.op, "truncated frame", b)
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return device.Wrap(device.ErrCancelled, r.op, ctx.Err())
	}
	e := device.Errorf(device.ErrTimeout, r.op, "no answer")
	e.Err = ctx.Err()
	return e
}
