// Package v4l2 captures frames from UVC/V4L2 cameras (face cameras, NIR
// iris modules) through the kernel's Video4Linux2 API: VIDIOC_QUERYCAP,
// VIDIOC_S_FMT (GREY or YUYV), memory-mapped buffers (REQBUFS, QUERYBUF,
// QBUF/DQBUF) and STREAMON, with poll(2) honouring the caller's deadline.
// Structures are laid out for 64-bit little-endian Linux (amd64, arm64).
package v4l2

import (
	"encoding/binary"
	"image"
)

// ioctl direction bits and the request encoding of asm-generic/ioctl.h.
const (
	iocWrite = 1
	iocRead  = 2
)

func ioc(dir, nr, size uintptr) uintptr { return dir<<30 | size<<16 | 'V'<<8 | nr }

// Structure sizes on 64-bit Linux.
const (
	sizeCapability = 104
	sizeFormat     = 208
	sizeReqBufs    = 20
	sizeBuffer     = 88
)

// Requests used here (videodev2.h).
var (
	vidiocQueryCap  = ioc(iocRead, 0, sizeCapability)
	vidiocSFmt      = ioc(iocRead|iocWrite, 5, sizeFormat)
	vidiocReqBufs   = ioc(iocRead|iocWrite, 8, sizeReqBufs)
	vidiocQueryBuf  = ioc(iocRead|iocWrite, 9, sizeBuffer)
	vidiocQBuf      = ioc(iocRead|iocWrite, 15, sizeBuffer)
	vidiocDQBuf     = ioc(iocRead|iocWrite, 17, sizeBuffer)
	vidiocStreamOn  = ioc(iocWrite, 18, 4)
	vidiocStreamOff = ioc(iocWrite, 19, 4)
)

// Constants of videodev2.h.
const (
	bufTypeVideoCapture = 1
	memoryMMAP          = 1
	capVideoCapture     = 0x00000001
	capStreaming        = 0x04000000
	fieldNone           = 1
)

// FourCC builds a pixel format code.
func FourCC(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Pixel formats this package converts.
var (
	FormatGrey = FourCC("GREY")
	FormatYUYV = FourCC("YUYV")
)

// capability is struct v4l2_capability.
type capability struct {
	Driver, Card, BusInfo string
	Caps, DeviceCaps      uint32
}

func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

func parseCapability(b []byte) capability {
	return capability{Driver: cstr(b[0:16]), Card: cstr(b[16:48]), BusInfo: cstr(b[48:80]),
		Caps: binary.LittleEndian.Uint32(b[84:]), DeviceCaps: binary.LittleEndian.Uint32(b[88:])}
}

// pixFormat is the v4l2_pix_format part of struct v4l2_format.
type pixFormat struct {
	Width, Height, PixelFormat, Field, BytesPerLine, SizeImage uint32
}

// encodeFormat returns struct v4l2_format for a capture format request:
// type at 0, the union (aligned to 8) at 8.
func encodeFormat(p pixFormat) []byte {
	b := make([]byte, sizeFormat)
	binary.LittleEndian.PutUint32(b[0:], bufTypeVideoCapture)
	for i, v := range []uint32{p.Width, p.Height, p.PixelFormat, p.Field, p.BytesPerLine, p.SizeImage} {
		binary.LittleEndian.PutUint32(b[8+4*i:], v)
	}
	return b
}

func decodeFormat(b []byte) pixFormat {
	u := func(i int) uint32 { return binary.LittleEndian.Uint32(b[8+4*i:]) }
	return pixFormat{u(0), u(1), u(2), u(3), u(4), u(5)}
}

// encodeReqBufs returns struct v4l2_requestbuffers.
func encodeReqBufs(count uint32) []byte {
	b := make([]byte, sizeReqBufs)
	binary.LittleEndian.PutUint32(b[0:], count)
	binary.LittleEndian.PutUint32(b[4:], bufTypeVideoCapture)
	binary.LittleEndian.PutUint32(b[8:], memoryMMAP)
	return b
}

// buffer is the part of struct v4l2_buffer used with MMAP.
type buffer struct {
	Index, BytesUsed, Sequence, Offset, Length uint32
}

// Offsets in struct v4l2_buffer (64-bit): index 0, type 4, bytesused 8,
// flags 12, field 16, timestamp 24, timecode 40, sequence 56, memory 60,
// m.offset 64, length 72.
func encodeBuffer(index uint32) []byte {
	b := make([]byte, sizeBuffer)
	binary.LittleEndian.PutUint32(b[0:], index)
	binary.LittleEndian.PutUint32(b[4:], bufTypeVideoCapture)
	binary.LittleEndian.PutUint32(b[60:], memoryMMAP)
	return b
}

func decodeBuffer(b []byte) buffer {
	u := func(i int) uint32 { return binary.LittleEndian.Uint32(b[i:]) }
	return buffer{Index: u(0), BytesUsed: u(8), Sequence: u(56), Offset: u(64), Length: u(72)}
}

// toGray converts a frame to grey: GREY is copied, YUYV keeps luma.
func toGray(data []byte, f pixFormat) (*image.Gray, bool) {
	w, h := int(f.Width), int(f.Height)
	img := image.NewGray(image.Rect(0, 0, w, h))
	stride := int(f.BytesPerLine)
	switch f.PixelFormat {
	case FormatGrey:
		if stride == 0 {
			stride = w
		}
		if len(data) < stride*(h-1)+w {
			return nil, false
		}
		for y := 0; y < h; y++ {
			copy(img.Pix[y*w:(y+1)*w], data[y*stride:])
		}
	case FormatYUYV:
		if stride == 0 {
			stride = 2 * w
		}
		if len(data) < stride*(h-1)+2*w {
			return nil, false
		}
		for y := 0; y < h; y++ {
			row := data[y*stride:]
			for x := 0; x < w; x++ {
				img.Pix[y*w+x] = row[2*x]
			}
		}
	default:
		return nil, false
	}
	return img, true
}
