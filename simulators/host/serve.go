package host

import (
	"context"
	"errors"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/wire"
)

// ServeFrames is the read loop of a framed-protocol engine: it cuts frames
// from c with split and passes each to handle; a corrupted frame goes to
// bad (which usually answers with the protocol's "packet error"). It
// returns when c closes, ctx ends, or a callback fails.
func ServeFrames(ctx context.Context, c Conn, split wire.Splitter, op string, bad func(frame []byte) error, handle func(frame []byte) error) error {
	rd := wire.NewReader(c, split, op)
	for ctx.Err() == nil {
		frame, err := rd.Next(ctx, 200*time.Millisecond)
		var pe *device.ProtocolError
		switch {
		case errors.As(err, &pe):
			if bad != nil {
				if err := bad(frame); err != nil {
					return err
				}
			}
			continue
		case errors.Is(err, device.ErrTimeout) || errors.Is(err, device.ErrCancelled):
			continue
		case err != nil:
			return err
		}
		if err := handle(frame); err != nil {
			return err
		}
	}
	return ctx.Err()
}
