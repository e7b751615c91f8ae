// Package gt511 drives the ADH-Tech GT-511C3 serial fingerprint module:
// the 12-byte command/response and data packet codec shared with its
// simulator, and a driver implementing device.FingerScanner.
package gt511

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/device"
)

// Packet framing (gt511c3.js, pyGT511C3; little-endian).
const (
	CmdStart1, CmdStart2   = 0x55, 0xAA
	DataStart1, DataStart2 = 0x5A, 0xA5
	CmdLen                 = 12
	DefaultDevID           = 0x0001
	// dataOverhead is start(2) + devID(2) + checksum(2).
	dataOverhead = 6
	// MaxData bounds a data packet (the largest is GetImage's 52 116 bytes).
	MaxData = 52116
)

// Commands.
const (
	CmdOpen          = 0x01
	CmdClose         = 0x02
	CmdChangeBaud    = 0x04
	CmdCmosLed       = 0x12
	CmdGetEnrollCnt  = 0x20
	CmdIsPressFinger = 0x26
	CmdCaptureFinger = 0x60
	CmdGetImage      = 0x62
	CmdGetRawImage   = 0x63
	Ack              = 0x30
	Nack             = 0x31
)

// NACK codes.
const (
	NackTimeout        = 0x1001
	NackInvalidPos     = 0x1003
	NackCommErr        = 0x1006
	NackBadFinger      = 0x100C
	NackDevErr         = 0x100F
	NackInvalidParam   = 0x1011
	NackFingerNotPress = 0x1012
)

// Image geometry: GetImage sends 202×258 = 52 116 bytes ("258x202 -
// 52116bytes"; we take the image as 202 wide, 258 high), GetRawImage a
// 160×120 preview (the 320×240 frame subsampled).
const (
	ImageW, ImageH = 202, 258
	RawW, RawH     = 160, 120
	InfoLen        = 24 // Open(1) data: firmware u32, ISO area max u32, serial 16 B
)

// Packet is a command or response.
type Packet struct {
	DevID uint16
	Param uint32
	Cmd   uint16 // command code, or Ack/Nack in a response
}

func sum(b []byte) uint16 {
	var s uint16
	for _, v := range b {
		s += uint16(v)
	}
	return s
}

// Encode returns the 12 wire bytes.
func (p Packet) Encode() []byte {
	b := []byte{CmdStart1, CmdStart2}
	b = binary.LittleEndian.AppendUint16(b, p.DevID)
	b = binary.LittleEndian.AppendUint32(b, p.Param)
	b = binary.LittleEndian.AppendUint16(b, p.Cmd)
	return binary.LittleEndian.AppendUint16(b, sum(b))
}

// EncodeData returns a data packet carrying data.
func EncodeData(devID uint16, data []byte) []byte {
	b := make([]byte, 0, len(data)+dataOverhead)
	b = append(b, DataStart1, DataStart2)
	b = binary.LittleEndian.AppendUint16(b, devID)
	b = append(b, data...)
	return binary.LittleEndian.AppendUint16(b, sum(b))
}

// ErrUnexpectedData marks a data packet where a response was expected: the
// module is still sending an earlier transfer.
var ErrUnexpectedData = errors.New("gt511: data packet where a response was expected")

// Splitter returns the wire.Splitter for the next frame: a 12-byte
// response, or (dataLen > 0) a data packet with dataLen bytes of data. It
// resynchronises on the start bytes and reports bad checksums.
func Splitter(dataLen int) func(buf []byte) (skip, n int, err error) {
	return func(buf []byte) (int, int, error) {
		i := 0
		for ; i < len(buf); i++ {
			c := buf[i]
			if c == CmdStart1 || c == DataStart1 {
				if i+1 == len(buf) || (c == CmdStart1 && buf[i+1] == CmdStart2) || (c == DataStart1 && buf[i+1] == DataStart2) {
					break
				}
			}
		}
		if i > 0 {
			return i, 0, nil
		}
		if len(buf) < 2 {
			return 0, 0, nil
		}
		if buf[0] == DataStart1 && dataLen == 0 {
			return 0, len(buf), device.NewProtocolError("gt511", ErrUnexpectedData.Error(), buf)
		}
		n := CmdLen
		if buf[0] == DataStart1 {
			n = dataLen + dataOverhead
		}
		if len(buf) < n {
			return 0, 0, nil
		}
		if got, want := binary.LittleEndian.Uint16(buf[n-2:n]), sum(buf[:n-2]); got != want {
			return 0, n, device.NewProtocolError("gt511", fmt.Sprintf("bad checksum %04X, want %04X", got, want), buf[:n])
		}
		return 0, n, nil
	}
}

// Split cuts 12-byte command/response packets.
var Split = Splitter(0)

// Decode parses one 12-byte packet.
func Decode(b []byte) (Packet, error) {
	if len(b) != CmdLen || b[0] != CmdStart1 || b[1] != CmdStart2 {
		return Packet{}, device.NewProtocolError("gt511", "not a command packet", b)
	}
	if got, want := binary.LittleEndian.Uint16(b[10:]), sum(b[:10]); got != want {
		return Packet{}, device.NewProtocolError("gt511", fmt.Sprintf("bad checksum %04X, want %04X", got, want), b)
	}
	return Packet{DevID: binary.LittleEndian.Uint16(b[2:]), Param: binary.LittleEndian.Uint32(b[4:]), Cmd: binary.LittleEndian.Uint16(b[8:])}, nil
}

// DecodeData returns the data of one data packet (checksum verified).
func DecodeData(b []byte) (uint16, []byte, error) {
	if len(b) < dataOverhead || b[0] != DataStart1 || b[1] != DataStart2 {
		return 0, nil, device.NewProtocolError("gt511", "not a data packet", b)
	}
	n := len(b)
	if got, want := binary.LittleEndian.Uint16(b[n-2:]), sum(b[:n-2]); got != want {
		return 0, nil, device.NewProtocolError("gt511", fmt.Sprintf("bad checksum %04X, want %04X", got, want), b)
	}
	return binary.LittleEndian.Uint16(b[2:]), b[4 : n-2], nil
}

// DevInfo is the Open(1) answer.
type DevInfo struct {
	Firmware   uint32
	ISOAreaMax uint32
	Serial     [16]byte
}

// Encode returns the 24 data bytes.
func (d DevInfo) Encode() []byte {
	b := binary.LittleEndian.AppendUint32(nil, d.Firmware)
	b = binary.LittleEndian.AppendUint32(b, d.ISOAreaMax)
	return append(b, d.Serial[:]...)
}

// ParseDevInfo decodes the 24 data bytes.
func ParseDevInfo(b []byte) (DevInfo, error) {
	if len(b) != InfoLen {
		return DevInfo{}, device.NewProtocolError("gt511", fmt.Sprintf("device info of %d bytes, want %d", len(b), InfoLen), b)
	}
	d := DevInfo{Firmware: binary.LittleEndian.Uint32(b), ISOAreaMax: binary.LittleEndian.Uint32(b[4:])}
	copy(d.Serial[:], b[8:])
	return d, nil
}
