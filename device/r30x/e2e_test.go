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
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/host"
	sim "github.com/rekam-ktp/rekam/simulators/r30x"
	"github.com/rekam-ktp/rekam/simulators/simtest"
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
	simtest.Faults(t, func(t *testing.T) simtest.Rig {
		r := newPTYRig(t, "r503")
		return simtest.Rig{Scanner: r.drv, Inject: func(k fault.Kind) { r.eng.Faults.Inject(k, 1) },
			Replug: r.dev.Replug, Plugged: r.dev.Plugged}
	}, simtest.SerialFingerFaults, 5*time.Second)
}

// TestUnplugReplugKeepsCaptures: a capture session over several fingers
// survives an unplug in the middle of an upload; the driver reconnects on
// its own after the replug and nothing captured before is lost.
func TestUnplugReplugKeepsCaptures(t *testing.T) {
	r := newPTYRig(t, "r307")
	got := map[device.Finger]*device.FingerCapture{}
	fingers := []device.Finger{device.RightThumb, device.RightIndex, device.RightMiddle}
	for i, f := range fingers {
		r.eng.Finger().SetIdentity(42, int(f))
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
	r.eng.Finger().Set(false)
	_, err, took := capture(t, r.drv, single, 2*time.Second)
	if !errors.Is(err, device.ErrNoFinger) || took > 3*time.Second {
		t.Fatalf("err %v after %s", err, took)
	}
	r.eng.Finger().Set(true)
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

// noisyConn puts the R503's stray power-on byte 0x55 in front of every
// answer, after the driver flushed its input: only resynchronising on the
// EF 01 header gets the answers through.
type noisyConn struct{ host.Conn }

func (n noisyConn) Write(b []byte) (int, error) {
	if _, err := n.Conn.Write([]byte{r30x.PowerOnByte}); err != nil {
		return 0, err
	}
	return n.Conn.Write(b)
}

func TestResyncOnStrayBytes(t *testing.T) {
	drvEnd, simEnd := host.Pipe()
	eng := sim.New(sim.Options{Model: "r503", Identity: 3})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go eng.Serve(ctx, noisyConn{simEnd})
	drv := r30x.New(func() (transport.Port, error) { return drvEnd, nil }, "pipe:", r30x.Config{Model: "r503", Poll: time.Millisecond})
	defer drv.Close()
	c, err, _ := capture(t, drv, single, 5*time.Second)
	if err != nil || c.Image.Bounds().Dx() != 192 {
		t.Fatalf("capture through stray bytes: %v", err)
	}
}

// TestNoCallOutlivesItsDeadline: a module that never answers.
func TestNoCallOutlivesItsDeadline(t *testing.T) {
	r := newPTYRig(t, "r503")
	r.eng.Faults.Inject(fault.Timeout, 1000)
	simtest.Deadlines(t, r.drv)
}
