package synth_test

import (
	"fmt"

	"github.com/rekam-ktp/rekam/simulators/synth"
)

func ExampleFinger() {
	// Right index finger (ISO position 2) of person 7, third impression, wet.
	img := synth.Finger(7, 2, 2, synth.FingerOptions{Condition: synth.Wet})
	truth := synth.FingerTruth(7, 2)
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), truth.Class, len(truth.Cores), "core(s)")
	// Output: 300 400 left-loop 1 core(s)
}

func ExampleIris() {
	img := synth.Iris(7, 0, 0)
	g := synth.IrisTruth(7, 0, 0)
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), g.PupilR < g.IrisR)
	// Output: 320 280 true
}

func ExampleSignature() {
	s := synth.Signature(7, 0)
	x, y, p := s[len(s)/2].PadUnits(100, 1023) // Wacom STU: 100 units/mm, 10-bit pressure
	fmt.Println(s[1].T, x > 0 && y > 0, p >= 0)
	// Output: 5ms true true
}

func ExampleFace() {
	img := synth.FaceVariant(7, 0, synth.FaceOptions{Hijab: true})
	lm := synth.FaceLandmarks(7, 0, synth.FaceOptions{Hijab: true})
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), lm.LeftEye.X > lm.RightEye.X)
	// Output: 480 640 true
}

func ExampleSlapImage() {
	lay := synth.SlapLayout(7, synth.RightFour, 0, synth.SlapOptions{Missing: []int{4}})
	for _, f := range lay {
		fmt.Print(f.Finger, " ")
	}
	fmt.Println()
	// Output: 2 3 5
}
