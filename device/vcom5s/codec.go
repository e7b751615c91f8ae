// Package vcom5s drives USB fingerprint readers speaking the Veridicom
// 5thSense protocol as libfprint's vcom5s driver documents it: vendor
// control writes set sensor registers, a vendor control read starts a scan,
// and the 8-bit image arrives in fixed-size bulk IN transfers. The codec
// (transfer plan, image assembly, finger detection) is shared with the
// simulator; the driver implements device.FingerScanner over
// transport.USBDevice (gousb on real hardware and under umockdev).
package vcom5s

import (
	"encoding/binary"
	"fmt"
	"image"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Protocol constants (libfprint drivers/vcom5s.c).
const (
	RegContrast = 0x02
	RegGain     = 0x03
	CmdScan     = 0xC1
	EPImage     = 0x81 // bulk IN
	// ContrastValue and GainValue are what libfprint writes before a scan.
	ContrastValue = 0x01
	GainValue     = 0x29
)

// Model is one reader's identity and image geometry.
type Model struct {
	Name     string
	VID, PID uint16
	Width    int
	Height   int
	Chunk    int // bytes per bulk IN transfer
	DPI      int
	Slap     bool // can take a four-finger slap
	// Box is the finger-detection square (libfprint: 64×64 at (117,111),
	// finger present when its mean grey is at most 100).
	Box image.Rectangle
}

// Chunks is the number of bulk transfers of one image.
func (m Model) Chunks() int { return m.Width * m.Height / m.Chunk }

// Models: the Veridicom 5thSense, and a simulation-only slap variant of the
// same protocol (pid.codes test VID 0x1209) so slap handling can be tested
// without a vendor SDK.
var Models = []Model{
	{Name: "Veridicom 5thSense", VID: 0x061A, PID: 0x0110, Width: 300, Height: 288, Chunk: 3600, DPI: 500,
		Box: image.Rect(117, 111, 117+64, 111+64)},
	{Name: "Rekam simulated slap (vcom5s protocol)", VID: 0x1209, PID: 0x5CA9, Width: 960, Height: 440, Chunk: 4224, DPI: 500, Slap: true,
		Box: image.Rect(448, 188, 512, 252)},
}

// ModelFor finds the model of vid:pid.
func ModelFor(vid, pid uint16) (Model, bool) {
	for _, m := range Models {
		if m.VID == vid && m.PID == pid {
			return m, true
		}
	}
	return Model{}, false
}

// Setup is a control transfer's 8-byte setup packet.
type Setup struct {
	RequestType, Request byte
	Value, Index, Length uint16
}

// Bytes returns the setup packet as on the wire (little-endian), the form
// umockdev ioctl scripts carry.
func (s Setup) Bytes() []byte {
	b := []byte{s.RequestType, s.Request}
	b = binary.LittleEndian.AppendUint16(b, s.Value)
	b = binary.LittleEndian.AppendUint16(b, s.Index)
	return binary.LittleEndian.AppendUint16(b, s.Length)
}

// ParseSetup decodes an 8-byte setup packet.
func ParseSetup(b []byte) (Setup, error) {
	if len(b) != 8 {
		return Setup{}, device.NewProtocolError("vcom5s", fmt.Sprintf("setup of %d bytes", len(b)), b)
	}
	return Setup{b[0], b[1], binary.LittleEndian.Uint16(b[2:]), binary.LittleEndian.Uint16(b[4:]), binary.LittleEndian.Uint16(b[6:])}, nil
}

// ScanSetups is the control sequence of one scan: two register writes,
// then the scan command.
func ScanSetups() []Setup {
	return []Setup{
		{RequestType: transport.ReqVendorOut, Request: RegContrast, Value: ContrastValue},
		{RequestType: transport.ReqVendorOut, Request: RegGain, Value: GainValue},
		{RequestType: transport.ReqVendorIn, Request: CmdScan},
	}
}

// Assembler collects the bulk chunks of one image.
type Assembler struct {
	m   Model
	pix []byte
}

// NewAssembler starts an image of model m.
func NewAssembler(m Model) *Assembler {
	return &Assembler{m: m, pix: make([]byte, 0, m.Width*m.Height)}
}

// Add appends one bulk transfer; every transfer must be exactly one chunk.
func (a *Assembler) Add(b []byte) error {
	if len(b) != a.m.Chunk {
		return device.NewProtocolError("vcom5s", fmt.Sprintf("bulk transfer of %d bytes, want %d", len(b), a.m.Chunk), b)
	}
	if len(a.pix)+len(b) > cap(a.pix) {
		return device.NewProtocolError("vcom5s", "more image data than the sensor has", b)
	}
	a.pix = append(a.pix, b...)
	return nil
}

// Done reports whether the image is complete.
func (a *Assembler) Done() bool { return len(a.pix) == a.m.Width*a.m.Height }

// Image returns the assembled image (nil until Done).
func (a *Assembler) Image() *image.Gray {
	if !a.Done() {
		return nil
	}
	return &image.Gray{Pix: a.pix, Stride: a.m.Width, Rect: image.Rect(0, 0, a.m.Width, a.m.Height)}
}

// FingerPresent applies libfprint's test — mean grey of the detection box
// at most 100 — extended with a texture test (box standard deviation at
// least 14) so light, dry fingers with visible ridges count as present.
func FingerPresent(m Model, img *image.Gray) bool {
	var s, ss, n float64
	for y := m.Box.Min.Y; y < m.Box.Max.Y; y++ {
		for x := m.Box.Min.X; x < m.Box.Max.X; x++ {
			v := float64(img.GrayAt(x, y).Y)
			s += v
			ss += v * v
			n++
		}
	}
	if n == 0 {
		return false
	}
	mean := s / n
	return mean <= 100 || ss/n-mean*mean >= 14*14
}

// Blank reports a dead sensor: the whole frame one grey level.
func Blank(img *image.Gray) bool {
	for _, v := range img.Pix {
		if v != img.Pix[0] {
			return false
		}
	}
	return true
}
