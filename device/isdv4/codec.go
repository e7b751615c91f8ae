// Package isdv4 drives Wacom ISDV4 / W8001 serial pen digitisers (as in
// signature pads and tablet PCs) — the packet codec shared with its
// simulator, and a driver implementing device.SignaturePad. Protocol facts
// are those of Linux drivers/input/touchscreen/wacom_w8001.c: single ASCII
// command bytes, 9-byte pen packets, 11-byte control (query) packets, lead
// byte bit 7 set and every other byte below 0x80, 100 points per mm.
package isdv4

import (
	"fmt"

	"github.com/rekam-ktp/rekam/device"
)

// Commands and framing constants.
const (
	CmdStop   = '0'
	CmdStart  = '1'
	CmdQuery  = '*'
	LeadMask  = 0x80
	TabByte   = 0x40 // set in the lead byte of control packets
	TouchByte = 0x90 // lead byte of touch packets (not used by pen pads)
	PenLen    = 9
	CtlLen    = 11
	// PointsPerMM is the pen resolution.
	PointsPerMM = 100
)

// Pen is one decoded pen packet (or the maxima in a query reply).
type Pen struct {
	Ready, Tip, Side1, Side2 bool
	X, Y, Pressure           int
	TiltX, TiltY             int
}

// Encode returns a 9-byte pen packet (ctl=false) or an 11-byte control
// packet (ctl=true) carrying p.
func (p Pen) Encode(ctl bool) []byte {
	n := PenLen
	b0 := byte(LeadMask)
	if ctl {
		n = CtlLen
		b0 |= TabByte
	}
	b := make([]byte, n)
	if p.Ready {
		b0 |= 0x20
	}
	if p.Tip {
		b0 |= 0x01
	}
	if p.Side1 {
		b0 |= 0x02
	}
	if p.Side2 {
		b0 |= 0x04
	}
	b[0] = b0
	b[1] = byte(p.X>>9) & 0x7F
	b[2] = byte(p.X>>2) & 0x7F
	b[3] = byte(p.Y>>9) & 0x7F
	b[4] = byte(p.Y>>2) & 0x7F
	b[5] = byte(p.Pressure) & 0x7F
	b[6] = byte(p.X&3)<<5 | byte(p.Y&3)<<3 | byte(p.Pressure>>7)&0x07
	b[7] = byte(p.TiltX) & 0x7F
	b[8] = byte(p.TiltY) & 0x7F
	return b
}

// Decode parses a pen or control packet (as cut by Split).
func Decode(b []byte) (Pen, error) {
	if len(b) < PenLen || b[0]&LeadMask == 0 {
		return Pen{}, device.NewProtocolError("isdv4", "not a pen packet", b)
	}
	for i, v := range b[1:] {
		if v&LeadMask != 0 {
			return Pen{}, device.NewProtocolError("isdv4", fmt.Sprintf("byte %d has bit 7 set", i+1), b)
		}
	}
	return Pen{
		Ready: b[0]&0x20 != 0, Tip: b[0]&0x01 != 0, Side1: b[0]&0x02 != 0, Side2: b[0]&0x04 != 0,
		X:        int(b[1]&0x7F)<<9 | int(b[2]&0x7F)<<2 | int(b[6]&0x60)>>5,
		Y:        int(b[3]&0x7F)<<9 | int(b[4]&0x7F)<<2 | int(b[6]&0x18)>>3,
		Pressure: int(b[5]&0x7F) | int(b[6]&0x07)<<7,
		TiltX:    int(b[7] & 0x7F), TiltY: int(b[8] & 0x7F),
	}, nil
}

// IsControl reports whether a frame is an 11-byte control packet.
func IsControl(b []byte) bool { return len(b) == CtlLen && b[0]&TabByte != 0 }

// Split cuts packets: it skips to a lead byte (bit 7), takes 9 bytes (11
// when the lead byte has the tab bit), and reports a packet interrupted by
// another lead byte as a protocol error (dropping the broken part).
func Split(buf []byte) (skip, n int, err error) {
	i := 0
	for i < len(buf) && buf[i]&LeadMask == 0 {
		i++
	}
	if i > 0 {
		return i, 0, nil
	}
	if len(buf) == 0 {
		return 0, 0, nil
	}
	want := PenLen
	if buf[0]&TabByte != 0 {
		want = CtlLen
	}
	for j := 1; j < len(buf) && j < want; j++ {
		if buf[j]&LeadMask != 0 {
			return 0, j, device.NewProtocolError("isdv4", "packet cut by a lead byte", buf[:j])
		}
	}
	if len(buf) < want {
		return 0, 0, nil
	}
	return 0, want, nil
}
