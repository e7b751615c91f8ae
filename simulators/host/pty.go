package host

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rekam-ktp/rekam/device"
)

// PTY is a pseudo-terminal pair: the simulator serves on the master side,
// a driver opens SlavePath like any serial port.
type PTY struct {
	master *os.File
	keep   *os.File // a slave fd held open so master reads never see EIO between driver opens
	// SlavePath is /dev/pts/N.
	SlavePath string
	timeout   time.Duration
}

// OpenPTY allocates a pty through /dev/ptmx and sets it raw before any byte
// flows (else ICRNL/ECHO/ICANON would mangle binary frames).
func OpenPTY() (*PTY, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/ptmx: %w", err)
	}
	// Never call m.Fd(): it would put the master in blocking mode, and read
	// deadlines would stop working.
	var n uint32
	if err := control(m, func(fd int) error {
		if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			return fmt.Errorf("unlock pty: %w", err)
		}
		var err error
		n, err = unix.IoctlGetUint32(fd, unix.TIOCGPTN)
		return err
	}); err != nil {
		m.Close()
		return nil, err
	}
	path := fmt.Sprintf("/dev/pts/%d", n)
	s, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := makeRaw(int(s.Fd())); err != nil {
		s.Close()
		m.Close()
		return nil, fmt.Errorf("raw mode %s: %w", path, err)
	}
	return &PTY{master: m, keep: s, SlavePath: path, timeout: time.Second}, nil
}

// control runs f on f's descriptor without changing its blocking mode.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// makeRaw is cfmakeraw on fd.
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}

// Baud returns the line rate the driver configured on the slave (0 if unknown).
func (p *PTY) Baud() int {
	var t *unix.Termios
	if err := control(p.keep, func(fd int) error {
		var err error
		t, err = unix.IoctlGetTermios(fd, unix.TCGETS)
		return err
	}); err != nil {
		return 0
	}
	rates := map[uint32]int{unix.B9600: 9600, unix.B19200: 19200, unix.B38400: 38400,
		unix.B57600: 57600, unix.B115200: 115200, unix.B230400: 230400, unix.B460800: 460800, unix.B921600: 921600}
	return rates[t.Cflag&unix.CBAUD]
}

// Read reads from the master, returning (0, nil) on timeout.
func (p *PTY) Read(b []byte) (int, error) {
	if err := p.master.SetReadDeadline(time.Now().Add(p.timeout)); err != nil {
		return 0, device.Wrap(device.ErrDisconnected, "pty read", err)
	}
	n, err := p.master.Read(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, nil
	}
	if err != nil {
		return n, device.Wrap(device.ErrDisconnected, "pty read", err)
	}
	return n, nil
}

// Write writes to the master.
func (p *PTY) Write(b []byte) (int, error) {
	n, err := p.master.Write(b)
	if err != nil {
		return n, device.Wrap(device.ErrDisconnected, "pty write", err)
	}
	return n, nil
}

// SetReadTimeout sets the per-Read timeout.
func (p *PTY) SetReadTimeout(d time.Duration) error {
	if d <= 0 {
		d = time.Millisecond
	}
	p.timeout = d
	return nil
}

// ResetInputBuffer drops bytes the driver wrote but the simulator has not read.
func (p *PTY) ResetInputBuffer() error {
	return control(p.master, func(fd int) error { return unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) })
}

// Close hangs up: the driver's reads fail (PortClosed) and /dev/pts/N goes away.
func (p *PTY) Close() error {
	err1 := p.master.Close()
	err2 := p.keep.Close()
	return errors.Join(err1, err2)
}
