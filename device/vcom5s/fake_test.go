package vcom5s_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simtest"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	sim "github.com/rekam-ktp/rekam/simulators/vcom5s"
)

type rig struct {
	eng *sim.Engine
	dev *usbfake.Device
	drv *vcom5s.Driver
}

func newRig(t *testing.T, m vcom5s.Model) *rig {
	bus := &usbfake.Bus{}
	eng := sim.New(m, 11, nil)
	dev := bus.Attach(m.VID, m.PID, "1-3", eng)
	drv := vcom5s.New(bus, m, "", vcom5s.Config{Transfer: 500 * time.Millisecond, Poll: time.Millisecond})
	t.Cleanup(func() { drv.Close() })
	return &rig{eng, dev, drv}
}

func TestCaptureOnFakeBus(t *testing.T) {
	r := newRig(t, vcom5s.Models[0])
	c, _, err := simtest.Capture(r.drv, simtest.Single, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Image.Pix, r.eng.Last()) || c.Image.Bounds().Dx() != 300 {
		t.Fatal("image differs from the device's")
	}
	info, err := r.drv.Info(context.Background())
	if err != nil || info.Transport != "usb" || info.Kind != device.KindFinger {
		t.Fatalf("%+v %v", info, err)
	}
	if h, err := r.drv.SelfTest(context.Background()); err != nil || !h.OK {
		t.Fatalf("%+v %v", h, err)
	}
	if _, _, err := simtest.Capture(r.drv, device.FingerRequest{Position: device.LeftFour}, time.Second); !errors.Is(err, device.ErrUnsupported) {
		t.Fatalf("slap on a single sensor: %v", err)
	}
}

func TestEveryFaultOnFakeBus(t *testing.T) {
	slap := device.FingerRequest{Position: device.RightFour, MinQuality: 40}
	cases := append([]simtest.FaultCase{}, simtest.SerialFingerFaults...)
	cases = append(cases, simtest.FaultCase{Fault: fault.FingerCount, Want: device.ErrPoorQuality, Reason: device.ReasonFingerCount, Req: &slap})
	simtest.Faults(t, func(t *testing.T) simtest.Rig {
		m := vcom5s.Models[0]
		if strings.HasSuffix(t.Name(), "/"+string(fault.FingerCount)) {
			m = vcom5s.Models[1] // the slap reader
		}
		r := newRig(t, m)
		return simtest.Rig{Scanner: r.drv, Inject: func(k fault.Kind) { r.eng.Faults.Inject(k, 1) },
			Replug: func() error { r.dev.Replug(); return nil }, Plugged: r.dev.Plugged}
	}, cases, 3*time.Second)
}

func TestSlapCapture(t *testing.T) {
	r := newRig(t, vcom5s.Models[1])
	c, _, err := simtest.Capture(r.drv, device.FingerRequest{Position: device.LeftFour, MinQuality: 40}, 5*time.Second)
	if err != nil || c.Fingers != 4 {
		t.Fatalf("slap: %v (%+v)", err, c)
	}
}

func TestUnplugDuringPreviewThenCapture(t *testing.T) {
	r := newRig(t, vcom5s.Models[0])
	frames := 0
	err := r.drv.Preview(context.Background(), func(f device.Frame) error {
		if frames++; frames == 2 {
			r.dev.Unplug()
		}
		return nil
	})
	if !errors.Is(err, device.ErrDisconnected) || frames != 2 {
		t.Fatalf("preview after unplug: %d frames, %v", frames, err)
	}
	r.dev.Replug()
	if _, _, err := simtest.Capture(r.drv, simtest.Single, 3*time.Second); err != nil {
		t.Fatalf("capture after replug: %v", err)
	}
}

func TestNoFinger(t *testing.T) {
	r := newRig(t, vcom5s.Models[0])
	r.eng.Finger().Set(false)
	_, took, err := simtest.Capture(r.drv, simtest.Single, 300*time.Millisecond)
	if !errors.Is(err, device.ErrNoFinger) || took > time.Second {
		t.Fatalf("%v after %s", err, took)
	}
}

// TestNoCallOutlivesItsDeadline: a reader whose bulk endpoint never answers.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	r := newRig(t, vcom5s.Models[0])
	r.eng.Faults.Inject(fault.Timeout, 1000)
	simtest.Deadlines(t, r.drv)
}
