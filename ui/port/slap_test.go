package port

import (
	"errors"
	"fmt"
	"testing"
)

func TestSlapFingersCoverTheTenOnce(t *testing.T) {
	seen := map[Finger]Slap{}
	for _, s := range Slaps {
		for _, f := range s.Fingers() {
			if prev, ok := seen[f]; ok {
				t.Errorf("finger %d in slaps %d and %d", f, prev, s)
			}
			seen[f] = s
			if SlapOf(f) != s {
				t.Errorf("SlapOf(%d) = %d, want %d", f, SlapOf(f), s)
			}
		}
	}
	if len(seen) != len(Fingers) {
		t.Errorf("slaps hold %d fingers, want %d", len(seen), len(Fingers))
	}
	steps := map[string]bool{}
	for _, st := range Steps() {
		steps[st] = true
	}
	for _, s := range Slaps {
		if steps[s.Step()] || s.Step() != fmt.Sprintf("slap.%d", int(s)) {
			t.Errorf("slap %d step %q: must be its own, outside the required steps", s, s.Step())
		}
	}
	if Slap(1).Fingers() != nil {
		t.Error("a single finger position is no slap")
	}
}

func TestFingerCountErrorUnwrapsFromWrapping(t *testing.T) {
	err := fmt.Errorf("capture slap: %w", &FingerCountError{Got: 3, Want: 4})
	var fc *FingerCountError
	if !errors.As(err, &fc) || fc.Got != 3 || fc.Want != 4 || fc.Error() != "3 fingers found, 4 expected" {
		t.Fatalf("%v → %+v", err, fc)
	}
}
