package isdv4_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/isdv4"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/isdv4"
	"github.com/rekam-ktp/rekam/simulators/simtest"
)

type rig struct {
	eng *sim.Engine
	dev *host.Device
	drv *isdv4.Driver
}

// newPTYRig runs a simulated digitiser on a pty (time ×20) and opens it
// with the real serial driver.
func newPTYRig(t *testing.T) *rig {
	t.Helper()
	eng := sim.New(sim.Options{Identity: 5, Speed: 20})
	link := filepath.Join(t.TempDir(), "ttyPad")
	dev := host.NewPTY(eng, link, 0)
	if err := dev.Plug(); err != nil {
		t.Fatal(err)
	}
	drv := isdv4.Open(link, isdv4.Config{Packet: time.Second})
	t.Cleanup(func() { drv.Close(); dev.Close() })
	return &rig{eng, dev, drv}
}

// sign streams until the pen leaves proximity after writing, or err.
func sign(drv *isdv4.Driver, within time.Duration) ([]device.PenSample, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var got []device.PenSample
	errDone := errors.New("done")
	err := drv.Stream(ctx, func(p device.PenSample) error {
		got = append(got, p)
		if !p.InRange && len(got) > 1 {
			return errDone
		}
		return nil
	})
	if errors.Is(err, errDone) {
		err = nil
	}
	return got, err
}

func TestSignatureOverPTY(t *testing.T) {
	r := newPTYRig(t)
	got, err := sign(r.drv, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := biosrc.Pattern{}.Signature(5, 1)
	if len(got) != len(want)+1 {
		t.Fatalf("%d samples, want %d + the proximity-out report", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Seq != i+1 || g.PenDown != w.PenDown || g.X != int(w.X*isdv4.PointsPerMM) || g.Y != int(w.Y*isdv4.PointsPerMM) ||
			g.Pressure != int(w.Pressure*sim.MaxPressure) {
			t.Fatalf("sample %d = %+v, want %+v", i, g, w)
		}
	}
	c := r.drv.Caps()
	if c.MaxX != sim.MaxX || c.MaxY != sim.MaxY || c.MaxPressure != sim.MaxPressure {
		t.Fatalf("caps %+v", c)
	}
	if h, err := r.drv.SelfTest(context.Background()); err != nil || !h.OK {
		t.Fatalf("selftest %+v %v", h, err)
	}
	if info, err := r.drv.Info(context.Background()); err != nil || info.Kind != device.KindSignature {
		t.Fatalf("info %+v %v", info, err)
	}
}

func TestFaultsOverPTY(t *testing.T) {
	tests := []struct {
		fault fault.Kind
		want  error
	}{
		{fault.BadChecksum, device.ErrProtocol},
		{fault.Truncated, device.ErrProtocol},
		{fault.Unplug, device.ErrDisconnected},
		{fault.Timeout, device.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			r := newPTYRig(t)
			if _, err := sign(r.drv, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			r.eng.Faults.Inject(tt.fault, 1)
			var err error
			t0 := time.Now()
			if tt.fault == fault.Timeout {
				// The query (connect, self-test) is what can time out.
				_, err = r.drv.SelfTest(context.Background())
			} else {
				_, err = sign(r.drv, 5*time.Second)
			}
			if !errors.Is(err, tt.want) || time.Since(t0) > 5*time.Second {
				t.Fatalf("err = %v after %s, want %v", err, time.Since(t0), tt.want)
			}
			if tt.fault == fault.Unplug {
				if err := r.dev.Replug(); err != nil {
					t.Fatal(err)
				}
			}
			if got, err := sign(r.drv, 10*time.Second); err != nil || len(got) < 100 {
				t.Fatalf("after %s: %d samples, %v", tt.fault, len(got), err)
			}
		})
	}
}

func TestSignatureSession(t *testing.T) {
	r := newPTYRig(t)
	s := device.NewSignatureSession(r.drv)
	n := 0
	go func() {
		time.Sleep(50 * time.Millisecond)
		for len(s.Samples()) < 20 {
			time.Sleep(5 * time.Millisecond)
		}
		if err := s.Clear(context.Background()); err != nil {
			t.Error(err)
		}
		for len(s.Samples()) < 10 {
			time.Sleep(5 * time.Millisecond)
		}
		s.Accept()
	}()
	got, err := s.Run(context.Background(), func(device.PenSample) { n++ })
	if err != nil || len(got) < 10 || len(got) >= n {
		t.Fatalf("accept: %d samples of %d seen, %v", len(got), n, err)
	}
	s2 := device.NewSignatureSession(r.drv)
	time.AfterFunc(30*time.Millisecond, s2.Cancel)
	if _, err := s2.Run(context.Background(), nil); !errors.Is(err, device.ErrCancelled) {
		t.Fatalf("cancel: %v", err)
	}
}

// TestNoCallOutlivesItsDeadline: a digitiser that never answers its query.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	r := newPTYRig(t)
	r.eng.Faults.Inject(fault.Timeout, 1000)
	simtest.Deadlines(t, r.drv)
}
