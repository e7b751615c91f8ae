// Package simset starts the whole simulated device set of a station: serial
// devices on ptys (driven through go.bug.st/serial like real ones), USB
// devices on an in-process fake bus, each with its fault control. rekam-sim
// serves it to other processes; rekamctl --sim attaches it in-process.
package simset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/catalog"
	vcdrv "github.com/rekam-ktp/rekam/device/vcom5s"
	wsdrv "github.com/rekam-ktp/rekam/device/wacomstu"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/control"
	"github.com/rekam-ktp/rekam/simulators/fault"
	gtsim "github.com/rekam-ktp/rekam/simulators/gt511"
	"github.com/rekam-ktp/rekam/simulators/host"
	idsim "github.com/rekam-ktp/rekam/simulators/iddk"
	issim "github.com/rekam-ktp/rekam/simulators/isdv4"
	r3sim "github.com/rekam-ktp/rekam/simulators/r30x"
	"github.com/rekam-ktp/rekam/simulators/usbfake"
	vcsim "github.com/rekam-ktp/rekam/simulators/vcom5s"
	wssim "github.com/rekam-ktp/rekam/simulators/wacomstu"
)

// Sim is one simulated device.
type Sim struct {
	Name      string
	Kind      device.Kind
	Driver    string
	Transport string // "serial" (pty) or "usb" (in-process fake bus)
	Baud      int    // serial line rate the driver should use

	faults *fault.Set
	finger *biosrc.Placement // nil for non-finger devices
	pty    *host.Device      // serial devices
	usb    *usbfake.Device   // USB devices
	open   func() device.Device
	hand   func(slap device.Finger, count int) // slap readers (PlaceHand)
}

// Path is what a driver opens: the pty link, or the fake USB location.
func (s *Sim) Path() string {
	if s.pty != nil {
		return s.pty.Path()
	}
	return fmt.Sprintf("usbfake:%s", s.Name)
}

// Open returns an in-process driver for the device.
func (s *Sim) Open() device.Device { return s.open() }

// Faults implements control.Target.
func (s *Sim) Faults() *fault.Set { return s.faults }

// Unplug implements control.Target.
func (s *Sim) Unplug() {
	if s.pty != nil {
		s.pty.Unplug()
	} else {
		s.usb.Unplug()
	}
}

// Replug implements control.Target.
func (s *Sim) Replug() error {
	if s.pty != nil {
		return s.pty.Replug()
	}
	s.usb.Replug()
	return nil
}

// SetFinger implements control.Target.
func (s *Sim) SetFinger(present bool) {
	if s.finger != nil {
		s.finger.Set(present)
	}
}

// Plugged reports presence.
func (s *Sim) Plugged() bool {
	if s.pty != nil {
		return s.pty.Plugged()
	}
	return s.usb.Plugged()
}

// Status implements control.Target.
func (s *Sim) Status() map[string]any {
	st := map[string]any{"name": s.Name, "kind": s.Kind, "driver": s.Driver, "plugged": s.Plugged(),
		"path": s.Path(), "faults": s.faults.Pending()}
	if s.finger != nil {
		st["finger"] = s.finger.Present()
	}
	return st
}

// Options configure a set.
type Options struct {
	Dir      string        // folder for the stable pty links (default: a new temp folder)
	Pace     bool          // pace serial bytes at each device's baud rate
	Identity uint64        // whose biometrics the devices see
	Source   biosrc.Source // nil means biosrc.Pattern{}
	Serial   bool          // start the pty devices
	USB      bool          // start the fake-bus USB devices
	Control  string        // control API address ("" = none, "127.0.0.1:0" = any port)
}

// Set is a running simulated set.
type Set struct {
	Sims    []*Sim
	Bus     *usbfake.Bus
	Control *control.Server
	dir     string
	ownDir  bool
}

// Start starts the devices the options ask for.
func Start(o Options) (*Set, error) {
	s := &Set{Bus: &usbfake.Bus{}, dir: o.Dir}
	if s.dir != "" {
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, fmt.Errorf("simset: %w", err)
		}
	} else {
		d, err := os.MkdirTemp("", "rekam-sim-")
		if err != nil {
			return nil, fmt.Errorf("simset: %w", err)
		}
		s.dir, s.ownDir = d, true
	}
	src := o.Source
	if src == nil {
		src = biosrc.Pattern{}
	}
	pace := func(b int) int {
		if o.Pace {
			return b
		}
		return 0
	}
	if o.Serial {
		r3 := r3sim.New(r3sim.Options{Model: "r503", Identity: o.Identity, Source: src})
		gt := gtsim.New(gtsim.Options{Identity: o.Identity, Source: src})
		is := issim.New(issim.Options{Identity: o.Identity, Source: src})
		ir := idsim.New(idsim.Options{Kind: device.KindIris, Identity: o.Identity, Source: src})
		fc := idsim.New(idsim.Options{Kind: device.KindFace, Identity: o.Identity, Source: src})
		serial := []struct {
			name, driver string
			kind         device.Kind
			baud         int
			eng          host.Engine
			faults       *fault.Set
			finger       *biosrc.Placement
		}{
			{"fp0", "r503", device.KindFinger, 57600, r3, &r3.Faults, r3.Finger()},
			{"fp1", "gt511", device.KindFinger, 9600, gt, &gt.Faults, gt.Finger()},
			{"pad0", "isdv4", device.KindSignature, 38400, is, &is.Faults, nil},
			{"iris0", "iddk-iris", device.KindIris, 115200, ir, &ir.Faults, nil},
			{"face0", "iddk-face", device.KindFace, 115200, fc, &fc.Faults, nil},
		}
		for _, d := range serial {
			lineRate := pace(d.baud)
			if d.kind == device.KindIris || d.kind == device.KindFace {
				lineRate = 0 // camera helpers sit on a socket in production: no UART pacing
			}
			h := host.NewPTY(d.eng, filepath.Join(s.dir, d.name), lineRate)
			if d.kind == device.KindFinger || d.kind == device.KindSignature {
				h.EmulateBaud(d.baud) // a driver at the wrong rate reads garbage
			}
			if err := h.Plug(); err != nil {
				s.Close()
				return nil, fmt.Errorf("simset: %s: %w", d.name, err)
			}
			sim := &Sim{Name: d.name, Kind: d.kind, Driver: d.driver, Transport: "serial", Baud: d.baud,
				faults: d.faults, finger: d.finger, pty: h}
			sim.open = func() device.Device { dev, _, _ := catalog.OpenSerial(d.driver, h.Path(), d.baud); return dev }
			s.Sims = append(s.Sims, sim)
		}
	}
	if o.USB {
		for i, m := range vcdrv.Models {
			eng := vcsim.New(m, o.Identity, src)
			name := fmt.Sprintf("usbfp%d", i)
			dev := s.Bus.Attach(m.VID, m.PID, fmt.Sprintf("1-%d", i+3), eng)
			sim := &Sim{Name: name, Kind: device.KindFinger, Driver: "vcom5s", Transport: "usb",
				faults: &eng.Faults, finger: eng.Finger(), usb: dev,
				open: func() device.Device { return vcdrv.New(s.Bus, m, "", vcdrv.Config{}) }}
			if m.Slap {
				sim.hand = eng.PlaceHand
			}
			s.Sims = append(s.Sims, sim)
		}
	}
	if o.USB {
		m := wsdrv.Models[1]
		eng := wssim.New(m, o.Identity, src, 1)
		dev := s.Bus.Attach(m.VID, m.PID, "1-6", eng)
		s.Sims = append(s.Sims, &Sim{Name: "pad1", Kind: device.KindSignature, Driver: "wacomstu", Transport: "usb",
			faults: &eng.Faults, usb: dev,
			open: func() device.Device { return wsdrv.New(s.Bus, m, "", wsdrv.Config{}) }})
	}
	if o.Control != "" {
		c, err := control.Listen(o.Control)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.Control = c
		for _, sim := range s.Sims {
			c.Add(sim.Name, sim)
		}
	}
	sort.Slice(s.Sims, func(i, j int) bool { return s.Sims[i].Name < s.Sims[j].Name })
	return s, nil
}

// Get returns the named device.
func (s *Set) Get(name string) (*Sim, bool) {
	for _, sim := range s.Sims {
		if sim.Name == name {
			return sim, true
		}
	}
	return nil, false
}

// Close stops every device and removes the links.
func (s *Set) Close() {
	if s.Control != nil {
		s.Control.Close()
	}
	for _, sim := range s.Sims {
		if sim.pty != nil {
			sim.pty.Close()
		}
	}
	if s.ownDir {
		os.RemoveAll(s.dir)
	}
}
