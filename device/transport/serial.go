package transport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"go.bug.st/serial"

	"github.com/rekam-ktp/rekam/device"
)

// Port is a byte stream with a read timeout: Read returns (0, nil) when the
// timeout passes with no data, and an error wrapping device.ErrDisconnected
// when the other end went away.
type Port interface {
	io.ReadWriter
	// SetReadTimeout bounds each Read; 0 or less means a 1 ms poll.
	SetReadTimeout(d time.Duration) error
	// ResetInputBuffer drops bytes received but not read.
	ResetInputBuffer() error
	Close() error
}

// SerialConfig is the line setting of a serial port.
type SerialConfig struct {
	Baud     int // e.g. 57600
	DataBits int // 0 means 8
	Parity   byte
	StopBits int // 1 or 2; 0 means 1
}

// Parity values for SerialConfig.
const (
	ParityNone byte = 'N'
	ParityEven byte = 'E'
	ParityOdd  byte = 'O'
)

// OpenSerial opens a serial port (a /dev/ttyUSB*, /dev/ttyACM* or a pty
// path) with the given line settings. A missing port is ErrDisconnected; a
// port held by another process is ErrBusy.
func OpenSerial(path string, cfg SerialConfig) (Port, error) {
	mode := &serial.Mode{BaudRate: cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	if cfg.DataBits != 0 {
		mode.DataBits = cfg.DataBits
	}
	switch cfg.Parity {
	case ParityEven:
		mode.Parity = serial.EvenParity
	case ParityOdd:
		mode.Parity = serial.OddParity
	}
	if cfg.StopBits == 2 {
		mode.StopBits = serial.TwoStopBits
	}
	p, err := serial.Open(path, mode)
	if err != nil {
		return nil, mapSerialErr("open "+path, err)
	}
	return &serialPort{p: p, path: path}, nil
}

type serialPort struct {
	p    serial.Port
	path string
}

func (s *serialPort) Read(b []byte) (int, error) {
	n, err := s.p.Read(b)
	if err != nil {
		return n, mapSerialErr("read "+s.path, err)
	}
	return n, nil
}

func (s *serialPort) Write(b []byte) (int, error) {
	n, err := s.p.Write(b)
	if err != nil {
		return n, mapSerialErr("write "+s.path, err)
	}
	return n, nil
}

func (s *serialPort) SetReadTimeout(d time.Duration) error {
	if d <= 0 {
		d = time.Millisecond
	}
	return mapSerialErr("set timeout "+s.path, s.p.SetReadTimeout(d))
}

func (s *serialPort) ResetInputBuffer() error {
	return mapSerialErr("flush "+s.path, s.p.ResetInputBuffer())
}

func (s *serialPort) Close() error { return mapSerialErr("close "+s.path, s.p.Close()) }

// mapSerialErr turns go.bug.st/serial and errno errors into typed errors.
func mapSerialErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortClosed, serial.PortNotFound:
			return device.Wrap(device.ErrDisconnected, op, err)
		case serial.PortBusy:
			return device.Wrap(device.ErrBusy, op, err)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.ENODEV) {
		return device.Wrap(device.ErrDisconnected, op, err)
	}
	if errors.Is(err, syscall.EBUSY) {
		return device.Wrap(device.ErrBusy, op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
