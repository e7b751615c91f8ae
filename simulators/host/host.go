package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Engine is a device-side protocol engine.
type Engine interface {
	// PowerOn runs when the device is plugged (e.g. an R503 sends 0x55).
	PowerOn(c Conn)
	// Serve answers the driver over c until c closes or ctx ends. Returning
	// ErrUnplug asks the host to unplug the device (a scripted fault).
	Serve(ctx context.Context, c Conn) error
}

// ErrUnplug is returned by an engine to make its host unplug the device.
var ErrUnplug = errors.New("engine unplugs the device")

// Mode is how a device is hosted.
type Mode string

// Hosting modes.
const (
	ModePipe Mode = "pipe"
	ModePTY  Mode = "pty"
)

// Device hosts one engine and can unplug and replug it.
type Device struct {
	eng  Engine
	mode Mode
	link string // pty mode: stable symlink to the current /dev/pts/N ("" for none)
	baud int    // pacing of device-to-host bytes (0 = unpaced)

	mu      sync.Mutex
	plugged bool
	pty     *PTY
	simEnd  *PipeEnd // pipe mode: current simulator end
	cancel  context.CancelFunc
	done    chan struct{}
	plugs   int
	powered bool // PowerOn ran since the last plug
	uart    int  // pty mode: the device's line rate; a driver at another rate sees garbage (0 = off)
}

// EmulateBaud makes a pty-hosted device listen and talk at baud only: when
// the driver configures the pty at another rate, bytes both ways are
// garbled, as on a real UART with mismatched rates. Call before Plug.
func (d *Device) EmulateBaud(baud int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.uart = baud
}

// mismatch garbles bytes when the driver's line rate differs from the
// device's.
type mismatch struct {
	Conn
	pty  *PTY
	baud int
}

func (m mismatch) garble(b []byte) {
	if r := m.pty.Baud(); r != 0 && r != m.baud {
		for i := range b {
			b[i] = b[i]>>1 | 0x80 // a sample clock off by a factor: shifted bits, stuck stop bit
		}
	}
}

func (m mismatch) Read(b []byte) (int, error) {
	n, err := m.Conn.Read(b)
	m.garble(b[:n])
	return n, err
}

func (m mismatch) Write(b []byte) (int, error) {
	c := append([]byte(nil), b...)
	m.garble(c)
	return m.Conn.Write(c)
}

// NewPipe hosts eng behind in-memory pipes; baud paces replies (0 = off).
func NewPipe(eng Engine, baud int) *Device {
	return &Device{eng: eng, mode: ModePipe, baud: baud}
}

// NewPTY hosts eng on a pty; link, if not empty, is kept pointing at the
// current /dev/pts/N across replugs (like a udev by-id link).
func NewPTY(eng Engine, link string, baud int) *Device {
	return &Device{eng: eng, mode: ModePTY, link: link, baud: baud}
}

// Mode reports how the device is hosted.
func (d *Device) Mode() Mode { return d.mode }

// Plug connects the device (power-on). It is a no-op when plugged.
func (d *Device) Plug() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.plugged {
		return nil
	}
	d.plugs++
	if d.mode == ModePTY {
		p, err := OpenPTY()
		if err != nil {
			return err
		}
		if d.link != "" {
			tmp := d.link + ".new"
			_ = os.Remove(tmp)
			if err := os.Symlink(p.SlavePath, tmp); err != nil {
				p.Close()
				return fmt.Errorf("link %s: %w", d.link, err)
			}
			if err := os.Rename(tmp, d.link); err != nil {
				p.Close()
				return fmt.Errorf("link %s: %w", d.link, err)
			}
		}
		d.pty = p
		d.start(p)
	}
	d.plugged = true
	return nil
}

// start runs the engine on c (mu held).
func (d *Device) start(c Conn) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	d.cancel, d.done = cancel, done
	if p, ok := c.(*PTY); ok && d.uart > 0 {
		c = mismatch{Conn: p, pty: p, baud: d.uart}
	}
	pc := Paced(c, d.baud)
	powerOn := !d.powered
	d.powered = true
	go func() {
		defer close(done)
		if powerOn {
			d.eng.PowerOn(pc)
		}
		if err := d.eng.Serve(ctx, pc); errors.Is(err, ErrUnplug) {
			d.mu.Lock()
			d.unplugLocked(false)
			d.mu.Unlock()
		}
	}()
}

// Unplug disconnects the device; a driver talking to it sees ErrDisconnected.
func (d *Device) Unplug() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.unplugLocked(true)
}

func (d *Device) unplugLocked(wait bool) {
	if !d.plugged {
		return
	}
	d.plugged = false
	d.powered = false
	d.closeLinkLocked(wait)
	d.pty = nil
}

func (d *Device) closeLinkLocked(wait bool) {
	if d.cancel != nil {
		d.cancel()
	}
	if d.pty != nil {
		d.pty.Close()
	}
	if d.simEnd != nil {
		d.simEnd.Close()
		d.simEnd = nil
	}
	if wait && d.done != nil {
		d.mu.Unlock()
		<-d.done
		d.mu.Lock()
	}
}

// Replug unplugs then plugs the device (a new pty in pty mode).
func (d *Device) Replug() error {
	d.Unplug()
	return d.Plug()
}

// Plugged reports whether the device is connected.
func (d *Device) Plugged() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.plugged
}

// Plugs counts how many times the device was plugged.
func (d *Device) Plugs() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.plugs
}

// Path is what a driver opens: the stable link, else /dev/pts/N (pty mode),
// or "pipe:" in pipe mode.
func (d *Device) Path() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mode == ModePipe {
		return "pipe:"
	}
	if d.link != "" {
		return d.link
	}
	if d.pty != nil {
		return d.pty.SlavePath
	}
	return ""
}

// LineBaud returns the baud rate the driver set on the pty (0 if unknown).
func (d *Device) LineBaud() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pty == nil {
		return 0
	}
	return d.pty.Baud()
}

// Opener returns what a driver uses to open the device: in pty mode it
// opens the pty path with go.bug.st/serial at baud; in pipe mode each open
// makes a fresh pipe (closing the previous one) while the device is plugged.
func (d *Device) Opener(baud int) func() (transport.Port, error) {
	if d.mode == ModePTY {
		return func() (transport.Port, error) {
			return transport.OpenSerial(d.Path(), transport.SerialConfig{Baud: baud})
		}
	}
	return func() (transport.Port, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		if !d.plugged {
			return nil, device.Errorf(device.ErrDisconnected, "pipe open", "device unplugged")
		}
		d.closeLinkLocked(true)
		drv, sim := Pipe()
		d.simEnd = sim
		d.start(sim)
		return drv, nil
	}
}

// Close unplugs the device and removes its link.
func (d *Device) Close() {
	d.Unplug()
	if d.link != "" {
		_ = os.Remove(d.link)
	}
}
