package devport_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/sigrec"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

// simBench starts the serial simulated set on ptys and puts it on a bench.
func simBench(t *testing.T) (*simset.Set, *devport.Bench) {
	t.Helper()
	set, err := simset.Start(simset.Options{Serial: true, Identity: 5, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, b, closeDevs := devport.FromSimSet(context.Background(), set)
	t.Cleanup(func() { closeDevs(); set.Close() })
	return set, b
}

func benchDevice(t *testing.T, b *devport.Bench, id string) port.BenchDevice {
	t.Helper()
	for _, d := range b.Devices() {
		if d.ID() == id {
			return d
		}
	}
	t.Fatalf("no device %s", id)
	return nil
}

func TestSimControl(t *testing.T) {
	_, b := simBench(t)
	sim := b.Sim()
	tests := []struct {
		name string
		do   func() error
		want func(port.SimStatus) bool
		err  bool
	}{
		{"inject wet on a finger", func() error { return sim.Inject("fp0", "wet") },
			func(s port.SimStatus) bool { return slices.Contains(s.Armed, "wet×1") }, false},
		{"inject twice counts", func() error { return sim.Inject("fp0", "wet") },
			func(s port.SimStatus) bool { return slices.Contains(s.Armed, "wet×2") }, false},
		{"clear", func() error { return sim.ClearFaults("fp0") },
			func(s port.SimStatus) bool { return len(s.Armed) == 0 }, false},
		{"lift the finger", func() error { return sim.SetFinger("fp0", false) },
			func(s port.SimStatus) bool { return s.HasFinger && !s.FingerPresent }, false},
		{"place it", func() error { return sim.SetFinger("fp0", true) },
			func(s port.SimStatus) bool { return s.FingerPresent }, false},
		{"unplug", func() error { return sim.Unplug("fp0") },
			func(s port.SimStatus) bool { return !s.Plugged }, false},
		{"replug", func() error { return sim.Replug("fp0") },
			func(s port.SimStatus) bool { return s.Plugged }, false},
		{"unknown fault", func() error { return sim.Inject("fp0", "gremlins") }, nil, true},
		{"unsupported fault", func() error { return sim.Inject("pad0", "finger-count") }, nil, true},
		{"no finger on a pad", func() error { return sim.SetFinger("pad0", true) }, nil, true},
	}
	for _, tt := range tests {
		err := tt.do()
		if (err != nil) != tt.err {
			t.Errorf("%s: err %v", tt.name, err)
			continue
		}
		if tt.want == nil {
			continue
		}
		st, err := sim.SimStatus("fp0")
		if err != nil || !tt.want(st) {
			t.Errorf("%s: status %+v, %v", tt.name, st, err)
		}
	}
	if _, err := sim.SimStatus("nope"); !errors.Is(err, port.ErrUnknownSim) {
		t.Fatalf("unknown device: %v", err)
	}
	pad, _ := sim.SimStatus("pad0")
	if pad.HasFinger || slices.Contains(pad.Supported, "wet") || !slices.Contains(pad.Supported, "unplug") {
		t.Fatalf("pad status %+v", pad)
	}
	fp, _ := sim.SimStatus("fp0")
	if len(fp.Supported) != 10 {
		t.Fatalf("finger supports %v", fp.Supported)
	}
}

// TestBenchFaultsSurfaceAndRecover arms each fault a technician rehearses
// on the r503 over its pty: the operation fails with the specific port
// error, and the next one succeeds with the same driver.
func TestBenchFaultsSurfaceAndRecover(t *testing.T) {
	_, b := simBench(t)
	sim := b.Sim()
	fp := benchDevice(t, b, "fp0")
	ctx := context.Background()
	tests := []struct {
		fault string
		op    func() error
		want  error
	}{
		{"timeout", func() error { _, err := fp.SelfTest(ctx); return err }, port.ErrTimeout},
		{"bad-checksum", func() error { _, err := fp.SelfTest(ctx); return err }, port.ErrProtocol},
		{"truncated", func() error { _, err := fp.SelfTest(ctx); return err }, port.ErrProtocol},
		{"busy", func() error { _, err := fp.Snapshot(ctx); return err }, nil}, // the driver drains and goes on
		{"unplug", func() error { _, err := fp.Snapshot(ctx); return err }, port.ErrNoDevice},
	}
	for _, tt := range tests {
		if err := sim.Inject("fp0", tt.fault); err != nil {
			t.Fatal(err)
		}
		err := tt.op()
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.fault, err, tt.want)
		}
		var de *port.DeviceError
		if tt.want != nil && !errors.As(err, &de) {
			t.Errorf("%s: %T is not a DeviceError", tt.fault, err)
		}
		if st, _ := sim.SimStatus("fp0"); !st.Plugged {
			sim.Replug("fp0")
		}
		sim.ClearFaults("fp0")
		var h port.SelfTest
		for i := 0; i < 30; i++ { // a replugged port reconnects on the next call
			if h, err = fp.SelfTest(ctx); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil || !h.OK || fp.State() != port.DeviceReady {
			t.Errorf("%s: no recovery: %v, %+v, light %v", tt.fault, err, h, fp.State())
		}
	}
	if err := sim.Inject("fp0", "sensor"); err != nil {
		t.Fatal(err)
	}
	h, err := fp.SelfTest(ctx)
	if err != nil || h.OK || fp.State() != port.DeviceFault {
		t.Fatalf("sensor fault self-test: %+v, %v, light %v", h, err, fp.State())
	}
}

func TestBenchInfoPreviewSnapshot(t *testing.T) {
	_, b := simBench(t)
	ctx := context.Background()
	kinds := map[string]bool{}
	for _, d := range b.Devices() {
		kinds[d.Kind()] = true
		info, err := d.Info(ctx)
		if err != nil || info.Model == "" || info.Path == "" {
			t.Errorf("%s info %+v, %v", d.ID(), info, err)
		}
		if !strings.Contains(d.Name(), info.Model) {
			t.Errorf("%s name %q, model %q", d.ID(), d.Name(), info.Model)
		}
	}
	if len(kinds) != 4 {
		t.Fatalf("kinds %v", kinds)
	}
	fp := benchDevice(t, b, "fp0")
	pctx, stop := context.WithCancel(ctx)
	frames := 0
	err := fp.Preview(pctx, func(f port.Frame) {
		if f.Image != nil {
			frames++
		}
		if frames == 2 {
			stop()
		}
	})
	if err != nil || frames < 2 {
		t.Fatalf("preview: %v after %d frames", err, frames)
	}
	s, err := fp.Snapshot(ctx)
	if err != nil || s.Image == nil || s.Record != nil {
		t.Fatalf("finger snapshot %+v, %v", s, err)
	}
	pad := benchDevice(t, b, "pad0").(*devport.BenchDevice)
	pad.PadDone = 300 * time.Millisecond
	s, err = pad.Snapshot(ctx)
	if err != nil || s.Image == nil {
		t.Fatalf("pad snapshot: %v", err)
	}
	rec, err := sigrec.Parse(s.Record)
	if err != nil || len(rec.Samples) == 0 {
		t.Fatalf("pad record: %v", err)
	}
}

// TestBenchUSBUnplugReplug pulls the USB scanner and pad off the fake bus:
// the self-test reports a missing device, and after replug it passes.
func TestBenchUSBUnplugReplug(t *testing.T) {
	set, err := simset.Start(simset.Options{USB: true, Identity: 6})
	if err != nil {
		t.Fatal(err)
	}
	_, b, closeDevs := devport.FromSimSet(context.Background(), set)
	t.Cleanup(func() { closeDevs(); set.Close() })
	ctx := context.Background()
	if len(b.Devices()) < 2 {
		t.Fatalf("%d USB devices on the bench", len(b.Devices()))
	}
	for _, d := range b.Devices() {
		if _, err := d.SelfTest(ctx); err != nil {
			t.Fatalf("%s before unplug: %v", d.ID(), err)
		}
		if err := b.Sim().Unplug(d.ID()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SelfTest(ctx); !errors.Is(err, port.ErrNoDevice) || d.State() != port.DeviceMissing {
			t.Errorf("%s unplugged: %v, light %v", d.ID(), err, d.State())
		}
		if err := b.Sim().Replug(d.ID()); err != nil {
			t.Fatal(err)
		}
		if h, err := d.SelfTest(ctx); err != nil || !h.OK || d.State() != port.DeviceReady {
			t.Errorf("%s replugged: %v, %+v, light %v", d.ID(), err, h, d.State())
		}
	}
}
