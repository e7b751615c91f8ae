package tmplsynth

import (
	"reflect"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
)

func TestFingerPlausibleAndDeterministic(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		for pos := 1; pos <= 10; pos++ {
			a := Finger(seed, pos)
			if !reflect.DeepEqual(a, Finger(seed, pos)) {
				t.Fatalf("seed %d finger %d not deterministic", seed, pos)
			}
			if n := len(a.Minutiae); n < 20 || n > 55 {
				t.Fatalf("seed %d finger %d: %d minutiae", seed, pos, n)
			}
			for _, m := range a.Minutiae {
				if m.X < 0 || m.Y < 0 || m.X >= a.Width || m.Y >= a.Height || m.Angle < 0 || m.Angle >= 6.2832 {
					t.Fatalf("minutia out of range: %+v", m)
				}
			}
			if _, err := a.MarshalBinary(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Two strangers do not match by the engine's calibrated score.
	if s := finger.NewProbe(Finger(1, 2)).Score(finger.Prepare(Finger(2, 2))); s >= finger.ThresholdForFMR(1e-3) {
		t.Errorf("different synthetic fingers score %.2f", s)
	}
}

func TestIrisPlausible(t *testing.T) {
	a, b := Iris(1, 0), Iris(2, 0)
	if *a != *Iris(1, 0) {
		t.Fatal("iris not deterministic")
	}
	if v := a.ValidBits(); v < iris.CodeBits/2 || v == iris.CodeBits {
		t.Fatalf("valid bits %d of %d: want a mask with some occlusion", v, iris.CodeBits)
	}
	if d := iris.HammingDistance(a, b).Distance; d < 0.38 {
		t.Fatalf("two synthetic eyes at distance %.3f, want a stranger's (≈0.45)", d)
	}
	if d := iris.HammingDistance(a, a).Distance; d > 0.01 {
		t.Fatalf("an eye against itself at %.3f", d)
	}
}
