package quality_test

import (
	"errors"
	"image"
	"math"
	"testing"

	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/synth"
)

// slapCase is one synthetic slap and the truth of its layout, scaled by
// scale and shifted by (ox, oy) the way biosrc.Fit places it on a reader.
type slapCase struct {
	name     string
	slap     synth.Slap
	missing  []int
	identity uint64
	fitW     int // 0 = the generator's own 500 dpi size
	fitH     int
}

// render draws the case and returns the image and, per finger left to
// right, the truth centre in the image's pixels and the rotation.
func (c slapCase) render() (*image.Gray, [][3]float64) {
	opts := synth.SlapOptions{Missing: c.missing}
	full := synth.SlapImage(c.identity, c.slap, 0, opts)
	img := full
	scale, ox, oy := 1.0, 0.0, 0.0
	if c.fitW > 0 {
		w, h := float64(img.Bounds().Dx()), float64(img.Bounds().Dy())
		scale = math.Min(float64(c.fitW)/w, float64(c.fitH)/h)
		ox, oy = float64((c.fitW-int(w*scale))/2), float64((c.fitH-int(h*scale))/2)
		img = biosrc.Fit(img, c.fitW, c.fitH)
	}
	var truth [][3]float64
	lay := synth.SlapLayout(c.identity, c.slap, 0, opts)
	for i, p := range synth.SlapContactCentres(full, lay) {
		truth = append(truth, [3]float64{ox + p.X*scale, oy + p.Y*scale, lay[i].Rotation})
	}
	return img, truth
}

var slapCases = []slapCase{
	{name: "right four", slap: synth.RightFour, identity: 11},
	{name: "thumbs", slap: synth.Thumbs, identity: 13},
	{name: "right four, ring missing", slap: synth.RightFour, missing: []int{4}, identity: 14},
	{name: "right four on the simulated reader", slap: synth.RightFour, identity: 15, fitW: 960, fitH: 440},
	{name: "left four, little missing, on the simulated reader", slap: synth.LeftFour, missing: []int{10}, identity: 18, fitW: 960, fitH: 440},
}

// TestSegmentFindsEachFingerOfSyntheticSlaps counts the fingers of each
// slap (CountFingers) and checks each segment's centre
// against the generator's truth (the centroid of the finger's own ink,
// placed by the generator's layout): within 0.6 mm (12 px at 500 dpi) on a
// full-size slap and within the same distance scaled on the reader's
// smaller image, in the truth's left-to-right order, nearer its own truth
// than any other finger's, with an axis within 0.3 rad of the finger's
// tilt and a crop that shows one finger.
func TestSegmentFindsEachFingerOfSyntheticSlaps(t *testing.T) {
	for _, c := range slapCases {
		t.Run(c.name, func(t *testing.T) {
			img, truth := c.render()
			if n := quality.CountFingers(img); n != len(truth) {
				t.Errorf("CountFingers = %d, want %d", n, len(truth))
			}
			segs, err := quality.Segment(img, len(truth))
			if err != nil {
				t.Fatal(err)
			}
			if len(segs) != len(truth) {
				t.Fatalf("%d segments, want %d", len(segs), len(truth))
			}
			tol := 12.0
			if c.fitW > 0 {
				tol *= float64(c.fitH) / synth.DefaultSlapHeight
			}
			for i, s := range segs {
				d := math.Hypot(s.CX-truth[i][0], s.CY-truth[i][1])
				t.Logf("finger %d: centre off by %.1f px (tolerance %.1f), axis %.3f rad, truth %.3f", i, d, tol, s.Angle, truth[i][2])
				if d > tol {
					t.Errorf("finger %d: centre (%.0f,%.0f), truth (%.0f,%.0f): %.1f px off, tolerance %.1f", i, s.CX, s.CY, truth[i][0], truth[i][1], d, tol)
				}
				for j := range truth {
					if j != i && math.Hypot(s.CX-truth[j][0], s.CY-truth[j][1]) <= d {
						t.Errorf("finger %d: nearer finger %d's truth than its own", i, j)
					}
				}
				if math.Abs(s.Angle-truth[i][2]) > 0.3 {
					t.Errorf("finger %d: axis %.3f rad, truth %.3f", i, s.Angle, truth[i][2])
				}
				if !image.Pt(int(s.CX), int(s.CY)).In(s.Box) || s.Image.Bounds().Dx() != s.Box.Dx() || s.Image.Bounds().Dy() != s.Box.Dy() {
					t.Errorf("finger %d: box %v, image %v, centre (%.0f,%.0f)", i, s.Box, s.Image.Bounds(), s.CX, s.CY)
				}
				if q := quality.Assess(s.Image); q.Fingers != 1 {
					t.Errorf("finger %d: its segment shows %d fingers", i, q.Fingers)
				}
			}
		})
	}
}

func TestSegmentRefusesBadInput(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range blank.Pix {
		blank.Pix[i] = 245
	}
	img, _ := slapCase{slap: synth.Thumbs, identity: 3, fitW: 960, fitH: 440}.render()
	tests := []struct {
		name string
		img  *image.Gray
		want int
	}{
		{"no fingers asked for", img, 0},
		{"blank platen", blank, 4},
		{"tiny image", image.NewGray(image.Rect(0, 0, 4, 4)), 1},
		{"negative count", img, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := quality.Segment(tt.img, tt.want); !errors.Is(err, quality.ErrSegment) {
				t.Fatalf("err = %v, want ErrSegment", err)
			}
		})
	}
}

func BenchmarkSegmentReaderSlap(b *testing.B) {
	img, truth := slapCases[4].render()
	for b.Loop() {
		if _, err := quality.Segment(img, len(truth)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCountFingersReaderSlap(b *testing.B) {
	img, _ := slapCases[4].render()
	for b.Loop() {
		quality.CountFingers(img)
	}
}
