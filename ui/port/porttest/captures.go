// Package porttest draws synthetic captures for the tests of the station's
// screens and their port: one impression of a synthetic person as the PNG
// blobs the store holds, by capture step. It imports no Fyne and not
// package port (whose own tests use it).
package porttest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sync"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

type key struct {
	person     uint64
	impression int
	fingers    string
}

// cache keeps drawn impressions: drawing prints is the slow part of a test.
var cache sync.Map

// Captures returns one impression of person: the given fingers (ISO
// positions 1–10, steps "finger.NN"), both irises ("iris.right",
// "iris.left") and a plain face ("face"), PNG-encoded. Steps not in the
// map are for the caller to record as exceptions. The result is shared:
// do not modify it.
func Captures(person uint64, impression int, fingers ...int) (map[string][]byte, error) {
	k := key{person, impression, fmt.Sprint(fingers)}
	if v, ok := cache.Load(k); ok {
		return v.(map[string][]byte), nil
	}
	out := map[string][]byte{}
	add := func(step string, img image.Image) error {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return fmt.Errorf("synthetic %s: %w", step, err)
		}
		out[step] = b.Bytes()
		return nil
	}
	for _, f := range fingers {
		if f < 1 || f > 10 {
			return nil, fmt.Errorf("synthetic finger %d: want an ISO position 1–10", f)
		}
		if err := add(fmt.Sprintf("finger.%02d", f), synth.Finger(person, f, impression, synth.FingerOptions{})); err != nil {
			return nil, err
		}
	}
	for eye, name := range []string{"right", "left"} {
		if err := add("iris."+name, synth.Iris(person, eye, impression)); err != nil {
			return nil, err
		}
	}
	if err := add("face", image.NewGray(image.Rect(0, 0, 60, 80))); err != nil {
		return nil, err
	}
	cache.Store(k, out)
	return out, nil
}
