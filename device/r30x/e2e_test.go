package r30x_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/r30x"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/r30x"
)

// testBaud is the line rate the driver configures; the simulator does not
// pace in these tests (a pty has no baud limit) to keep them fast.
const testBaud = 57600

type rig struct {
	eng *sim.Engine
	dev *host.Device
	drv *r30x.Driver
}

// newPTYRig starts a simulated module on a pty behind a stable symlink and
// opens it with the real serial driver, as /dev/ttyUSB0 would be.
func newPTYRig(t *testing.T, model string) *rig {
	t.Helper()
	eng := sim.New(sim.Options{Model: model, Identity: 42})
	link := filepath.Join(t.TempDir(), "ttyFP0")
	dev := host.NewPTY(eng, link, 0)
	if err := dev.Plug(); err != nil {
		t.Fatalf("plug: %v", err)
	}
	drv := r30x.Open(link, r30x.Config{Model: model, Baud: testBaud, Packet: time.Second, Poll: 5 * time.Millisecond})
	t.Cleanup(func() { drv.Close(); dev.Close() })
	return &rig{eng, dev, drv}
}

func capture(t *testing.T, drv *r30x.Driver, req device.FingerRequest, within time.Duration) (*device.FingerCapture, error, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	t0 := time.Now()
	c, err := drv.Capture(ctx, req)
	return c, err, time.Since(t0)
}

var single = device.FingerRequest{Position: device.RightIndex, MinQuality: 60}

func TestCaptureOverPTY(t *testing.T) {
	for _, model := range []string{"r307", "zfm20", "r503"} {
		t.Run(model, func(t *testing.T) {
			r := newPTYRig(t, model)
			c, err, _ := capture(t, r.drv, single, 5*time.Second)
			if err != nil {
				t.Fatalf("capture: %v", err)
			}
			m := r30x.Models[model]
			if b := c.Image.Bounds(); b.Dx() != m.Width || b.Dy() != m.Height {
				t.Fatalf("image %v, want %dx%d", b, m.Width, m.Height)
			}
			if want := r.eng.Image(); !bytes.Equal(c.Image.Pix, want.Pix) {
				t.Fatal("image differs from the module's image buffer")
			}
			if c.Quality < 60 || c.Fingers != 1 {
				t.Fatalf("quality %d fingers %d", c.Quality, c.Fingers)
			}
			info, err := r.drv.Info(context.Background())
			if err != nil || info.Kind != device.KindFinger || info.Model != m.Name {
				t.Fatalf("info %+v, %v", info, err)
			}
			if m.HasProdInfo && info.Serial == "" {
				t.Fatalf("R503 info without serial: %+v", info)
			}
			h, err := r.drv.SelfTest(context.Background())
			if err != nil || !h.OK {
				t.Fatalf("selftest %+v, %v", h, err)
			}
		})
	}
}

// TestEveryFaultOverPTY injects each scripted fault: it must surface as its
// typed error before the deadline, and the next capture must succeed.
func TestEveryFaultOverPTY(t *testing.T) {
	tests := []struct {
		fault  fault.Kind
		model  string
		want   error
		reason device.QualityReason
	}{
		{fault.Timeout, "r307", device.ErrTimeout, ""},
		{fault.BadChecksum, "r307", device.ErrProtocol, ""},
		{fault.Truncated, "r307", device.ErrProtocol, ""},
		{fault.Busy, "r307", device.ErrBusy, ""},
		{fault.Wet, "r307", device.ErrPoorQuality, device.ReasonWet},
		{fault.Dry, "r307", device.ErrPoorQuality, device.ReasonDry},
		{fault.LowQuality, "r307", device.ErrPoorQuality, device.ReasonLow},
		{fault.SensorFault, "r503", device.ErrSensorFault, ""},
		{fault.Unplug, "r503", device.ErrDisconnected, ""},
	}
	const deadline = 5 * time.Second
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			r := newPTYRig(t, tt.model)
			if _, err, _ := capture(t, r.drv, single, deadline); err != nil {
				t.Fatalf("warm-up capture: %v", err)
			}
			r.eng.Faults.Inject(tt.fault, 1)
			_, err, took := capture(t, r.drv, single, deadline)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if took >= deadline {
				t.Fatalf("error after %s, past the %s deadline", took, deadline)
			}
			if tt.reason != "" {
				var qe *device.QualityError
				if !errors.As(err, &qe) || qe.Reason != tt.reason {
					t.Fatalf("reason of %v, want %s", err, tt.reason)
				}
			}
			var pe *device.ProtocolError
			if errors.As(err, &pe) && len(pe.Bytes) == 0 {
				t.Fatalf("protocol error without the offending bytes: %v", err)
			}
			if tt.fault == fault.Unplug {
				if r.dev.Plugged() {
					t.Fatal("device still plugged")
				}
				if err := r.dev.Replug(); err != nil {
					t.Fatal(err)
				}
			}
			if c, err, _ := capture(t, r.drv, single, deadline); err != nil || c.Quality < 60 {
				t.Fatalf("capture after %s: %v", tt.fault, err)
			}
		})
	}
}

// TestUnplugReplugKeepsCaptures: a capture session over several fingers
// survives an unplug in the middle of an upload; the driver reconnects on
// its own after the replug and nothing captured before is lost.
func TestUnplugReplugKeepsCaptures(t *testing.T) {
	r := newPTYRig(t, "r307")
	got := map[device.Finger]*device.FingerCapture{}
	fingers := []device.Finger{device.RightThumb, device.RightIndex, device.RightMiddle}
	for i, f := range fingers {
		r.eng.SetIdentity(42, int(f))
		if i == 1 {
			r.eng.Faults.Inject(fault.Unplug, 1)
			_, err, _ := capture(t, r.drv, device.FingerRequest{Position: f, MinQuality: 60}, 3*time.Second)
			if !errors.Is(err, device.ErrDisconnected) {
				t.Fatalf("unplug mid-upload: %v", err)
			}
			// While unplugged the retry fails fast as disconnected.
			if _, err, _ := capture(t, r.drv, single, time.Second); !errors.Is(err, device.ErrDisconnected) {
				t.Fatalf("capture while unplugged: %v", err)
			}
			if err := r.dev.Replug(); err != nil {
				t.Fatal(err)
			}
		}
		c, err, _ := capture(t, r.drv, device.FingerRequest{Position: f, MinQuality: 60}, 3*time.Second)
		if err != nil {
			t.Fatalf("finger %d: %v", f, err)
		}
		got[f] = c
	}
	if len(got) != 3 || r.dev.Plugs() != 2 {
		t.Fatalf("captures %d, plugs %d", len(got), r.dev.Plugs())
	}
	if bytes.Equal(got[device.RightThumb].Image.Pix, got[device.RightMiddle].Image.Pix) {
		t.Fatal("different fingers gave the same image")
	}
}

func TestNoFingerBeforeDeadline(t *testing.T) {
	r := newPTYRig(t, "r307")
	if _, err, _ := capture(t, r.drv, single, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	r.eng.SetFinger(false)
	_, err, took := capture(t, r.drv, single, 2*time.Second)
	if !errors.Is(err, device.ErrNoFinger) || took > 3*time.Second {
		t.Fatalf("err %v after %s", err, took)
	}
	r.eng.SetFinger(true)
	if _, err, _ := capture(t, r.drv, single, 3*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestBusyWhilePreviewing(t *testing.T) {
	r := newPTYRig(t, "r503")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	frames := make(chan int, 100)
	done := make(chan error, 1)
	go func() {
		done <- r.drv.Preview(ctx, func(f device.Frame) error {
			frames <- f.Seq
			return nil
		})
	}()
	<-frames
	if _, err, _ := capture(t, r.drv, single, time.Second); !errors.Is(err, device.ErrBusy) {
		t.Fatalf("capture during preview: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("preview: %v", err)
	}
	if _, err, _ := capture(t, r.drv, single, 3*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestWrongAddressAndPassword(t *testing.T) {
	eng := sim.New(sim.Options{Password: 1234})
	dev := host.NewPipe(eng, 0)
	if err := dev.Plug(); err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	tests := []struct {
		name string
		cfg  r30x.Config
		want error
	}{
		{"wrong password", r30x.Config{Password: 1}, device.ErrProtocol},
		{"other address: silence", r30x.Config{Password: 1234, Address: 0x12345678}, device.ErrTimeout},
		{"right password", r30x.Config{Password: 1234}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Packet = 500 * time.Millisecond
			drv := r30x.New(dev.Opener(0), "pipe:", tt.cfg)
			defer drv.Close()
			_, err, _ := capture(t, drv, single, 2*time.Second)
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSlapUnsupported(t *testing.T) {
	r := newPTYRig(t, "r307")
	if _, err, _ := capture(t, r.drv, device.FingerRequest{Position: device.RightFour}, time.Second); !errors.Is(err, device.ErrUnsupported) {
		t.Fatalf("slap on single sensor: %v", err)
	}
}
