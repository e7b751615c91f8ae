package iddk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/wire"
)

// Config tunes a camera driver.
type Config struct {
	Call time.Duration // per-call answer timeout (default 2 s)
	Poll time.Duration // capture status polling interval (default 30 ms)
}

// camera is the protocol client shared by the iris and face drivers.
type camera struct {
	cfg  Config
	path string
	kind device.Kind
	link *wire.Link
	id   int
	w, h int
	info Response
}

func newCamera(open func() (transport.Port, error), path string, kind device.Kind, cfg Config) *camera {
	if cfg.Call == 0 {
		cfg.Call = 2 * time.Second
	}
	if cfg.Poll == 0 {
		cfg.Poll = 30 * time.Millisecond
	}
	c := &camera{cfg: cfg, path: path, kind: kind}
	c.link = wire.NewLink("iddk", func() (wire.Port, error) { return open() }, Split, c.init)
	return c
}

// init identifies the helper's camera and initialises it.
func (c *camera) init(ctx context.Context) error {
	r, err := c.call(ctx, Request{Op: OpDeviceInfo})
	if err != nil {
		return err
	}
	if r.Kind != string(c.kind) {
		return device.Errorf(device.ErrUnsupported, "iddk", "helper serves a %q camera, not %q", r.Kind, c.kind)
	}
	c.info = r
	r, err = c.call(ctx, Request{Op: OpInitCamera})
	if err != nil {
		return err
	}
	c.w, c.h = r.Width, r.Height
	return nil
}

// call sends req and waits for the response with its ID.
func (c *camera) call(ctx context.Context, req Request) (Response, error) {
	c.id++
	req.ID = c.id
	line, err := Encode(req)
	if err != nil {
		return Response{}, err
	}
	op := "iddk: " + req.Op
	if err := c.link.Send(line); err != nil {
		return Response{}, fmt.Errorf("%s: %w", op, err)
	}
	for {
		b, err := c.link.Next(ctx, c.cfg.Call)
		if err != nil {
			return Response{}, fmt.Errorf("%s: %w", op, err)
		}
		r, err := DecodeResponse(b)
		if err != nil {
			return Response{}, err
		}
		if r.ID != req.ID {
			continue // a late answer to an earlier call
		}
		if r.Error != "" {
			return r, &device.Error{Kind: ErrorKind(r.Error), Op: op, Code: -1, Detail: r.Error}
		}
		return r, nil
	}
}

// decodeImage decodes a PNG result or stream image.
func decodeImage(b []byte) (image.Image, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, device.NewProtocolError("iddk", "bad PNG image: "+err.Error(), b)
	}
	return img, nil
}

func gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}

// capture runs the IDDK capture state machine: start, poll status (with
// preview frames to each, if not nil) until COMPLETE or ABORT.
func (c *camera) capture(ctx context.Context, eye string, each func(device.Frame) error) error {
	if _, err := c.call(ctx, Request{Op: OpStartCapture, Eye: eye}); err != nil {
		return err
	}
	stop := func() {
		sc, cancel := context.WithTimeout(context.Background(), c.cfg.Call)
		defer cancel()
		_, _ = c.call(sc, Request{Op: OpStopCapture})
	}
	for seq := 1; ; seq++ {
		r, err := c.call(ctx, Request{Op: OpCaptureStatus})
		if err != nil {
			if ctx.Err() != nil && !errors.Is(err, device.ErrDisconnected) {
				stop()
			}
			return err
		}
		switch r.Status {
		case StatusComplete:
			return nil
		case StatusAbort:
			return device.Errorf(device.ErrCancelled, "iddk: capture", "aborted by the camera")
		case StatusCapturing, StatusReady:
			if each != nil {
				s, err := c.call(ctx, Request{Op: OpStreamImage})
				if err != nil {
					return err
				}
				img, err := decodeImage(s.Image)
				if err != nil {
					return err
				}
				if err := each(device.Frame{Seq: seq, Time: time.Now(), Image: img}); err != nil {
					stop()
					return err
				}
			}
		}
		select {
		case <-ctx.Done():
			stop()
			return device.Wrap(device.ErrTimeout, "iddk: capture", ctx.Err())
		case <-time.After(c.cfg.Poll):
		}
	}
}

// preview streams frames of a capture until it completes or ctx ends
// (which is not an error).
func (c *camera) preview(ctx context.Context, eye string, each func(device.Frame) error) error {
	err := c.link.Run(ctx, "preview", func() error { return c.capture(ctx, eye, each) })
	if ctx.Err() != nil && !errors.Is(err, device.ErrDisconnected) {
		return nil
	}
	return err
}

func (c *camera) deviceInfo(ctx context.Context, driver string) (device.Info, error) {
	var info device.Info
	err := c.link.Run(ctx, "info", func() error {
		info = device.Info{Kind: c.kind, Driver: driver, Vendor: "IriTech-style helper", Model: c.info.Model,
			Serial: c.info.Serial, Firmware: c.info.Firmware, Transport: "helper", Path: c.path}
		return nil
	})
	return info, err
}

func (c *camera) selfTest(ctx context.Context) (device.Health, error) {
	var h device.Health
	err := c.link.Run(ctx, "selftest", func() error {
		t0 := time.Now()
		r, err := c.call(ctx, Request{Op: OpCaptureStatus})
		if err != nil {
			return err
		}
		h.RTT = time.Since(t0)
		h.Add("link", true, fmt.Sprintf("status %d in %s", r.Status, h.RTT.Round(time.Microsecond)))
		h.Add("camera", c.w > 0 && c.h > 0, fmt.Sprintf("%dx%d", c.w, c.h))
		return nil
	})
	return h, err
}

// IrisDriver is a device.IrisCamera over the helper protocol.
type IrisDriver struct{ c *camera }

var _ device.IrisCamera = (*IrisDriver)(nil)

// NewIris returns an iris camera driver; open connects to the helper.
func NewIris(open func() (transport.Port, error), path string, cfg Config) *IrisDriver {
	return &IrisDriver{c: newCamera(open, path, device.KindIris, cfg)}
}

func eyeName(e device.Eye) string {
	return map[device.Eye]string{device.EyeBoth: "both", device.EyeLeft: "left", device.EyeRight: "right"}[e]
}

// Capture captures one or both irises and their quality.
func (d *IrisDriver) Capture(ctx context.Context, req device.IrisRequest) (*device.IrisCapture, error) {
	out := &device.IrisCapture{}
	err := d.c.link.Run(ctx, "capture", func() error {
		if err := d.c.capture(ctx, eyeName(req.Eyes), nil); err != nil {
			return err
		}
		for _, eye := range []device.Eye{device.EyeLeft, device.EyeRight} {
			if req.Eyes != device.EyeBoth && req.Eyes != eye {
				continue
			}
			r, err := d.c.call(ctx, Request{Op: OpResultImage, Eye: eyeName(eye)})
			if err != nil {
				return err
			}
			img, err := decodeImage(r.Image)
			if err != nil {
				return err
			}
			q, err := d.c.call(ctx, Request{Op: OpResultQuality, Eye: eyeName(eye)})
			if err != nil {
				return err
			}
			ii := &device.IrisImage{Eye: eye, Image: gray(img), Quality: q.Score, UsableArea: q.UsableArea}
			if eye == device.EyeLeft {
				out.Left = ii
			} else {
				out.Right = ii
			}
			if q.Score < req.MinQuality {
				return &device.QualityError{Op: "iddk: iris " + eyeName(eye), Reason: device.ReasonLow, Quality: q.Score, Want: req.MinQuality}
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, device.ErrPoorQuality) {
		return nil, err
	}
	return out, err
}

// Preview streams the camera's preview frames while a capture runs.
func (d *IrisDriver) Preview(ctx context.Context, each func(device.Frame) error) error {
	return d.c.preview(ctx, "both", each)
}

// Info identifies the camera.
func (d *IrisDriver) Info(ctx context.Context) (device.Info, error) {
	return d.c.deviceInfo(ctx, "iddk-iris")
}

// SelfTest checks the helper answers and the camera is initialised.
func (d *IrisDriver) SelfTest(ctx context.Context) (device.Health, error) { return d.c.selfTest(ctx) }

// Close disconnects from the helper.
func (d *IrisDriver) Close() error { return d.c.link.Close() }

// FaceDriver is a device.FaceCamera over the helper protocol.
type FaceDriver struct{ c *camera }

var _ device.FaceCamera = (*FaceDriver)(nil)

// NewFace returns a face camera driver.
func NewFace(open func() (transport.Port, error), path string, cfg Config) *FaceDriver {
	return &FaceDriver{c: newCamera(open, path, device.KindFace, cfg)}
}

// Capture takes one face photo.
func (d *FaceDriver) Capture(ctx context.Context, req device.FaceRequest) (*device.FaceCapture, error) {
	var out *device.FaceCapture
	err := d.c.link.Run(ctx, "capture", func() error {
		if err := d.c.capture(ctx, "face", nil); err != nil {
			return err
		}
		r, err := d.c.call(ctx, Request{Op: OpResultImage, Eye: "face"})
		if err != nil {
			return err
		}
		img, err := decodeImage(r.Image)
		if err != nil {
			return err
		}
		q, err := d.c.call(ctx, Request{Op: OpResultQuality, Eye: "face"})
		if err != nil {
			return err
		}
		out = &device.FaceCapture{Image: img, Quality: q.Score}
		if q.Score < req.MinQuality {
			return &device.QualityError{Op: "iddk: face", Reason: device.ReasonLow, Quality: q.Score, Want: req.MinQuality}
		}
		return nil
	})
	if err != nil && !errors.Is(err, device.ErrPoorQuality) {
		return nil, err
	}
	return out, err
}

// Preview streams preview frames while a capture runs.
func (d *FaceDriver) Preview(ctx context.Context, each func(device.Frame) error) error {
	return d.c.preview(ctx, "face", each)
}

// Info identifies the camera.
func (d *FaceDriver) Info(ctx context.Context) (device.Info, error) {
	return d.c.deviceInfo(ctx, "iddk-face")
}

// SelfTest checks the helper answers and the camera is initialised.
func (d *FaceDriver) SelfTest(ctx context.Context) (device.Health, error) { return d.c.selfTest(ctx) }

// Close disconnects from the helper.
func (d *FaceDriver) Close() error { return d.c.link.Close() }
