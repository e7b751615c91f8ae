package devport

import (
	"context"
	"fmt"

	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui/port"
)

// SimControl is the simulated set (rekam --sim) behind port.SimControl:
// the same unplug, replug, finger and fault controls as the simulators'
// HTTP control API, in process.
type SimControl struct {
	set *simset.Set
}

var _ port.SimControl = (*SimControl)(nil)

// NewSimControl controls a running simulated set.
func NewSimControl(set *simset.Set) *SimControl { return &SimControl{set: set} }

// SimEntries opens an in-process driver for every simulated device and
// names it by its simulator, for NewBench. The caller closes the devices.
func SimEntries(set *simset.Set) []BenchEntry {
	out := make([]BenchEntry, 0, len(set.Sims))
	for _, s := range set.Sims {
		out = append(out, BenchEntry{ID: s.Name, Device: s.Open()})
	}
	return out
}

// FromSimSet opens every simulated device through its real driver and
// returns the capture ports (the first device of each modality), the
// technician's bench with the simulator control, and a func that closes
// the devices (before set.Close).
func FromSimSet(ctx context.Context, set *simset.Set) (port.Devices, *Bench, func()) {
	es := SimEntries(set)
	devs, bench, closeAll := FromEntries(ctx, es, NewSimControl(set))
	placeHands(devs, es, set)
	return devs, bench, closeAll
}

func (c *SimControl) sim(id string) (*simset.Sim, error) {
	s, ok := c.set.Get(id)
	if !ok {
		return nil, fmt.Errorf("%s: %w", id, port.ErrUnknownSim)
	}
	return s, nil
}

// SimStatus implements port.SimControl.
func (c *SimControl) SimStatus(id string) (port.SimStatus, error) {
	s, err := c.sim(id)
	if err != nil {
		return port.SimStatus{}, err
	}
	st := port.SimStatus{Plugged: s.Plugged(), Armed: s.Faults().Pending()}
	st.HasFinger, st.FingerPresent = s.Finger()
	for _, k := range s.Supported() {
		st.Supported = append(st.Supported, string(k))
	}
	return st, nil
}

// Inject implements port.SimControl: it arms one occurrence of a fault the
// device supports.
func (c *SimControl) Inject(id, name string) error {
	s, err := c.sim(id)
	if err != nil {
		return err
	}
	k, err := fault.Parse(name)
	if err != nil {
		return fmt.Errorf("inject: %w", err)
	}
	for _, ok := range s.Supported() {
		if ok == k {
			s.Faults().Inject(k, 1)
			return nil
		}
	}
	return fmt.Errorf("inject: %s cannot produce %s", id, name)
}

// ClearFaults implements port.SimControl.
func (c *SimControl) ClearFaults(id string) error {
	s, err := c.sim(id)
	if err != nil {
		return err
	}
	s.Faults().Clear()
	return nil
}

// Unplug implements port.SimControl.
func (c *SimControl) Unplug(id string) error {
	s, err := c.sim(id)
	if err != nil {
		return err
	}
	s.Unplug()
	return nil
}

// Replug implements port.SimControl.
func (c *SimControl) Replug(id string) error {
	s, err := c.sim(id)
	if err != nil {
		return err
	}
	if err := s.Replug(); err != nil {
		return fmt.Errorf("replug %s: %w", id, err)
	}
	return nil
}

// SetFinger implements port.SimControl.
func (c *SimControl) SetFinger(id string, present bool) error {
	s, err := c.sim(id)
	if err != nil {
		return err
	}
	if has, _ := s.Finger(); !has {
		return fmt.Errorf("%s takes no finger", id)
	}
	s.SetFinger(present)
	return nil
}
