package discovery_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/discovery"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/simulators/host"
	r3sim "github.com/rekam-ktp/rekam/simulators/r30x"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	vcsim "github.com/rekam-ktp/rekam/simulators/vcom5s"
)

func events(t *testing.T, r *discovery.Registry) []string {
	t.Helper()
	ev, err := r.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ev {
		out = append(out, string(e.Type)+" "+e.Device.ID)
	}
	return out
}

func same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHotPlug polls a fake USB bus and a pty-hosted serial module through
// unplug and replug, and a driver-reported loss.
func TestHotPlug(t *testing.T) {
	bus := &usbfake.Bus{}
	m := vcom5s.Models[0]
	usb := bus.Attach(m.VID, m.PID, "1-3", vcsim.New(m, 1, nil))
	link := filepath.Join(t.TempDir(), "ttyFP0")
	pty := host.NewPTY(r3sim.New(r3sim.Options{}), link, 0)
	if err := pty.Plug(); err != nil {
		t.Fatal(err)
	}
	defer pty.Close()
	reg := discovery.New(
		discovery.USBProber{Host: bus, Models: []discovery.USBModel{{VID: m.VID, PID: m.PID, Kind: device.KindFinger, Driver: "vcom5s"}}},
		discovery.SerialProber{Ports: []discovery.SerialPort{{Path: link, Kind: device.KindFinger, Driver: "r307"}}},
	)
	usbID, serialID := "usb:061a:0110@1-3", "serial:"+link
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"first poll", func() {}, []string{"attached " + serialID, "attached " + usbID}},
		{"nothing changed", func() {}, nil},
		{"usb unplugged", usb.Unplug, []string{"detached " + usbID}},
		{"usb replugged (new address, same id)", usb.Replug, []string{"attached " + usbID}},
		{"serial unplugged", pty.Unplug, []string{"detached " + serialID}},
		{"serial replugged", func() {
			if err := pty.Plug(); err != nil {
				t.Fatal(err)
			}
		}, []string{"attached " + serialID}},
		{"driver reports a loss", func() { reg.Lost(usbID) }, []string{"detached " + usbID, "attached " + usbID}},
	}
	for _, s := range steps {
		s.do()
		if got := events(t, reg); !same(got, s.want) {
			t.Fatalf("%s: events %q, want %q", s.name, got, s.want)
		}
	}
	if p := reg.Present(); len(p) != 2 || p[0].Transport != "serial" || p[1].Transport != "usb" {
		t.Fatalf("present %+v", p)
	}
}
