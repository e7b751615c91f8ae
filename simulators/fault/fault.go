// Package fault holds the scripted faults a simulator can be told to
// produce: one-shot (or n-shot) triggers consumed by the device engine at
// the point where the fault makes sense.
package fault

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Kind is one scripted fault.
type Kind string

// Faults every simulator understands (each engine applies those its
// protocol can express; Supported lists them).
const (
	Unplug      Kind = "unplug"       // the device vanishes in the middle of the next image transfer
	Timeout     Kind = "timeout"      // the next command gets no answer
	BadChecksum Kind = "bad-checksum" // the next answer has a corrupted checksum
	Truncated   Kind = "truncated"    // the next answer stops half way
	FingerCount Kind = "finger-count" // the next slap shows one finger too few
	Wet         Kind = "wet"          // the next finger image is wet
	Dry         Kind = "dry"          // the next finger image is dry
	LowQuality  Kind = "low-quality"  // the next image is faint and partial
	Busy        Kind = "busy"         // the device answers the next command as busy
	SensorFault Kind = "sensor"       // the sensor reports a hardware error
)

// All lists every fault kind.
var All = []Kind{Unplug, Timeout, BadChecksum, Truncated, FingerCount, Wet, Dry, LowQuality, Busy, SensorFault}

// Parse checks a fault name.
func Parse(s string) (Kind, error) {
	for _, k := range All {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(All))
	for i, k := range All {
		names[i] = string(k)
	}
	return "", fmt.Errorf("unknown fault %q (known: %s)", s, strings.Join(names, ", "))
}

// Set is a thread-safe bag of armed faults.
type Set struct {
	mu    sync.Mutex
	armed map[Kind]int
}

// Inject arms k for the next n occurrences (n < 1 means 1).
func (s *Set) Inject(k Kind, n int) {
	if n < 1 {
		n = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.armed == nil {
		s.armed = map[Kind]int{}
	}
	s.armed[k] += n
}

// Take consumes one occurrence of k and reports whether it was armed.
func (s *Set) Take(k Kind) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.armed[k] == 0 {
		return false
	}
	s.armed[k]--
	if s.armed[k] == 0 {
		delete(s.armed, k)
	}
	return true
}

// Armed reports whether k is armed, without consuming it.
func (s *Set) Armed(k Kind) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.armed[k] > 0
}

// Clear disarms everything.
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = nil
}

// Pending lists the armed faults, sorted, as "kind×n".
func (s *Set) Pending() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, n := range s.armed {
		out = append(out, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(out)
	return out
}
