package transport

import (
	"fmt"

	"go.bug.st/serial/enumerator"
)

// SerialPortInfo describes a serial port found on the system.
type SerialPortInfo struct {
	Path     string
	IsUSB    bool
	VID, PID string // hex, when USB
	Serial   string
}

// ListSerial lists the system's serial ports with USB identity (from sysfs
// on Linux). ptys are not listed: configure their paths explicitly.
func ListSerial() ([]SerialPortInfo, error) {
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("list serial ports: %w", err)
	}
	out := make([]SerialPortInfo, 0, len(ports))
	for _, p := range ports {
		out = append(out, SerialPortInfo{Path: p.Name, IsUSB: p.IsUSB, VID: p.VID, PID: p.PID, Serial: p.SerialNumber})
	}
	return out, nil
}
