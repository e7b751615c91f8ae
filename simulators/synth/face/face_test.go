package face

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pigo "github.com/esimov/pigo/core"
	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
	"github.com/rekam-ktp/rekam/simulators/synth/internal/gentest"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

// faceFinder loads pigo's face cascade from the module cache.
func faceFinder(t testing.TB) *pigo.Pigo {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output()
	if err != nil {
		t.Fatalf("locate pigo module: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "cascade", "facefinder"))
	if err != nil {
		t.Fatalf("read pigo cascade: %v", err)
	}
	p, err := pigo.NewPigo().Unpack(data)
	if err != nil {
		t.Fatalf("unpack pigo cascade: %v", err)
	}
	return p
}

// detectFaces runs pigo on img and returns the detections above quality q.
func detectFaces(p *pigo.Pigo, img image.Image, q float32) []pigo.Detection {
	b := img.Bounds()
	params := pigo.CascadeParams{
		MinSize: 160, MaxSize: 560, ShiftFactor: 0.1, ScaleFactor: 1.1,
		ImageParams: pigo.ImageParams{Pixels: pigo.RgbToGrayscale(img), Rows: b.Dy(), Cols: b.Dx(), Dim: b.Dx()},
	}
	var out []pigo.Detection
	for _, d := range p.ClusterDetections(p.RunCascade(params, 0), 0.2) {
		if d.Q >= q {
			out = append(out, d)
		}
	}
	return out
}

func TestFaceDeterministic(t *testing.T) {
	for _, o := range []Options{{}, {EyesClosed: true, Yaw: 0.3, SideLight: -1, Width: 300, Height: 400}} {
		a, b := Variant(3, 1, o), Variant(3, 1, o)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%+v: two calls differ", o)
		}
	}
	// Different persons differ clearly, impressions of one person little.
	meanDiff := func(a, b []byte) float64 {
		var s float64
		for i := range a {
			s += math.Abs(float64(a[i]) - float64(b[i]))
		}
		return s / float64(len(a))
	}
	f3, f3b, f4 := Image(3, 0).Pix, Image(3, 1).Pix, Image(4, 0).Pix
	if d := meanDiff(f3, f4); d < 8 {
		t.Errorf("identities 3 and 4: mean |Δ| %.1f, want clearly different faces", d)
	}
	if bytes.Equal(f3, f3b) {
		t.Error("impressions 0 and 1 of identity 3 are identical")
	}
}

func TestFaceDetectedByPigo(t *testing.T) {
	p := faceFinder(t)
	tests := []struct {
		name string
		opts Options
	}{
		{"frontal", Options{}},
		{"red background", Options{Background: color.RGBA{200, 30, 30, 255}}},
		{"blue background", Options{Background: color.RGBA{30, 60, 200, 255}}},
		{"eyes closed", Options{EyesClosed: true}},
		{"side light", Options{SideLight: 1}},
		{"other side light", Options{SideLight: -1}},
		{"head turned", Options{Yaw: 0.3}},
		{"hijab", Options{Hijab: true}},
		{"glasses", Options{Glasses: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := 0
			const n = 5
			for id := uint64(0); id < n; id++ {
				img := Variant(id, 0, tt.opts)
				tr := Landmarks(id, 0, tt.opts)
				for _, d := range detectFaces(p, img, 5) {
					// The detection must sit on the face, at its size.
					mid := gen.Point{X: (tr.LeftEye.X + tr.RightEye.X) / 2, Y: (tr.LeftEye.Y + tr.RightEye.Y) / 2}
					if math.Hypot(float64(d.Col)-mid.X, float64(d.Row)-mid.Y) < 0.6*tr.FaceHalfWidth &&
						float64(d.Scale) > 1.2*tr.FaceHalfWidth && float64(d.Scale) < 3.2*tr.FaceHalfWidth {
						found++
						break
					}
				}
			}
			if found < n-1 {
				t.Errorf("pigo found %d of %d faces", found, n)
			}
		})
	}
}

func TestFaceLandmarks(t *testing.T) {
	for id := uint64(0); id < 5; id++ {
		tr := Landmarks(id, 0, Options{})
		ied := math.Hypot(tr.LeftEye.X-tr.RightEye.X, tr.LeftEye.Y-tr.RightEye.Y)
		if ied < 90 || ied > 150 {
			t.Errorf("id %d: inter-eye distance %.1f px, want 90–150 (ICAO ≥ 90)", id, ied)
		}
		if tr.LeftEye.X <= tr.RightEye.X || tr.Nose.Y <= tr.LeftEye.Y || tr.Mouth.Y <= tr.Nose.Y {
			t.Errorf("id %d: landmarks out of order: %+v", id, tr)
		}
		img := Image(id, 0)
		// Pupils are the darkest spots around the eyes.
		for _, e := range []gen.Point{tr.LeftEye, tr.RightEye} {
			c := img.RGBAAt(int(e.X), int(e.Y))
			if c.R > 40 || c.G > 40 || c.B > 40 {
				t.Errorf("id %d: pixel at eye %v is %v, want a dark pupil", id, e, c)
			}
		}
		// Closed eyes: no dark pupil at the same place.
		closed := Variant(id, 0, Options{EyesClosed: true})
		if c := closed.RGBAAt(int(tr.LeftEye.X), int(tr.LeftEye.Y)); c.R < 60 {
			t.Errorf("id %d: closed eye still dark at the pupil: %v", id, c)
		}
	}
}

func TestFacePortraitProportions(t *testing.T) {
	for id := uint64(0); id < 12; id++ {
		for _, o := range []Options{{}, {Hijab: true}} {
			tr := Landmarks(id, 0, o)
			ratio := (tr.Chin.Y - tr.Crown.Y) / DefaultHeight
			if ratio < 0.62 || ratio > 0.85 || tr.Crown.Y < 5 {
				t.Errorf("id %d hijab %v: chin-to-crown %.2f of the height (crown at y=%.0f), want about 0.7–0.8", id, o.Hijab, ratio, tr.Crown.Y)
			}
		}
	}
	// The crown is where the head ends: background just above it.
	img := Image(4, 0)
	tr := Landmarks(4, 0, Options{})
	above, below := img.RGBAAt(int(tr.Crown.X), int(tr.Crown.Y)-4), img.RGBAAt(int(tr.Crown.X), int(tr.Crown.Y)+6)
	if above.R < 150 || below.R > 120 {
		t.Errorf("around the crown: above %v (want background), below %v (want hair)", above, below)
	}
}

func TestFaceYawAndLight(t *testing.T) {
	front := Landmarks(5, 0, Options{})
	turned := Landmarks(5, 0, Options{Yaw: 0.4})
	if turned.Nose.X-front.Nose.X < 20 {
		t.Errorf("yaw 0.4 moved the nose by %.1f px only", turned.Nose.X-front.Nose.X)
	}
	img := Variant(5, 0, Options{SideLight: 1})
	tr := Landmarks(5, 0, Options{SideLight: 1})
	lum := func(x, y float64) float64 {
		c := img.RGBAAt(int(x), int(y))
		return float64(c.R) + float64(c.G) + float64(c.B)
	}
	cheekY := (tr.Nose.Y + tr.Mouth.Y) / 2
	left := lum(tr.FaceCentre.X-0.6*tr.FaceHalfWidth, cheekY)
	right := lum(tr.FaceCentre.X+0.6*tr.FaceHalfWidth, cheekY)
	if right < left*1.3 {
		t.Errorf("side light from the right: right cheek %.0f, left cheek %.0f", right, left)
	}
}

func TestFaceAccessories(t *testing.T) {
	tr := Landmarks(6, 0, Options{})
	plain := Variant(6, 0, Options{})
	glasses := Variant(6, 0, Options{Glasses: true})
	glare := Variant(6, 0, Options{Glare: true})
	hijab := Variant(6, 0, Options{Hijab: true})
	lum := func(img *image.RGBA, x, y int) float64 {
		c := img.RGBAAt(x, y)
		return (float64(c.R) + float64(c.G) + float64(c.B)) / 3
	}
	// A vertical line through the eye crosses the rim above and below it.
	dark := func(img *image.RGBA) int {
		n := 0
		x := int(tr.LeftEye.X)
		for y := int(tr.LeftEye.Y - 0.25*tr.FaceHalfHeight); y < int(tr.LeftEye.Y+0.25*tr.FaceHalfHeight); y++ {
			if lum(img, x, y) < 40 {
				n++
			}
		}
		return n
	}
	if dark(glasses) < dark(plain)+4 {
		t.Errorf("glasses add %d dark pixels on a line through the eye", dark(glasses)-dark(plain))
	}
	// Glare brightens the lens beside the eye.
	var withGlare, without float64
	for dy := -8; dy <= 8; dy++ {
		for dx := -30; dx <= 30; dx++ {
			x, y := int(tr.LeftEye.X)+dx, int(tr.LeftEye.Y)+dy
			withGlare += lum(glare, x, y)
			without += lum(glasses, x, y)
		}
	}
	if withGlare < without*1.05 {
		t.Errorf("glare: lens luminance %.0f vs %.0f without", withGlare, without)
	}
	// The scarf hides the ears: there the hijab image shows the scarf colour.
	m := newFaceModel(6, 0, DefaultWidth, DefaultHeight, Options{Hijab: true})
	ear := m.toImage(m.earX[0]-0.1*m.a, 0.02*m.b)
	dist := func(c color.RGBA, ref [3]float64) float64 {
		return math.Abs(float64(c.R)-ref[0]) + math.Abs(float64(c.G)-ref[1]) + math.Abs(float64(c.B)-ref[2])
	}
	if d := dist(hijab.RGBAAt(int(ear.X), int(ear.Y)), m.scarf); d > 90 {
		t.Errorf("hijab at the ear: %v, scarf %v", hijab.RGBAAt(int(ear.X), int(ear.Y)), m.scarf)
	}
	if d := dist(plain.RGBAAt(int(ear.X), int(ear.Y)), scale(m.skin, 0.8)); d > 90 {
		t.Errorf("no hijab at the ear: %v, want skin %v", plain.RGBAAt(int(ear.X), int(ear.Y)), scale(m.skin, 0.8))
	}
}

func TestFaceGolden(t *testing.T) {
	gentest.CompareGolden(t, "face_7_0.png", Variant(7, 0, Options{Width: 150, Height: 200}), 1.0, *update)
}

func BenchmarkFace(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Image(uint64(i), i)
	}
}
