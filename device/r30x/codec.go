// Package r30x drives the serial fingerprint modules of the R30x / ZFM-20 /
// AS608 / R503 family (Grow / ZhianTec protocol): the packet codec shared
// with its simulator, and a driver implementing device.FingerScanner.
package r30x

import (
	"encoding/binary"
	"fmt"

	"github.com/rekam-ktp/rekam/device"
)

// Framing constants (ZFM-20 §5.1; Adafruit_Fingerprint.h).
const (
	Header         = 0xEF01
	DefaultAddress = 0xFFFFFFFF
	// MaxLength is the largest LEN field accepted: a 256-byte data packet
	// plus its 2 checksum bytes.
	MaxLength = 258
	// headerLen is header(2) + address(4) + pid(1) + length(2).
	headerLen = 9
	// MinPacket is the shortest packet: empty payload plus checksum.
	MinPacket = headerLen + 2
)

// Packet identifiers.
const (
	PIDCommand = 0x01
	PIDData    = 0x02
	PIDAck     = 0x07
	PIDEnd     = 0x08
)

// Instruction codes (ZFM-20 §6.4.2, R503 manual).
const (
	InsGenImg      = 0x01
	InsImg2Tz      = 0x02
	InsMatch       = 0x03
	InsSearch      = 0x04
	InsRegModel    = 0x05
	InsStore       = 0x06
	InsLoadChar    = 0x07
	InsUpChar      = 0x08
	InsDownChar    = 0x09
	InsUpImage     = 0x0A
	InsDownImage   = 0x0B
	InsDeleteChar  = 0x0C
	InsEmpty       = 0x0D
	InsSetSysPara  = 0x0E
	InsReadSysPara = 0x0F
	InsSetPwd      = 0x12
	InsVfyPwd      = 0x13
	InsTemplateNum = 0x1D
	InsGetImageEx  = 0x28
	InsAuraLed     = 0x35
	InsCheckSensor = 0x36
	InsGetFwVer    = 0x3A
	InsProdInfo    = 0x3C
	InsSoftReset   = 0x3D
	InsHandShake   = 0x40
)

// Confirmation codes (R503 manual; superset of ZFM-20 §5.2).
const (
	ConfOK            = 0x00
	ConfPacketError   = 0x01
	ConfNoFinger      = 0x02
	ConfImageFail     = 0x03
	ConfTooMessy      = 0x06
	ConfFewFeatures   = 0x07
	ConfUploadFail    = 0x0F
	ConfWrongPassword = 0x13
	ConfNoValidImage  = 0x15
	ConfFlashError    = 0x18
	ConfInvalidReg    = 0x1A
	ConfMustVerify    = 0x21
	ConfTimeout       = 0x26
	ConfSensorError   = 0x29
	ConfUnsupported   = 0xFC
	ConfHardwareError = 0xFD
	ConfFailed        = 0xFE
)

// PowerOnByte is what an R503 sends ~50 ms after power-on and after SoftRst.
const PowerOnByte = 0x55

// Packet is one frame.
type Packet struct {
	Addr    uint32
	PID     byte
	Payload []byte
}

// Checksum is (PID + LEN_hi + LEN_lo + Σpayload) & 0xFFFF, LEN including
// the two checksum bytes.
func Checksum(pid byte, payload []byte) uint16 {
	l := len(payload) + 2
	s := uint16(pid) + uint16(l>>8) + uint16(l&0xFF)
	for _, b := range payload {
		s += uint16(b)
	}
	return s
}

// Append encodes p after dst. It fails if the payload is too long.
func (p Packet) Append(dst []byte) ([]byte, error) {
	if len(p.Payload)+2 > MaxLength {
		return dst, fmt.Errorf("r30x: payload of %d bytes exceeds %d", len(p.Payload), MaxLength-2)
	}
	dst = binary.BigEndian.AppendUint16(dst, Header)
	dst = binary.BigEndian.AppendUint32(dst, p.Addr)
	dst = append(dst, p.PID)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(p.Payload)+2))
	dst = append(dst, p.Payload...)
	return binary.BigEndian.AppendUint16(dst, Checksum(p.PID, p.Payload)), nil
}

// Encode returns the wire bytes of p.
func (p Packet) Encode() ([]byte, error) { return p.Append(nil) }

// Command builds a command packet for the given instruction and parameters.
func Command(addr uint32, ins byte, params ...byte) Packet {
	return Packet{Addr: addr, PID: PIDCommand, Payload: append([]byte{ins}, params...)}
}

// Split is the wire.Splitter for this protocol: it skips bytes until the
// EF 01 header (stray 0x55 at power-on, noise), rejects impossible lengths
// by resynchronising one byte later, and reports bad checksums.
func Split(buf []byte) (skip, n int, err error) {
	i := 0
	for i < len(buf) {
		if buf[i] == 0xEF && (i+1 == len(buf) || buf[i+1] == 0x01) {
			break
		}
		i++
	}
	if i > 0 {
		return i, 0, nil
	}
	if len(buf) < headerLen {
		return 0, 0, nil
	}
	l := int(binary.BigEndian.Uint16(buf[7:9]))
	if l < 2 || l > MaxLength {
		return 1, 0, nil
	}
	if len(buf) < headerLen+l {
		return 0, 0, nil
	}
	n = headerLen + l
	pid := buf[6]
	want := Checksum(pid, buf[headerLen:n-2])
	if got := binary.BigEndian.Uint16(buf[n-2 : n]); got != want {
		return 0, n, device.NewProtocolError("r30x", fmt.Sprintf("bad checksum %04X, want %04X", got, want), buf[:n])
	}
	return 0, n, nil
}

// Decode parses one whole frame (as cut by Split).
func Decode(frame []byte) (Packet, error) {
	skip, n, err := Split(frame)
	if err != nil {
		return Packet{}, err
	}
	if skip != 0 || n != len(frame) {
		return Packet{}, device.NewProtocolError("r30x", "not exactly one frame", frame)
	}
	return Packet{
		Addr:    binary.BigEndian.Uint32(frame[2:6]),
		PID:     frame[6],
		Payload: append([]byte(nil), frame[headerLen:n-2]...),
	}, nil
}

// SysPara is the 16-byte answer of ReadSysPara.
type SysPara struct {
	Status, SystemID, Capacity, Security uint16
	Address                              uint32
	PacketSizeCode, BaudN                uint16
}

// PacketSize returns the data packet payload size (32 << code).
func (s SysPara) PacketSize() int { return 32 << (s.PacketSizeCode & 3) }

// Encode returns the 16-byte form.
func (s SysPara) Encode() []byte {
	b := make([]byte, 0, 16)
	for _, v := range []uint16{s.Status, s.SystemID, s.Capacity, s.Security} {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	b = binary.BigEndian.AppendUint32(b, s.Address)
	b = binary.BigEndian.AppendUint16(b, s.PacketSizeCode)
	return binary.BigEndian.AppendUint16(b, s.BaudN)
}

// ParseSysPara decodes the 16 bytes after the confirmation code.
func ParseSysPara(b []byte) (SysPara, error) {
	if len(b) < 16 {
		return SysPara{}, device.NewProtocolError("r30x", "short system parameters", b)
	}
	u := func(i int) uint16 { return binary.BigEndian.Uint16(b[i:]) }
	return SysPara{Status: u(0), SystemID: u(2), Capacity: u(4), Security: u(6),
		Address: binary.BigEndian.Uint32(b[8:]), PacketSizeCode: u(12), BaudN: u(14)}, nil
}

// ProdInfo is the 46-byte answer of ReadProdInfo (R503; FPM FPMProductInfo).
type ProdInfo struct {
	Model, Batch, Serial, Sensor string
	HWVersion                    uint16
	Width, Height                int
	TemplateSize, DBSize         int
}

func fixed(s string, n int) []byte {
	b := make([]byte, n)
	copy(b, s)
	return b
}

func trim(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// Encode returns the 46-byte form.
func (p ProdInfo) Encode() []byte {
	b := fixed(p.Model, 16)
	b = append(b, fixed(p.Batch, 4)...)
	b = append(b, fixed(p.Serial, 8)...)
	b = binary.BigEndian.AppendUint16(b, p.HWVersion)
	b = append(b, fixed(p.Sensor, 8)...)
	for _, v := range []int{p.Width, p.Height, p.TemplateSize, p.DBSize} {
		b = binary.BigEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// ParseProdInfo decodes the 46 bytes after the confirmation code.
func ParseProdInfo(b []byte) (ProdInfo, error) {
	if len(b) < 46 {
		return ProdInfo{}, device.NewProtocolError("r30x", "short product info", b)
	}
	u := func(i int) int { return int(binary.BigEndian.Uint16(b[i:])) }
	p := ProdInfo{Model: trim(b[0:16]), Batch: trim(b[16:20]), Serial: trim(b[20:28]),
		HWVersion: uint16(u(28)), Sensor: trim(b[30:38]),
		Width: u(38), Height: u(40), TemplateSize: u(42), DBSize: u(44)}
	if p.Width == 0 || p.Height == 0 || p.Width > 1024 || p.Height > 1024 || p.Width%2 != 0 {
		return p, device.NewProtocolError("r30x", fmt.Sprintf("implausible image size %dx%d", p.Width, p.Height), b)
	}
	return p, nil
}

// Pack4 packs an 8-bit image into the UART 4-bit form: high nibble = even
// x, low nibble = odd x (ZFM-20 §4.1.1). Width must be even.
func Pack4(pix []byte) []byte {
	out := make([]byte, len(pix)/2)
	for i := range out {
		out[i] = pix[2*i]&0xF0 | pix[2*i+1]>>4
	}
	return out
}

// Unpack4 expands 4-bit pixels to 8 bit (×17, so 0xF → 0xFF).
func Unpack4(b []byte) []byte {
	out := make([]byte, 2*len(b))
	for i, v := range b {
		out[2*i] = (v >> 4) * 17
		out[2*i+1] = (v & 0x0F) * 17
	}
	return out
}

// Model is the geometry and abilities of one module type.
type Model struct {
	Name        string
	Width       int
	Height      int
	DPI         int
	Capacity    int
	HasProdInfo bool // answers ReadProdInfo (0x3C), HandShake (0x40), CheckSensor (0x36)
	PowerOn55   bool // sends 0x55 after power-on / SoftRst
}

// Models is the per-model table used when the module has no ReadProdInfo.
var Models = map[string]Model{
	"zfm20": {Name: "ZFM-20", Width: 256, Height: 288, DPI: 500, Capacity: 162},
	"r307":  {Name: "R307", Width: 256, Height: 288, DPI: 500, Capacity: 1000},
	"as608": {Name: "AS608", Width: 256, Height: 288, DPI: 500, Capacity: 300},
	"r503":  {Name: "R503", Width: 192, Height: 192, DPI: 508, Capacity: 200, HasProdInfo: true, PowerOn55: true},
}
