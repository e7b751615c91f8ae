package porttest

import (
	"bytes"
	"image/png"
	"testing"
)

func TestCaptures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fingers []int
		steps   []string
		bad     bool
	}{
		{"two fingers", []int{2, 7}, []string{"finger.02", "finger.07", "iris.right", "iris.left", "face"}, false},
		{"irises and face only", nil, []string{"iris.right", "iris.left", "face"}, false},
		{"bad position", []int{11}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Captures(77, 0, tc.fingers...)
			if tc.bad {
				if err == nil {
					t.Fatal("finger 11 accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(m) != len(tc.steps) {
				t.Fatalf("%d steps, want %d", len(m), len(tc.steps))
			}
			for _, s := range tc.steps {
				if _, err := png.Decode(bytes.NewReader(m[s])); err != nil {
					t.Errorf("%s: %v", s, err)
				}
			}
		})
	}
}
