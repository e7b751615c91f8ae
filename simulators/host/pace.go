package host

import (
	"time"
)

// BitsPerByte is the line cost of one byte in 8N1 framing.
const BitsPerByte = 10

// WireTime is how long n bytes take on a line at baud (8N1).
func WireTime(n, baud int) time.Duration {
	if baud <= 0 {
		return 0
	}
	return time.Duration(int64(n) * BitsPerByte * int64(time.Second) / int64(baud))
}

// pacedConn delays writes so bytes leave no faster than baud allows.
type pacedConn struct {
	Conn
	baud int
	next time.Time // when the line is free again
}

// Paced returns c with writes paced at baud (8N1); baud <= 0 returns c.
func Paced(c Conn, baud int) Conn {
	if baud <= 0 {
		return c
	}
	return &pacedConn{Conn: c, baud: baud}
}

// chunk is the write granularity of pacing (small enough to stay smooth).
const chunk = 64

func (p *pacedConn) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		n := min(chunk, len(b))
		now := time.Now()
		// An idle line restarts the schedule; a late sleeper keeps it, so
		// oversleeping does not slow the average rate.
		if p.next.Before(now.Add(-50 * time.Millisecond)) {
			p.next = now
		}
		p.next = p.next.Add(WireTime(n, p.baud))
		k, err := p.Conn.Write(b[:n])
		written += k
		if err != nil {
			return written, err
		}
		b = b[n:]
		time.Sleep(time.Until(p.next))
	}
	return written, nil
}
