package wacomstu_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/wacomstu"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simtest"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	sim "github.com/rekam-ktp/rekam/simulators/wacomstu"
)

type rig struct {
	eng *sim.Engine
	dev *usbfake.Device
	drv *wacomstu.Driver
}

func newRig(t *testing.T) *rig {
	m := wacomstu.Models[1]
	bus := &usbfake.Bus{}
	eng := sim.New(m, 4, nil, 50)
	dev := bus.Attach(m.VID, m.PID, "1-4", eng)
	drv := wacomstu.New(bus, m, "", wacomstu.Config{Transfer: 300 * time.Millisecond})
	t.Cleanup(func() { drv.Close() })
	return &rig{eng, dev, drv}
}

// sign streams until the pen leaves proximity.
func sign(drv *wacomstu.Driver, within time.Duration) ([]device.PenSample, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var got []device.PenSample
	done := errors.New("done")
	err := drv.Stream(ctx, func(p device.PenSample) error {
		got = append(got, p)
		if !p.InRange {
			return done
		}
		return nil
	})
	if errors.Is(err, done) {
		err = nil
	}
	return got, err
}

func TestSignatureOnFakeBus(t *testing.T) {
	r := newRig(t)
	got, err := sign(r.drv, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := biosrc.Pattern{}.Signature(4, 1)
	if len(got) != len(want)+1 || got[0].Seq != 1 || !got[0].PenDown || got[len(got)-1].InRange {
		t.Fatalf("%d samples (want %d+1), first %+v", len(got), len(want), got[0])
	}
	if c := r.drv.Caps(); c.MaxX != 10800 || c.ScreenW != 800 {
		t.Fatalf("caps %+v", c)
	}
	if err := r.drv.Clear(context.Background()); err != nil || r.eng.Clears() != 1 {
		t.Fatalf("clear: %v (%d)", err, r.eng.Clears())
	}
	info, err := r.drv.Info(context.Background())
	if err != nil || info.Model != "STU-530" {
		t.Fatalf("info %+v %v", info, err)
	}
	if h, err := r.drv.SelfTest(context.Background()); err != nil || !h.OK {
		t.Fatalf("selftest %+v %v", h, err)
	}
}

func TestFaultsOnFakeBus(t *testing.T) {
	tests := []struct {
		fault fault.Kind
		want  error
	}{
		{fault.Busy, device.ErrBusy},
		{fault.Timeout, device.ErrTimeout},
		{fault.BadChecksum, device.ErrProtocol},
		{fault.Truncated, device.ErrProtocol},
		{fault.Unplug, device.ErrDisconnected},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			r := newRig(t)
			if _, err := sign(r.drv, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			r.eng.Faults.Inject(tt.fault, 1)
			t0 := time.Now()
			if _, err := sign(r.drv, 3*time.Second); !errors.Is(err, tt.want) || time.Since(t0) > 3*time.Second {
				t.Fatalf("err = %v after %s, want %v", err, time.Since(t0), tt.want)
			}
			if tt.fault == fault.Unplug {
				r.dev.Replug()
			}
			if got, err := sign(r.drv, 10*time.Second); err != nil || len(got) < 100 {
				t.Fatalf("after %s: %d samples, %v", tt.fault, len(got), err)
			}
		})
	}
}

// TestCloseInterruptsStream: Close ends a stream that has no deadline.
func TestCloseInterruptsStream(t *testing.T) {
	r := newRig(t)
	done := make(chan error, 1)
	started := make(chan struct{}, 1)
	go func() {
		done <- r.drv.Stream(context.Background(), func(device.PenSample) error {
			select {
			case started <- struct{}{}:
			default:
			}
			return nil
		})
	}()
	<-started
	r.drv.Close()
	select {
	case err := <-done:
		if !errors.Is(err, device.ErrDisconnected) {
			t.Fatalf("stream after Close: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not end the stream")
	}
}

// TestNoCallOutlivesItsDeadline: a pad whose control endpoint never answers.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	r := newRig(t)
	r.eng.Faults.Inject(fault.Timeout, 1000)
	simtest.Deadlines(t, r.drv)
}
