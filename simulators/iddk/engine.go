// Package iddk simulates a camera helper (iris or face) speaking the
// device/iddk protocol, with the IDDK capture state machine: start →
// READY → CAPTURING → COMPLETE (or ABORT), and scripted faults.
package iddk

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"sync"

	"github.com/rekam-ktp/rekam/device"
	proto "github.com/rekam-ktp/rekam/device/iddk"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
)

// Options configure the simulated camera.
type Options struct {
	Kind     device.Kind // KindIris or KindFace
	Source   biosrc.Source
	Identity uint64
	// Polls is how many status polls each capture phase lasts (default 2).
	Polls int
}

// Engine is the helper side of one camera.
type Engine struct {
	opt    Options
	Faults fault.Set

	mu         sync.Mutex
	status     int
	polls      int
	impression int
	lowQuality bool
	results    map[string][]byte // PNG per eye ("left", "right") or "face"
	preview    []byte            // PNG of the preview frame (made once)
}

// New returns an engine.
func New(opt Options) *Engine {
	if opt.Source == nil {
		opt.Source = biosrc.Pattern{}
	}
	if opt.Polls == 0 {
		opt.Polls = 2
	}
	return &Engine{opt: opt, results: map[string][]byte{}}
}

// PowerOn resets the state machine.
func (e *Engine) PowerOn(c host.Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = proto.StatusIdle
}

// Serve answers requests until the link closes.
func (e *Engine) Serve(ctx context.Context, c host.Conn) error {
	return host.ServeFrames(ctx, c, proto.Split, "iddk-sim", nil, func(line []byte) error {
		req, err := proto.DecodeRequest(line)
		if err != nil {
			return e.send(c, proto.Response{Error: proto.ErrInvalidParam})
		}
		if e.Faults.Take(fault.Timeout) {
			return nil
		}
		resp, err := e.handle(req)
		if err != nil {
			return err
		}
		resp.ID = req.ID
		return e.send(c, resp)
	})
}

func (e *Engine) send(c host.Conn, r proto.Response) error {
	b, err := proto.Encode(r)
	if err != nil {
		return err
	}
	if e.Faults.Take(fault.BadChecksum) {
		b[len(b)/2] = 0xFF // corrupted line: not JSON any more
	}
	if e.Faults.Take(fault.Truncated) {
		b = b[:len(b)/2]
	}
	_, err = c.Write(b)
	return err
}

func pngBytes(img image.Image) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func (e *Engine) frame(eye string, imp int) image.Image {
	if e.opt.Kind == device.KindFace {
		return e.opt.Source.Face(e.opt.Identity, imp)
	}
	n := 0
	if eye == "left" {
		n = 1
	}
	return e.opt.Source.Iris(e.opt.Identity, n, imp)
}

func (e *Engine) handle(req proto.Request) (proto.Response, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch req.Op {
	case proto.OpDeviceInfo:
		model := "IriShield-USB MK2120U (simulated)"
		if e.opt.Kind == device.KindFace {
			model = "Face camera (simulated)"
		}
		return proto.Response{Kind: string(e.opt.Kind), Model: model, Serial: "SIM-CAM-0001", Firmware: "sim 1.0"}, nil
	case proto.OpInitCamera:
		if e.opt.Kind == device.KindFace {
			return proto.Response{Width: 480, Height: 640}, nil
		}
		return proto.Response{Width: 640, Height: 480}, nil
	case proto.OpStartCapture:
		if e.Faults.Take(fault.Busy) {
			return proto.Response{Error: proto.ErrDevBusy}, nil
		}
		if e.Faults.Take(fault.SensorFault) {
			return proto.Response{Error: proto.ErrIOFailed}, nil
		}
		e.status, e.polls = proto.StatusReady, e.opt.Polls
		e.lowQuality = e.Faults.Take(fault.LowQuality) || e.Faults.Take(fault.Wet) || e.Faults.Take(fault.Dry)
		e.results = map[string][]byte{}
		return proto.Response{}, nil
	case proto.OpCaptureStatus:
		if e.status == proto.StatusCapturing && e.Faults.Take(fault.Unplug) {
			return proto.Response{}, host.ErrUnplug
		}
		if e.status == proto.StatusReady || e.status == proto.StatusCapturing {
			if e.polls--; e.polls <= 0 {
				e.polls = e.opt.Polls
				e.status++
				if e.status == proto.StatusComplete {
					if e.lowQuality {
						e.status = proto.StatusIdle
						return proto.Response{Error: proto.ErrNoQualifiedFrame}, nil
					}
					e.impression++
					eyes := []string{"left", "right"}
					if e.opt.Kind == device.KindFace {
						eyes = []string{"face"}
					}
					for _, eye := range eyes {
						e.results[eye] = pngBytes(e.frame(eye, e.impression))
					}
				}
			}
		}
		return proto.Response{Status: e.status}, nil
	case proto.OpStreamImage:
		if e.preview == nil {
			e.preview = pngBytes(e.frame("right", 0))
		}
		return proto.Response{Image: e.preview}, nil
	case proto.OpResultImage:
		img, ok := e.results[req.Eye]
		if !ok || e.status != proto.StatusComplete {
			return proto.Response{Error: proto.ErrInvalidParam}, nil
		}
		return proto.Response{Image: img}, nil
	case proto.OpResultQuality:
		if e.status != proto.StatusComplete {
			return proto.Response{Error: proto.ErrInvalidParam}, nil
		}
		return proto.Response{Score: 80 + e.impression%10, UsableArea: 90}, nil
	case proto.OpStopCapture:
		if e.status != proto.StatusComplete {
			e.status = proto.StatusIdle
		}
		return proto.Response{}, nil
	}
	return proto.Response{Error: proto.ErrInvalidParam}, nil
}
