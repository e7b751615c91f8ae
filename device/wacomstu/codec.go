// Package wacomstu drives Wacom STU-430/530-class signature pads over USB
// HID through gousb (transport.USBDevice): feature reports by HID
// GET_REPORT/SET_REPORT control transfers, pen reports from the interrupt
// IN endpoint. The report codec is shared with the simulator.
//
// Sources (shared/reference/devices.md §4.1): pabloko/Wacom-STU-WebHID
// wacomstu540.js and DennisWacom/InkPlatform STU430/STU530. Unverified
// detail: that JS reads proximity and tip from bits 0 and 1 of the first
// pen byte, which overlap the pressure nibble it also reads there; this
// codec uses bit 7 (proximity) and bit 4 (tip) with a 12-bit pressure in
// the low nibble and the next byte, which keeps the fields apart.
package wacomstu

import (
	"encoding/binary"
	"fmt"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Report IDs.
const (
	ReportPen         = 0x01 // input: pen data
	ReportPenTimed    = 0x34 // input: pen data + time + sequence (writing mode 1)
	ReportInfo        = 0x08 // feature: model string, firmware
	ReportCapability  = 0x09 // feature: tablet and screen size
	ReportWritingMode = 0x0E // feature: 0 basic, 1 with timing
	ReportClearScreen = 0x20 // feature
	ReportInkingMode  = 0x21 // feature: ink on/off
)

// HID class requests.
const (
	hidGetReport   = 0x01
	hidSetReport   = 0x09
	reportFeature  = 3
	EPPen          = 0x81 // interrupt IN
	penLen         = 7
	penTimedLen    = 11
	capabilityLen  = 12
	infoLen        = 12
	maxPenPressure = 0x0FFF
)

// Model identifies a pad by USB ID (InkPlatform STU-*.json).
type Model struct {
	Name     string
	VID, PID uint16
	// Fallback capability when GET_REPORT is not answered.
	Caps device.PadCaps
}

// Models of the STU family.
var Models = []Model{
	{Name: "STU-430", VID: 0x056A, PID: 0x00A4, Caps: device.PadCaps{MaxX: 9600, MaxY: 6000, MaxPressure: 1023, ScreenW: 320, ScreenH: 200, RateHz: 200}},
	{Name: "STU-530", VID: 0x056A, PID: 0x00A5, Caps: device.PadCaps{MaxX: 10800, MaxY: 6480, MaxPressure: 1023, ScreenW: 800, ScreenH: 480, RateHz: 200}},
	{Name: "STU-540", VID: 0x056A, PID: 0x00A8, Caps: device.PadCaps{MaxX: 10800, MaxY: 6480, MaxPressure: 1023, ScreenW: 800, ScreenH: 480, RateHz: 200}},
}

// Pen is one pen report.
type Pen struct {
	Ready, Tip bool
	Pressure   int
	X, Y       int
	Time, Seq  int // ReportPenTimed only
	Timed      bool
}

// Encode returns the report as it arrives on the interrupt endpoint.
func (p Pen) Encode() []byte {
	id, n := byte(ReportPen), penLen
	if p.Timed {
		id, n = ReportPenTimed, penTimedLen
	}
	b := make([]byte, n)
	b[0] = id
	b[1] = byte(p.Pressure>>8) & 0x0F
	if p.Ready {
		b[1] |= 0x80
	}
	if p.Tip {
		b[1] |= 0x10
	}
	b[2] = byte(p.Pressure)
	binary.BigEndian.PutUint16(b[3:], uint16(p.X))
	binary.BigEndian.PutUint16(b[5:], uint16(p.Y))
	if p.Timed {
		binary.BigEndian.PutUint16(b[7:], uint16(p.Time))
		binary.BigEndian.PutUint16(b[9:], uint16(p.Seq))
	}
	return b
}

// DecodePen parses a pen report (with its report ID).
func DecodePen(b []byte) (Pen, error) {
	if len(b) == 0 {
		return Pen{}, device.NewProtocolError("wacomstu", "empty report", b)
	}
	var p Pen
	switch b[0] {
	case ReportPen:
		if len(b) < penLen {
			return Pen{}, device.NewProtocolError("wacomstu", fmt.Sprintf("pen report of %d bytes", len(b)), b)
		}
	case ReportPenTimed:
		if len(b) < penTimedLen {
			return Pen{}, device.NewProtocolError("wacomstu", fmt.Sprintf("timed pen report of %d bytes", len(b)), b)
		}
		p.Timed = true
		p.Time = int(binary.BigEndian.Uint16(b[7:]))
		p.Seq = int(binary.BigEndian.Uint16(b[9:]))
	default:
		return Pen{}, device.NewProtocolError("wacomstu", fmt.Sprintf("unexpected report %#02x", b[0]), b)
	}
	p.Ready = b[1]&0x80 != 0
	p.Tip = b[1]&0x10 != 0
	p.Pressure = int(b[1]&0x0F)<<8 | int(b[2])
	p.X = int(binary.BigEndian.Uint16(b[3:]))
	p.Y = int(binary.BigEndian.Uint16(b[5:]))
	return p, nil
}

// Capability is feature report 0x09 (big-endian fields).
type Capability struct {
	MaxX, MaxY, MaxPressure, ScreenW, ScreenH int
	Refresh                                   int
}

// Encode returns the feature report with its ID.
func (c Capability) Encode() []byte {
	b := []byte{ReportCapability}
	for _, v := range []int{c.MaxX, c.MaxY, c.MaxPressure, c.ScreenW, c.ScreenH} {
		b = binary.BigEndian.AppendUint16(b, uint16(v))
	}
	return append(b, byte(c.Refresh))
}

// DecodeCapability parses feature report 0x09.
func DecodeCapability(b []byte) (Capability, error) {
	if len(b) < capabilityLen || b[0] != ReportCapability {
		return Capability{}, device.NewProtocolError("wacomstu", "bad capability report", b)
	}
	u := func(i int) int { return int(binary.BigEndian.Uint16(b[i:])) }
	c := Capability{MaxX: u(1), MaxY: u(3), MaxPressure: u(5), ScreenW: u(7), ScreenH: u(9), Refresh: int(b[11])}
	if c.MaxX == 0 || c.MaxY == 0 || c.MaxPressure == 0 || c.MaxPressure > maxPenPressure {
		return Capability{}, device.NewProtocolError("wacomstu", "implausible capability", b)
	}
	return c, nil
}

// Info is feature report 0x08: model string @1 (7 chars), firmware @8..11.
type Info struct {
	Model    string
	Firmware [4]byte
}

// Encode returns the feature report with its ID.
func (i Info) Encode() []byte {
	b := make([]byte, infoLen)
	b[0] = ReportInfo
	copy(b[1:8], i.Model)
	copy(b[8:12], i.Firmware[:])
	return b
}

// DecodeInfo parses feature report 0x08.
func DecodeInfo(b []byte) (Info, error) {
	if len(b) < infoLen || b[0] != ReportInfo {
		return Info{}, device.NewProtocolError("wacomstu", "bad information report", b)
	}
	var i Info
	m := b[1:8]
	for k, c := range m {
		if c == 0 {
			m = m[:k]
			break
		}
	}
	i.Model = string(m)
	copy(i.Firmware[:], b[8:12])
	return i, nil
}

// SetReport returns the control setup of a HID SET_REPORT (feature).
func SetReport(id byte) (rType, req uint8, value, index uint16) {
	return transport.ReqClassOut, hidSetReport, reportFeature<<8 | uint16(id), 0
}

// GetReport returns the control setup of a HID GET_REPORT (feature).
func GetReport(id byte) (rType, req uint8, value, index uint16) {
	return transport.ReqClassIn, hidGetReport, reportFeature<<8 | uint16(id), 0
}
