//go:build linux && (amd64 || arm64)

package v4l2

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/quality"
)

// Camera is a V4L2 capture device used as a device.FaceCamera. It opens
// lazily and reopens after a disconnect.
type Camera struct {
	path          string
	width, height uint32
	sem           chan struct{}

	mu      sync.Mutex
	fd      int
	cap     capability
	format  pixFormat
	buffers [][]byte
}

var _ device.FaceCamera = (*Camera)(nil)

// Open returns a camera on path (e.g. /dev/video0) asking for w×h frames.
func Open(path string, w, h int) *Camera {
	return &Camera{path: path, width: uint32(w), height: uint32(h), fd: -1, sem: make(chan struct{}, 1)}
}

func ioctl(fd int, req uintptr, b []byte) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(unsafe.Pointer(&b[0])))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

func (c *Camera) mapErr(op string, err error) error {
	switch {
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.ENODEV), errors.Is(err, unix.ENXIO), errors.Is(err, unix.EIO):
		return device.Wrap(device.ErrDisconnected, "v4l2: "+op+" "+c.path, err)
	case errors.Is(err, unix.EBUSY):
		return device.Wrap(device.ErrBusy, "v4l2: "+op+" "+c.path, err)
	}
	return fmt.Errorf("v4l2: %s %s: %w", op, c.path, err)
}

// start opens the device, sets the format, maps buffers and starts streaming.
func (c *Camera) start() error {
	if c.fd >= 0 {
		return nil
	}
	fd, err := unix.Open(c.path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return c.mapErr("open", err)
	}
	c.fd = fd
	if err := c.setup(); err != nil {
		c.stop()
		return err
	}
	return nil
}

func (c *Camera) setup() error {
	b := make([]byte, sizeCapability)
	if err := ioctl(c.fd, vidiocQueryCap, b); err != nil {
		return c.mapErr("VIDIOC_QUERYCAP", err)
	}
	c.cap = parseCapability(b)
	caps := c.cap.Caps
	if c.cap.DeviceCaps != 0 {
		caps = c.cap.DeviceCaps
	}
	if caps&capVideoCapture == 0 || caps&capStreaming == 0 {
		return device.Errorf(device.ErrUnsupported, "v4l2: "+c.path, "not a streaming capture device (caps %#x)", caps)
	}
	var set bool
	for _, pf := range []uint32{FormatGrey, FormatYUYV} {
		f := encodeFormat(pixFormat{Width: c.width, Height: c.height, PixelFormat: pf, Field: fieldNone})
		if err := ioctl(c.fd, vidiocSFmt, f); err != nil {
			continue
		}
		if got := decodeFormat(f); got.PixelFormat == pf {
			c.format, set = got, true
			break
		}
	}
	if !set {
		return device.Errorf(device.ErrUnsupported, "v4l2: "+c.path, "neither GREY nor YUYV offered")
	}
	rb := encodeReqBufs(4)
	if err := ioctl(c.fd, vidiocReqBufs, rb); err != nil {
		return c.mapErr("VIDIOC_REQBUFS", err)
	}
	n := binaryCount(rb)
	for i := uint32(0); i < n; i++ {
		qb := encodeBuffer(i)
		if err := ioctl(c.fd, vidiocQueryBuf, qb); err != nil {
			return c.mapErr("VIDIOC_QUERYBUF", err)
		}
		info := decodeBuffer(qb)
		m, err := unix.Mmap(c.fd, int64(info.Offset), int(info.Length), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return c.mapErr("mmap", err)
		}
		c.buffers = append(c.buffers, m)
		if err := ioctl(c.fd, vidiocQBuf, encodeBuffer(i)); err != nil {
			return c.mapErr("VIDIOC_QBUF", err)
		}
	}
	t := []byte{bufTypeVideoCapture, 0, 0, 0}
	if err := ioctl(c.fd, vidiocStreamOn, t); err != nil {
		return c.mapErr("VIDIOC_STREAMON", err)
	}
	return nil
}

func binaryCount(rb []byte) uint32 {
	return uint32(rb[0]) | uint32(rb[1])<<8 | uint32(rb[2])<<16 | uint32(rb[3])<<24
}

// stop ends streaming and releases everything.
func (c *Camera) stop() {
	if c.fd < 0 {
		return
	}
	_ = ioctl(c.fd, vidiocStreamOff, []byte{bufTypeVideoCapture, 0, 0, 0})
	for _, m := range c.buffers {
		_ = unix.Munmap(m)
	}
	c.buffers = nil
	_ = unix.Close(c.fd)
	c.fd = -1
}

// grab waits (poll, bounded by ctx) for one frame and converts it.
func (c *Camera) grab(ctx context.Context) (*image.Gray, error) {
	for {
		ms := 1000
		if dl, ok := ctx.Deadline(); ok {
			ms = int(time.Until(dl).Milliseconds())
			if ms <= 0 {
				return nil, device.Wrap(device.ErrTimeout, "v4l2: frame "+c.path, ctx.Err())
			}
		}
		if ctx.Err() != nil {
			return nil, device.Wrap(device.ErrCancelled, "v4l2: frame", ctx.Err())
		}
		fds := []unix.PollFd{{Fd: int32(c.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, min(ms, 100))
		if err == unix.EINTR || n == 0 {
			continue
		}
		if err != nil {
			return nil, c.mapErr("poll", err)
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0 {
			return nil, device.Errorf(device.ErrDisconnected, "v4l2: "+c.path, "device went away")
		}
		qb := encodeBuffer(0)
		if err := ioctl(c.fd, vidiocDQBuf, qb); err != nil {
			if errors.Is(err, unix.EAGAIN) {
				continue
			}
			return nil, c.mapErr("VIDIOC_DQBUF", err)
		}
		b := decodeBuffer(qb)
		if int(b.Index) >= len(c.buffers) {
			return nil, device.Errorf(device.ErrProtocol, "v4l2: "+c.path, "buffer index %d of %d", b.Index, len(c.buffers))
		}
		data := c.buffers[b.Index][:min(int(b.BytesUsed), len(c.buffers[b.Index]))]
		img, ok := toGray(data, c.format)
		if err := ioctl(c.fd, vidiocQBuf, encodeBuffer(b.Index)); err != nil {
			return nil, c.mapErr("VIDIOC_QBUF", err)
		}
		if !ok {
			return nil, device.Errorf(device.ErrProtocol, "v4l2: "+c.path, "short frame (%d bytes)", len(data))
		}
		return img, nil
	}
}

func (c *Camera) run(ctx context.Context, op string, f func() error) error {
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	default:
		return device.Errorf(device.ErrBusy, "v4l2: "+op, "another operation is running")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.start(); err != nil {
		return err
	}
	err := f()
	if errors.Is(err, device.ErrDisconnected) {
		c.stop()
	}
	return err
}

// Capture grabs one frame; quality is the device/quality proxy.
func (c *Camera) Capture(ctx context.Context, req device.FaceRequest) (*device.FaceCapture, error) {
	var out *device.FaceCapture
	err := c.run(ctx, "capture", func() error {
		img, err := c.grab(ctx)
		if err != nil {
			return err
		}
		q := quality.Assess(img).Score
		out = &device.FaceCapture{Image: img, Quality: q}
		if q < req.MinQuality {
			return &device.QualityError{Op: "v4l2: capture", Reason: device.ReasonLow, Quality: q, Want: req.MinQuality}
		}
		return nil
	})
	return out, err
}

// Preview streams frames until ctx ends.
func (c *Camera) Preview(ctx context.Context, each func(device.Frame) error) error {
	return c.run(ctx, "preview", func() error {
		for seq := 1; ctx.Err() == nil; seq++ {
			img, err := c.grab(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			if err := each(device.Frame{Seq: seq, Time: time.Now(), Image: img}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Info reports the driver and card names from VIDIOC_QUERYCAP.
func (c *Camera) Info(ctx context.Context) (device.Info, error) {
	var info device.Info
	err := c.run(ctx, "info", func() error {
		info = device.Info{Kind: device.KindFace, Driver: "v4l2", Vendor: c.cap.Driver, Model: c.cap.Card,
			Serial: c.cap.BusInfo, Firmware: fmt.Sprintf("%dx%d %s", c.format.Width, c.format.Height, fourccString(c.format.PixelFormat)),
			Transport: "v4l2", Path: c.path}
		return nil
	})
	return info, err
}

// SelfTest grabs a frame and checks it is not flat.
func (c *Camera) SelfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := c.run(ctx, "selftest", func() error {
		t0 := time.Now()
		img, err := c.grab(ctx)
		if err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("frame", true, fmt.Sprintf("%v in %s", img.Bounds().Size(), h.RTT.Round(time.Millisecond)))
		a := quality.Assess(img)
		h.Add("picture", a.Contrast > 0, fmt.Sprintf("mean %.0f, contrast %.1f", a.Mean, a.Contrast))
		return nil
	})
	return h, err
}

// Close stops streaming and closes the device.
func (c *Camera) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stop()
	return nil
}

func fourccString(v uint32) string {
	return string([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)})
}
