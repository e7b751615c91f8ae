package gen

import (
	"math"
	"testing"
)

func TestRandStreams(t *testing.T) {
	a, b := Rand(DomIrisPerson, 7, 1), Rand(DomIrisPerson, 7, 1)
	for i := 0; i < 100; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed, different streams")
		}
	}
	tests := []struct {
		name string
		x, y uint64
	}{
		{"other domain", Rand(DomFacePerson, 7, 1).Uint64(), Rand(DomIrisPerson, 7, 1).Uint64()},
		{"other value", Rand(DomIrisPerson, 7, 2).Uint64(), Rand(DomIrisPerson, 7, 1).Uint64()},
		{"values not summed", Rand(DomIrisPerson, 1, 2).Uint64(), Rand(DomIrisPerson, 2, 1).Uint64()},
	}
	for _, tt := range tests {
		if tt.x == tt.y {
			t.Errorf("%s: streams start alike", tt.name)
		}
	}
}

func TestGaussIsClipped(t *testing.T) {
	r := Rand(DomSignWriter, 1)
	for i := 0; i < 10000; i++ {
		if v := Gauss(r, 5, 2); v < -1 || v > 11 {
			t.Fatalf("gauss %v outside mean ± 3 sd", v)
		}
		if v := Uniform(r, 2, 3); v < 2 || v >= 3 {
			t.Fatalf("uniform %v outside [2, 3)", v)
		}
	}
}

func TestNoiseIsSmooth(t *testing.T) {
	f := NewNoise(Rand(DomFingerMaster, 3), 200, 100, 20)
	var maxStep float64
	for x := -10.0; x < 220; x += 0.5 {
		maxStep = math.Max(maxStep, math.Abs(f.At(x+0.5, 50)-f.At(x, 50)))
	}
	// Values are N(0,1) on a 20 px grid: half a pixel moves little.
	if maxStep > 0.35 {
		t.Errorf("largest change over half a pixel %.3f", maxStep)
	}
	if f.At(-1e9, 1e9) != f.At(-1e9, 1e9) {
		t.Error("far-away samples are not clamped to a value")
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"clamp low", Clamp(-2, 0, 1), 0},
		{"clamp high", Clamp(5, 0, 1), 1},
		{"smoothstep mid", Smoothstep(0.5), 0.5},
		{"grey8 rounds", float64(Grey8(10.6)), 11},
		{"grey8 clamps", float64(Grey8(300)), 255},
		{"or default", float64(OrDefault(0, 7)), 7},
		{"or value", float64(OrDefault(3, 7)), 3},
		{"blur keeps flat", BoxBlur3([]float64{4, 4, 4, 4}, 2, 2)[3], 4},
		{"blur averages", BoxBlur3([]float64{9, 0, 0, 0, 0, 0, 0, 0, 0}, 3, 3)[4], 1},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
