package v4l2

import (
	"bytes"
	"testing"
)

// TestIoctlNumbers checks the request codes against videodev2.h on 64-bit
// Linux (values as printed by the kernel headers).
func TestIoctlNumbers(t *testing.T) {
	tests := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"VIDIOC_QUERYCAP", vidiocQueryCap, 0x80685600},
		{"VIDIOC_S_FMT", vidiocSFmt, 0xC0D05605},
		{"VIDIOC_REQBUFS", vidiocReqBufs, 0xC0145608},
		{"VIDIOC_QUERYBUF", vidiocQueryBuf, 0xC0585609},
		{"VIDIOC_QBUF", vidiocQBuf, 0xC058560F},
		{"VIDIOC_DQBUF", vidiocDQBuf, 0xC0585611},
		{"VIDIOC_STREAMON", vidiocStreamOn, 0x40045612},
		{"VIDIOC_STREAMOFF", vidiocStreamOff, 0x40045613},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
	if FormatGrey != 0x59455247 || FormatYUYV != 0x56595559 {
		t.Fatalf("fourcc %#x %#x", FormatGrey, FormatYUYV)
	}
}

func TestStructLayouts(t *testing.T) {
	f := encodeFormat(pixFormat{Width: 640, Height: 480, PixelFormat: FormatYUYV, Field: fieldNone})
	if len(f) != 208 || f[0] != 1 || f[8] != 0x80 || f[9] != 0x02 || !bytes.Equal(f[16:20], []byte("YUYV")) {
		t.Fatalf("v4l2_format % X", f[:24])
	}
	if p := decodeFormat(f); p.Width != 640 || p.Height != 480 || p.PixelFormat != FormatYUYV {
		t.Fatalf("%+v", p)
	}
	b := encodeBuffer(3)
	b[8], b[64], b[72] = 0x10, 0x20, 0x30
	if got := decodeBuffer(b); got != (buffer{Index: 3, BytesUsed: 0x10, Offset: 0x20, Length: 0x30}) || b[60] != memoryMMAP {
		t.Fatalf("%+v", got)
	}
	cb := make([]byte, sizeCapability)
	copy(cb, "uvcvideo")
	copy(cb[16:], "Face Cam")
	cb[84], cb[87] = 0x01, 0x04
	if c := parseCapability(cb); c.Driver != "uvcvideo" || c.Card != "Face Cam" || c.Caps != capVideoCapture|capStreaming {
		t.Fatalf("%+v", c)
	}
}

func TestToGray(t *testing.T) {
	yuyv := []byte{10, 128, 20, 128, 30, 128, 40, 128}
	img, ok := toGray(yuyv, pixFormat{Width: 2, Height: 2, PixelFormat: FormatYUYV, BytesPerLine: 4})
	if !ok || !bytes.Equal(img.Pix, []byte{10, 20, 30, 40}) {
		t.Fatalf("%v %v", img, ok)
	}
	if _, ok := toGray(yuyv[:5], pixFormat{Width: 2, Height: 2, PixelFormat: FormatYUYV}); ok {
		t.Fatal("short frame accepted")
	}
	if _, ok := toGray(yuyv, pixFormat{Width: 2, Height: 2, PixelFormat: FourCC("MJPG")}); ok {
		t.Fatal("unknown format accepted")
	}
}

func FuzzToGray(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint16(2), uint16(1), true)
	f.Fuzz(func(t *testing.T, data []byte, w, h uint16, yuyv bool) {
		pf := FormatGrey
		if yuyv {
			pf = FormatYUYV
		}
		_, _ = toGray(data, pixFormat{Width: uint32(w % 512), Height: uint32(h % 512), PixelFormat: pf})
	})
}
