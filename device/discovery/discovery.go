// Package discovery finds capture devices and reports hot-plug events. gousb
// has no hot-plug API and udev's netlink cannot be faked by umockdev, so the
// registry polls: USB descriptors through transport.USBHost (nothing is
// opened), configured serial paths (ports, /dev/serial/by-id links, rekam-sim
// ptys) by their presence. Each poll is diffed against the last one into
// Attached and Detached events, keyed by an identity stable across replug.
package discovery

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Found is one device seen by a prober.
type Found struct {
	ID        string      `json:"id"` // stable across replug: VID:PID@port, or the serial path
	Kind      device.Kind `json:"kind"`
	Driver    string      `json:"driver"`
	Transport string      `json:"transport"`
	Path      string      `json:"path"`
}

// Prober reports the devices present now.
type Prober interface {
	Probe(ctx context.Context) ([]Found, error)
}

// USBModel maps a VID:PID to a driver.
type USBModel struct {
	VID, PID uint16
	Kind     device.Kind
	Driver   string
}

// USBProber lists USB devices and keeps those of known models.
type USBProber struct {
	Host   transport.USBHost
	Models []USBModel
}

// Probe implements Prober.
func (p USBProber) Probe(ctx context.Context) ([]Found, error) {
	list, err := p.Host.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Found
	for _, d := range list {
		for _, m := range p.Models {
			if d.VID == m.VID && d.PID == m.PID {
				out = append(out, Found{ID: d.ID(), Kind: m.Kind, Driver: m.Driver, Transport: "usb",
					Path: fmt.Sprintf("%03d/%03d", d.Bus, d.Address)})
			}
		}
	}
	return out, nil
}

// SerialPort is a configured serial device.
type SerialPort struct {
	Path   string
	Kind   device.Kind
	Driver string
}

// SerialProber reports configured serial paths that exist.
type SerialProber struct{ Ports []SerialPort }

// Probe implements Prober.
func (p SerialProber) Probe(ctx context.Context) ([]Found, error) {
	var out []Found
	for _, sp := range p.Ports {
		if _, err := os.Stat(sp.Path); err == nil {
			out = append(out, Found{ID: "serial:" + sp.Path, Kind: sp.Kind, Driver: sp.Driver, Transport: "serial", Path: sp.Path})
		}
	}
	return out, nil
}

// EventType says what happened.
type EventType string

// Event types.
const (
	Attached EventType = "attached"
	Detached EventType = "detached"
)

// Event is one hot-plug change.
type Event struct {
	Type   EventType `json:"type"`
	Device Found     `json:"device"`
	Time   time.Time `json:"time"`
}

// Registry tracks the present devices.
type Registry struct {
	probers []Prober
	mu      sync.Mutex
	present map[string]Found
	lost    map[string]bool
}

// New returns a registry over the probers.
func New(probers ...Prober) *Registry {
	return &Registry{probers: probers, present: map[string]Found{}, lost: map[string]bool{}}
}

// Lost records that a driver saw id disconnect (ErrDisconnected): the next
// poll reports it detached at once, and attached again once it is back.
func (r *Registry) Lost(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lost[id] = true
}

// Poll probes once and returns the changes since the last poll. A prober
// that fails leaves its devices as they were (no spurious detach).
func (r *Registry) Poll(ctx context.Context) ([]Event, error) {
	now := time.Now()
	seen := map[string]Found{}
	var errs []error
	failed := false
	for _, p := range r.probers {
		found, err := p.Probe(ctx)
		if err != nil {
			errs = append(errs, err)
			failed = true
			continue
		}
		for _, f := range found {
			seen[f.ID] = f
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var ev []Event
	for id, f := range r.present {
		if _, ok := seen[id]; (!ok && !failed) || r.lost[id] {
			ev = append(ev, Event{Detached, f, now})
			delete(r.present, id)
		}
	}
	for id, f := range seen {
		// A device reported lost but seen again was detached above and is
		// attached again on this same poll (drivers re-handshake).
		delete(r.lost, id)
		if _, ok := r.present[id]; !ok {
			ev = append(ev, Event{Attached, f, now})
			r.present[id] = f
		}
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].Type != ev[j].Type {
			return ev[i].Type == Detached
		}
		return ev[i].Device.ID < ev[j].Device.ID
	})
	return ev, errors.Join(errs...)
}

// Present returns the devices present at the last poll, sorted by ID.
func (r *Registry) Present() []Found {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Found, 0, len(r.present))
	for _, f := range r.present {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Run polls every interval and sends events until ctx ends.
func (r *Registry) Run(ctx context.Context, interval time.Duration, events chan<- Event) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ev, _ := r.Poll(ctx)
		for _, e := range ev {
			select {
			case events <- e:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
