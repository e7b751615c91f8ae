package face

import (
	"math"
	"testing"
)

// synthPlane draws a w × h plane with value f(x, y).
func synthPlane(w, h int, f func(x, y int) float64) plane {
	p := plane{w: w, h: h, v: make([]float64, w*h)}
	for y := range h {
		for x := range w {
			p.v[y*w+x] = f(x, y)
		}
	}
	return p
}

func TestMeasures(t *testing.T) {
	f := Face{EyeL: Point{80, 100}, EyeR: Point{120, 100}, Size: 120, Center: Point{100, 110}}
	checker := func(x, y int) float64 { return float64(100 + 80*((x/2+y/2)%2)) }
	blurred := func(x, y int) float64 { return 140 + 10*math.Sin(float64(x)/9) }
	tests := []struct {
		name    string
		p       plane
		measure func(plane) float64
		lo, hi  float64
	}{
		{"even light", synthPlane(200, 250, func(x, y int) float64 { return 120 }), func(p plane) float64 { return illumAsymmetry(p, f) }, 0, 0.001},
		{"side light", synthPlane(200, 250, func(x, y int) float64 { return float64(10 + 2*x) }), func(p plane) float64 { return illumAsymmetry(p, f) }, DefaultThresholds.MaxIllumAsymmetry, 1},
		{"sharp", synthPlane(200, 250, checker), func(p plane) float64 { return sharpness(p, faceRect(f)) }, 1, 100},
		{"blurred", synthPlane(200, 250, blurred), func(p plane) float64 { return sharpness(p, faceRect(f)) }, 0, 0.05},
		{"plain backdrop", synthPlane(200, 250, func(x, y int) float64 { return 200 }), func(p plane) float64 { v, _ := backgroundSD(p, f); return v }, 0, 0.001},
		{"busy backdrop", synthPlane(200, 250, checker), func(p plane) float64 { v, _ := backgroundSD(p, f); return v }, 20, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := tt.measure(tt.p); v < tt.lo || v > tt.hi {
				t.Fatalf("value %.4f outside [%v, %v]", v, tt.lo, tt.hi)
			}
		})
	}
}

func TestCropInsideAndRoll(t *testing.T) {
	centred := Face{EyeL: Point{250, 300}, EyeR: Point{370, 300}}
	tests := []struct {
		name   string
		f      Face
		w, h   float64
		lo, hi float64
	}{
		{"centred in a large frame", centred, 640, 800, 1, 1},
		{"too close to the left edge", Face{EyeL: Point{20, 300}, EyeR: Point{140, 300}}, 640, 800, 0.3, 0.8},
		{"frame too small", centred, 400, 400, 0, 0.6},
	}
	for _, tt := range tests {
		if v := cropInside(tt.f, CardPortrait, tt.w, tt.h); v < tt.lo || v > tt.hi {
			t.Errorf("%s: inside %.2f outside [%v, %v]", tt.name, v, tt.lo, tt.hi)
		}
	}
	tilted := Face{EyeL: Point{0, 0}, EyeR: Point{100, 10}}
	if r := tilted.Roll(); math.Abs(r-5.71) > 0.01 {
		t.Fatalf("roll %.2f, want 5.71", r)
	}
}
