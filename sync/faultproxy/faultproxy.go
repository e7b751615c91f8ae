// Package faultproxy is a TCP proxy that breaks connections on purpose, for
// sync tests and benchmarks: each connection fails with a set probability
// at a random byte offset of its client-to-server stream, by a reset, a
// stall or one corrupted byte. It only ever listens and dials on loopback
// addresses given to it.
package faultproxy

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Mode is how a doomed connection fails.
type Mode int

// The failure modes.
const (
	Reset Mode = iota
	Stall
	Corrupt
)

// Proxy forwards connections to Target, failing some.
type Proxy struct {
	// Target is the server's address.
	Target string
	// FaultRate is the probability that a connection fails.
	FaultRate float64
	// MaxOffset bounds the random failure offset (bytes client→server).
	MaxOffset int64
	// StallFor is how long a stalled connection hangs before closing.
	StallFor time.Duration

	ln     net.Listener
	mu     sync.Mutex
	rng    *rand.Rand
	faults [3]atomic.Int64
	conns  atomic.Int64
	wg     sync.WaitGroup
	open   map[net.Conn]struct{}
	closed chan struct{}
}

// Start listens on a loopback port and serves until Close.
func (p *Proxy) Start(seed uint64) (addr string, err error) {
	p.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p.open = map[net.Conn]struct{}{}
	p.closed = make(chan struct{})
	p.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	p.wg.Add(1)
	go p.serve()
	return p.ln.Addr().String(), nil
}

// Close stops the proxy, closes its connections and waits for them to end.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	close(p.closed)
	p.mu.Lock()
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn, add bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if add {
		p.open[c] = struct{}{}
	} else {
		delete(p.open, c)
	}
}

// Stats returns connections seen and faults injected by mode.
func (p *Proxy) Stats() (conns, resets, stalls, corrupts int64) {
	return p.conns.Load(), p.faults[Reset].Load(), p.faults[Stall].Load(), p.faults[Corrupt].Load()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		p.mu.Lock()
		doomed := p.rng.Float64() < p.FaultRate
		offset := int64(-1)
		mode := Reset
		if doomed && p.MaxOffset > 0 {
			offset = p.rng.Int64N(p.MaxOffset)
			mode = Mode(p.rng.IntN(3))
		}
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c, offset, mode)
		}()
	}
}

func (p *Proxy) handle(client net.Conn, offset int64, mode Mode) {
	p.track(client, true)
	defer p.track(client, false)
	defer client.Close()
	server, err := net.Dial("tcp", p.Target)
	if err != nil {
		return
	}
	p.track(server, true)
	defer p.track(server, false)
	defer server.Close()
	done := make(chan struct{}, 2)
	go func() { // server → client, untouched
		_, _ = io.Copy(client, server)
		done <- struct{}{}
	}()
	go func() {
		p.upstream(client, server, offset, mode)
		done <- struct{}{}
	}()
	<-done
}

// upstream copies client → server, failing at offset when offset ≥ 0.
func (p *Proxy) upstream(client, server net.Conn, offset int64, mode Mode) {
	buf := make([]byte, 32<<10)
	var pos int64
	for {
		n, err := client.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if offset >= 0 && pos+int64(n) > offset {
				cut := offset - pos
				switch mode {
				case Corrupt:
					chunk[cut] ^= 0xff
					offset = -1 // one byte only; the rest flows
					p.faults[Corrupt].Add(1)
				case Reset:
					_, _ = server.Write(chunk[:cut])
					p.faults[Reset].Add(1)
					if tc, ok := client.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					if tc, ok := server.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					return
				case Stall:
					_, _ = server.Write(chunk[:cut])
					p.faults[Stall].Add(1)
					select {
					case <-time.After(p.StallFor):
					case <-p.closed:
					}
					return
				}
			}
			if _, werr := server.Write(chunk); werr != nil {
				return
			}
			pos += int64(n)
		}
		if err != nil {
			return
		}
	}
}
