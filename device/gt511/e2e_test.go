package gt511_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/gt511"
	"github.com/rekam-ktp/rekam/simulators/fault"
	sim "github.com/rekam-ktp/rekam/simulators/gt511"
	"github.com/rekam-ktp/rekam/simulators/host"
	"github.com/rekam-ktp/rekam/simulators/simtest"
)

type rig struct {
	eng *sim.Engine
	dev *host.Device
	drv *gt511.Driver
}

// newPTYRig starts a simulated GT-511C3 on a pty and opens it with the
// real serial driver at 9600 baud (the simulator does not pace: fast tests).
func newPTYRig(t *testing.T) *rig {
	t.Helper()
	eng := sim.New(sim.Options{Identity: 7})
	link := filepath.Join(t.TempDir(), "ttyGT0")
	dev := host.NewPTY(eng, link, 0)
	if err := dev.Plug(); err != nil {
		t.Fatal(err)
	}
	drv := gt511.Open(link, gt511.Config{Packet: time.Second, Poll: 5 * time.Millisecond})
	t.Cleanup(func() { drv.Close(); dev.Close() })
	return &rig{eng, dev, drv}
}

func TestCaptureOverPTY(t *testing.T) {
	r := newPTYRig(t)
	c, _, err := simtest.Capture(r.drv, simtest.Single, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if b := c.Image.Bounds(); b.Dx() != gt511.ImageW || b.Dy() != gt511.ImageH {
		t.Fatalf("image %v", b)
	}
	if !bytes.Equal(c.Image.Pix, r.eng.Image()) {
		t.Fatal("image differs from the module's")
	}
	info, err := r.drv.Info(context.Background())
	if err != nil || info.Model != "GT-511C3" || info.Serial == "" || info.Firmware != "20120405" {
		t.Fatalf("info %+v %v", info, err)
	}
	h, err := r.drv.SelfTest(context.Background())
	if err != nil || !h.OK || len(h.Checks) != 3 {
		t.Fatalf("selftest %+v %v", h, err)
	}
}

func TestEveryFaultOverPTY(t *testing.T) {
	simtest.Faults(t, func(t *testing.T) simtest.Rig {
		r := newPTYRig(t)
		return simtest.Rig{Scanner: r.drv, Inject: func(k fault.Kind) { r.eng.Faults.Inject(k, 1) },
			Replug: r.dev.Replug, Plugged: r.dev.Plugged}
	}, simtest.SerialFingerFaults, 5*time.Second)
}

func TestNoFingerAndPreview(t *testing.T) {
	r := newPTYRig(t)
	r.eng.Finger().Set(false)
	_, took, err := simtest.Capture(r.drv, simtest.Single, time.Second)
	if !errors.Is(err, device.ErrNoFinger) || took > 2*time.Second {
		t.Fatalf("%v after %s", err, took)
	}
	r.eng.Finger().Set(true)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = r.drv.Preview(ctx, func(f device.Frame) error {
		if b := f.Image.Bounds(); b.Dx() != gt511.RawW || b.Dy() != gt511.RawH {
			t.Errorf("preview frame %v", b)
		}
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("preview: %d frames, %v", n, err)
	}
}

// TestNoCallOutlivesItsDeadline: a module that never answers.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	r := newPTYRig(t)
	r.eng.Faults.Inject(fault.Timeout, 1000)
	simtest.Deadlines(t, r.drv)
}
