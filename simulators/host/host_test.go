package host

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

func TestWireTime(t *testing.T) {
	tests := []struct {
		n, baud int
		want    time.Duration
	}{
		{5760, 57600, time.Second},
		{40044, 57600, 6952 * time.Millisecond},
		{52122, 9600, 54293 * time.Millisecond},
		{100, 0, 0},
	}
	for _, tt := range tests {
		if got := WireTime(tt.n, tt.baud).Truncate(time.Millisecond); got != tt.want {
			t.Errorf("WireTime(%d, %d) = %s, want %s", tt.n, tt.baud, got, tt.want)
		}
	}
}

func TestPipeSemantics(t *testing.T) {
	a, b := Pipe()
	a.SetReadTimeout(20 * time.Millisecond)
	buf := make([]byte, 8)
	if n, err := a.Read(buf); n != 0 || err != nil {
		t.Fatalf("timeout read = %d, %v", n, err)
	}
	b.Write([]byte("hello"))
	a.ResetInputBuffer()
	if n, _ := a.Read(buf); n != 0 {
		t.Fatal("flushed bytes read")
	}
	b.Write([]byte("hi"))
	if n, _ := a.Read(buf); string(buf[:n]) != "hi" {
		t.Fatalf("read %q", buf[:n])
	}
	b.Close()
	if _, err := a.Read(buf); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("after close: %v", err)
	}
	if _, err := a.Write(buf); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("write after close: %v", err)
	}
}

// TestPacedRate checks the pacing writer keeps the configured baud on
// average (8N1: 10 bits a byte).
func TestPacedRate(t *testing.T) {
	a, b := Pipe()
	go io.Copy(io.Discard, readerOf(b))
	p := Paced(a, 115200)
	t0 := time.Now()
	if _, err := p.Write(make([]byte, 2880)); err != nil { // 250 ms of line time
		t.Fatal(err)
	}
	took := time.Since(t0)
	if took < 240*time.Millisecond || took > 2*time.Second {
		t.Fatalf("2880 bytes at 115200 baud took %s, want about 250ms", took)
	}
	a.Close()
}

type connReader struct{ c Conn }

func (r connReader) Read(p []byte) (int, error) {
	n, err := r.c.Read(p)
	if err != nil {
		return n, io.EOF
	}
	return n, nil
}

func readerOf(c Conn) io.Reader { return connReader{c} }

// TestPTYLikeASerialPort opens the pty with go.bug.st/serial, checks binary
// bytes pass unchanged both ways, and that closing the master is an unplug.
func TestPTYLikeASerialPort(t *testing.T) {
	p, err := OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	port, err := transport.OpenSerial(p.SlavePath, transport.SerialConfig{Baud: 57600})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	if got := p.Baud(); got != 57600 {
		t.Fatalf("baud seen by the simulator = %d", got)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	if _, err := p.Write(all); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 0, 256)
	buf := make([]byte, 256)
	port.SetReadTimeout(200 * time.Millisecond)
	for len(got) < 256 {
		n, err := port.Read(buf)
		if err != nil || n == 0 {
			t.Fatalf("read %d bytes then %v", len(got), err)
		}
		got = append(got, buf[:n]...)
	}
	for i, v := range got {
		if v != byte(i) {
			t.Fatalf("byte %d = %#x: the pty is not raw", i, v)
		}
	}
	p.Close()
	if _, err := port.Read(buf); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("read after hang-up: %v", err)
	}
	if _, err := transport.OpenSerial(p.SlavePath, transport.SerialConfig{Baud: 57600}); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("reopen after unplug: %v", err)
	}
}

type echoEngine struct{}

func (echoEngine) PowerOn(Conn) {}

func (echoEngine) Serve(ctx context.Context, c Conn) error {
	buf := make([]byte, 64)
	for ctx.Err() == nil {
		c.SetReadTimeout(20 * time.Millisecond)
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		if n > 0 {
			c.Write(buf[:n])
		}
	}
	return nil
}

// TestBaudMismatchGarbles: a driver at the device's rate gets its bytes
// back; at another rate it gets garbage.
func TestBaudMismatchGarbles(t *testing.T) {
	d := NewPTY(echoEngine{}, "", 0)
	d.EmulateBaud(57600)
	if err := d.Plug(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, tt := range []struct {
		baud int
		same bool
	}{{57600, true}, {9600, false}} {
		p, err := transport.OpenSerial(d.Path(), transport.SerialConfig{Baud: tt.baud})
		if err != nil {
			t.Fatal(err)
		}
		p.Write([]byte("ping"))
		p.SetReadTimeout(500 * time.Millisecond)
		buf := make([]byte, 16)
		got := []byte{}
		for len(got) < 4 {
			n, err := p.Read(buf)
			if err != nil || n == 0 {
				break
			}
			got = append(got, buf[:n]...)
		}
		p.Close()
		if (string(got) == "ping") != tt.same {
			t.Fatalf("at %d baud got %q", tt.baud, got)
		}
	}
}
