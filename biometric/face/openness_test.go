package face

import (
	"math"
	"testing"
)

// drawEye returns a plane holding one synthetic eye at (ied, ied) drawn at
// the given inter-eye distance: skin, and either an almond-shaped opening
// with sclera and a dark iris disc under a dark upper lash line, or a
// closed lid (a curved lash line under a faint crease). gain and offset
// change the contrast and brightness. Each pixel averages 4 × 4 subsamples,
// as a camera's optics would, so that curved lines carry no stair-steps.
func drawEye(ied float64, open bool, gain, offset float64) plane {
	n := int(2 * ied)
	c := Point{ied, ied}
	hw, up, lo := 0.23*ied, 0.07*ied, 0.05*ied
	return synthPlane(n, n, func(x, y int) float64 {
		sum := 0.0
		for i := range 16 {
			sum += eyeAt(float64(x)+(float64(i%4)+0.5)/4-0.5-c.X, float64(y)+(float64(i/4)+0.5)/4-0.5-c.Y, ied, hw, up, lo, open)
		}
		return offset + gain*sum/16
	})
}

// eyeAt is the brightness of the synthetic eye at offset (dx, dy) from its centre.
func eyeAt(dx, dy, ied, hw, up, lo float64, open bool) float64 {
	{
		v := 170.0
		t := 1 - (dx/hw)*(dx/hw)
		switch {
		case open && t > 0 && dy > -up*t && dy < lo*t:
			v = 215 // sclera
			if math.Hypot(dx, dy) < 0.095*ied {
				v = 60 // iris
			}
			if math.Abs(dy+up*t) < 0.02*ied {
				v = 40 // upper lash line
			}
		case !open && t > 0 && math.Abs(dy-0.02*ied*t) < 0.02*ied:
			v = 45 // closed lid margin
		case !open && t > 0 && math.Abs(dy+0.1*ied*t) < 0.01*ied:
			v = 150 // lid crease
		}
		return v
	}
}

func TestEyeOpenness(t *testing.T) {
	tests := []struct {
		name   string
		p      plane
		ied    float64
		e      Point
		lo, hi float64
	}{
		{"open eye at ICAO resolution", drawEye(90, true, 1, 0), 90, Point{90, 90}, EyeOpenThreshold, math.Inf(1)},
		{"open eye at Yale resolution", drawEye(54, true, 1, 0), 54, Point{54, 54}, EyeOpenThreshold, math.Inf(1)},
		{"open eye, dim and flat light", drawEye(90, true, 0.4, 20), 90, Point{90, 90}, EyeOpenThreshold, math.Inf(1)},
		{"open eye, pupil found 3 % IED off", drawEye(90, true, 1, 0), 90, Point{92.7, 91}, EyeOpenThreshold, math.Inf(1)},
		{"closed eye", drawEye(90, false, 1, 0), 90, Point{90, 90}, math.Inf(-1), EyeOpenThreshold},
		{"closed eye at Yale resolution", drawEye(54, false, 1, 0), 54, Point{54, 54}, math.Inf(-1), EyeOpenThreshold},
		{"flat skin", synthPlane(180, 180, func(x, y int) float64 { return 150 }), 90, Point{90, 90}, 0, 0},
		{"no inter-eye distance", drawEye(90, true, 1, 0), 0, Point{90, 90}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := eyeOpenness(tt.p, tt.e, tt.ied); !(v >= tt.lo && v <= tt.hi) {
				t.Fatalf("openness %.3f outside [%v, %v]", v, tt.lo, tt.hi)
			}
		})
	}
}

// TestEyeOpennessInvariance checks that brightness, contrast and the image
// scale barely move the measure.
func TestEyeOpennessInvariance(t *testing.T) {
	ref := eyeOpenness(drawEye(90, true, 1, 0), Point{90, 90}, 90)
	for _, c := range []struct {
		name string
		v    float64
	}{
		{"contrast 0.5, brighter", eyeOpenness(drawEye(90, true, 0.5, 60), Point{90, 90}, 90)},
		{"twice the resolution", eyeOpenness(drawEye(180, true, 1, 0), Point{180, 180}, 180)},
	} {
		if math.Abs(c.v-ref)/ref > 0.1 {
			t.Errorf("%s: openness %.3f, reference %.3f", c.name, c.v, ref)
		}
	}
}

func TestEyesOpenCheck(t *testing.T) {
	th := DefaultThresholds
	tests := []struct {
		name           string
		open           [2]float64
		pass, measured bool
	}{
		{"both open", [2]float64{1.1, 0.9}, true, true},
		{"wink", [2]float64{1.1, th.MinEyeOpen - 0.05}, false, true},
		{"both closed", [2]float64{-0.3, th.MinEyeOpen - 0.01}, false, true},
		{"just open", [2]float64{th.MinEyeOpen, 2}, true, true},
		{"not a number", [2]float64{math.NaN(), 1}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := EyesOpenCheck(tt.open, th)
			if r.Pass != tt.pass || r.Measured != tt.measured || r.Name != CheckEyesOpen || r.EN == "" || r.ID == "" {
				t.Fatalf("got %+v", r)
			}
		})
	}
}

func BenchmarkEyeOpenness(b *testing.B) {
	p := drawEye(90, true, 1, 0)
	for b.Loop() {
		eyeOpenness(p, Point{90, 90}, 90)
	}
}
