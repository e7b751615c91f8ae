package face

import (
	"encoding/json"
	"errors"
	"flag"
	"image"
	"image/color"
	_ "image/gif"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// synthPortrait draws a frame with a uniform backdrop, a skin-coloured head
// ellipse, dark pupils at eyeL/eyeR and a mouth line; the head is scaled
// from the eye distance like a real one.
func synthPortrait(w, h int, bg color.NRGBA, eyeL, eyeR Point) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	ied := eyeL.Dist(eyeR)
	m := Point{(eyeL.X + eyeR.X) / 2, (eyeL.Y + eyeR.Y) / 2}
	ang := math.Atan2(eyeR.Y-eyeL.Y, eyeR.X-eyeL.X)
	for y := range h {
		for x := range w {
			// coordinates in the head frame (rotated with the eye line)
			dx, dy := float64(x)-m.X, float64(y)-m.Y
			u := dx*math.Cos(ang) + dy*math.Sin(ang)
			v := -dx*math.Sin(ang) + dy*math.Cos(ang)
			c := bg
			hu, hv := u/(1.1*ied), (v-0.2*ied)/(1.6*ied)
			switch {
			case math.Hypot(float64(x)-eyeL.X, float64(y)-eyeL.Y) < 0.09*ied || math.Hypot(float64(x)-eyeR.X, float64(y)-eyeR.Y) < 0.09*ied:
				c = color.NRGBA{30, 20, 20, 255}
			case math.Abs(u) < 0.4*ied && math.Abs(v-1.1*ied) < 0.04*ied:
				c = color.NRGBA{140, 40, 50, 255}
			case hu*hu+hv*hv <= 1:
				c = color.NRGBA{224, 172, 140, 255}
			case v > 1.9*ied && math.Abs(u) < 2*ied:
				c = color.NRGBA{60, 60, 70, 255} // shirt
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// golden compares img with testdata/name pixel by pixel, allowing one grey
// level of rounding difference per channel (bilinear sampling in floating
// point may round differently across CPUs).
func golden(t *testing.T, name string, img *image.NRGBA) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update)", p, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("golden %s: %v", p, err)
	}
	if want.Bounds() != img.Rect {
		t.Fatalf("size %v, golden %v", img.Rect, want.Bounds())
	}
	bad := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			a := img.NRGBAAt(x, y)
			b := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
			for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B), int(a.A) - int(b.A)} {
				if d > 1 || d < -1 {
					bad++
				}
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d channel values differ from %s by more than 1 (inspect, then run with -update)", bad, p)
	}
}

func TestBackdropFor(t *testing.T) {
	tests := []struct {
		year    int
		foreign bool
		want    Backdrop
	}{
		{1999, false, BackdropRed},
		{2000, false, BackdropBlue},
		{2008, false, BackdropBlue},
		{1987, true, BackdropOrange},
		{1990, true, BackdropOrange},
	}
	for _, tt := range tests {
		if got := BackdropFor(tt.year, tt.foreign); got != tt.want {
			t.Errorf("BackdropFor(%d, %v) = %s, want %s", tt.year, tt.foreign, got, tt.want)
		}
	}
}

func TestCropGolden(t *testing.T) {
	eyeL, eyeR := Point{250, 300}, Point{370, 310} // IED ≈ 120, tilted ≈ 4.8°
	src := synthPortrait(640, 800, color.NRGBA{200, 200, 200, 255}, eyeL, eyeR)
	out, err := Crop(src, eyeL, eyeR, CardPortrait)
	if err != nil {
		t.Fatal(err)
	}
	if out.Rect.Dx() != 300 || out.Rect.Dy() != 400 {
		t.Fatalf("size %v", out.Rect)
	}
	// the pupils land level on the eye line, a fixed distance apart
	eyeY := int(CardPortrait.EyeLine * 400)
	iedOut := CardPortrait.HeadHeight * 400 / 3.6
	for _, x := range []int{150 - int(iedOut/2), 150 + int(iedOut/2)} {
		if p := out.NRGBAAt(x, eyeY); p.R > 60 {
			t.Errorf("no pupil at (%d,%d): %v", x, eyeY, p)
		}
	}
	if p := out.NRGBAAt(150, eyeY); p.R < 150 {
		t.Errorf("between the eyes should be skin: %v", p)
	}
	golden(t, "crop_synthetic.png", out)

	if _, err := Crop(src, eyeL, eyeL, CardPortrait); err == nil {
		t.Fatal("cropped with coincident eyes")
	}
	if _, err := Crop(src, eyeL, eyeR, Portrait{Width: 5, Height: 5, EyeLine: 0.5, HeadHeight: 0.7}); err == nil {
		t.Fatal("accepted a 5x5 portrait")
	}
}

func TestBackdropCheckAndReplace(t *testing.T) {
	eyeL, eyeR := Point{250, 300}, Point{370, 300}
	src := synthPortrait(640, 800, color.NRGBA{205, 40, 35, 255}, eyeL, eyeR)
	crop, err := Crop(src, eyeL, eyeR, CardPortrait)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		want Backdrop
		pass bool
	}{{BackdropRed, true}, {BackdropBlue, false}, {BackdropOrange, false}}
	for _, tt := range tests {
		c, err := CheckBackdrop(crop, CardPortrait, tt.want, DefaultBackdropLimits)
		if err != nil {
			t.Fatal(err)
		}
		if c.Pass != tt.pass || c.ID == "" || c.EN == "" {
			t.Errorf("red backdrop checked for %s: %+v", tt.want, c)
		}
	}
	blue, err := ReplaceBackdrop(crop, CardPortrait, BackdropBlue, 30)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := CheckBackdrop(blue, CardPortrait, BackdropBlue, DefaultBackdropLimits); !c.Pass {
		t.Fatalf("after replacement: %+v", c)
	}
	// the face stays untouched
	if p, q := blue.NRGBAAt(150, 200), crop.NRGBAAt(150, 200); p != q {
		t.Fatalf("face pixel changed %v → %v", q, p)
	}
	golden(t, "replace_blue.png", blue)

	// a noisy backdrop is not separable
	noisy := image.NewNRGBA(crop.Rect)
	copy(noisy.Pix, crop.Pix)
	for i := 0; i < len(noisy.Pix); i += 4 {
		if (i/4)%7 < 3 {
			noisy.Pix[i], noisy.Pix[i+1], noisy.Pix[i+2] = 20, 160, 30
		}
	}
	if _, err := ReplaceBackdrop(noisy, CardPortrait, BackdropBlue, 30); !errors.Is(err, ErrNotSeparable) {
		t.Fatalf("noisy backdrop: err = %v", err)
	}
	// a backdrop the colour of skin runs into the face
	skin := synthPortrait(640, 800, color.NRGBA{224, 172, 140, 255}, eyeL, eyeR)
	sc, _ := Crop(skin, eyeL, eyeR, CardPortrait)
	if _, err := ReplaceBackdrop(sc, CardPortrait, BackdropBlue, 30); !errors.Is(err, ErrNotSeparable) {
		t.Fatalf("skin-coloured backdrop: err = %v", err)
	}
}

func TestMessages(t *testing.T) {
	for _, n := range []string{CheckSingleFace, CheckIED, CheckHeadSize, CheckHeadPosition, CheckRoll, CheckYaw, CheckEyesOpen,
		CheckMouthClosed, CheckExposure, CheckDynamicRange, CheckIllumination, CheckSharpness, CheckBackground} {
		m, ok := messages[n]
		if !ok || m[0].id == "" || m[0].en == "" || m[1].id == "" || m[1].en == "" || m[0] == m[1] {
			t.Errorf("check %s lacks pass/fail messages", n)
		}
	}
}

func TestNewDetectorConfig(t *testing.T) {
	if _, err := NewDetector(DetectorConfig{MinSizeFrac: 0.1, MinScore: 5, Perturbs: 64}); err == nil {
		t.Fatal("accepted 64 perturbations")
	}
	d, err := DefaultDetector()
	if err != nil {
		t.Fatal(err)
	}
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	if fs := d.Detect(blank); len(fs) != 0 {
		t.Fatalf("found %d faces in a blank image", len(fs))
	}
	if rep := Assess(blank, d, DefaultThresholds); rep.Face != nil || rep.Passed() || len(rep.Checks) != 0 {
		t.Fatalf("blank image report %+v", rep)
	}
}

func loadYale(t testing.TB, name string) image.Image {
	t.Helper()
	dir := shareddata.Require(t, "faces", "yale")
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

// TestAssessYale runs the checks on a few labelled Yale faces; the whole
// set is judged by `rekamctl eval face`.
func TestAssessYale(t *testing.T) {
	d, err := DefaultDetector()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file  string
		check string
		pass  bool
	}{
		{"subject01.normal", CheckIllumination, true},
		{"subject01.leftlight", CheckIllumination, false},
		{"subject04.rightlight", CheckIllumination, false},
		{"subject01.normal", CheckMouthClosed, true},
		{"subject02.surprised", CheckMouthClosed, false},
		{"subject01.normal", CheckSingleFace, true},
		{"subject01.normal", CheckIED, false}, // Yale faces are below the ICAO 90 px floor
		{"subject01.normal", CheckRoll, true},
		{"subject09.normal", CheckEyesOpen, true},
		{"subject11.noglasses", CheckEyesOpen, true},
		{"subject08.sleepy", CheckEyesOpen, false},
		{"subject14.sleepy", CheckEyesOpen, false},
		{"subject11.wink", CheckEyesOpen, false},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.check, func(t *testing.T) {
			rep := Assess(loadYale(t, tt.file), d, DefaultThresholds)
			if rep.Face == nil {
				t.Fatal("no face")
			}
			if rep.Face.EyeL.X >= rep.Face.EyeR.X || rep.Face.IED() < 40 || rep.Face.IED() > 70 {
				t.Fatalf("eyes %v %v", rep.Face.EyeL, rep.Face.EyeR)
			}
			r, ok := rep.Get(tt.check)
			if !ok || r.Pass != tt.pass {
				t.Fatalf("%s = %+v, want pass=%v", tt.check, r, tt.pass)
			}
		})
	}
}

func BenchmarkAssess(b *testing.B) {
	img := loadYale(b, "subject01.normal")
	d, err := DefaultDetector()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Assess(img, d, DefaultThresholds)
	}
}

func TestEyeModel(t *testing.T) {
	n := EyePatchLen
	// open eyes: a dark disc in the middle; closed: a dark horizontal line
	patch := func(open bool, jitter float64) []float64 {
		v := make([]float64, n)
		for k := range 2 { // two scales, the second zoomed out
			z := 1 + 0.3*float64(k)
			for j := range eyeGridH {
				for i := range eyeGridW {
					dx, dy := (float64(i)-eyeGridW/2+jitter)*z, (float64(j)-eyeGridH/2)*z
					idx := k*eyeGridW*eyeGridH + j*eyeGridW + i
					switch {
					case open && dx*dx+dy*dy < 6:
						v[idx] = -1
					case !open && math.Abs(dy-1) < 0.8 && math.Abs(dx) < 5:
						v[idx] = -1
					default:
						v[idx] = 0.5 + 0.1*math.Sin(float64(i*j)+jitter)
					}
				}
			}
		}
		return v
	}
	var open, closed [][]float64
	var subjects []EyeSubject
	for k := range 20 {
		j := float64(k%5)/2 - 1
		open = append(open, patch(true, j))
		closed = append(closed, patch(false, j))
		if k%5 == 4 {
			s := EyeSubject{Open: open[k-4:], Closed: closed[k-4:]}
			for _, o := range open[k-4:] {
				s.OpenPairs = append(s.OpenPairs, [2][]float64{o, o})
			}
			subjects = append(subjects, s)
		}
	}
	m, err := TrainEyeModel(open, closed)
	if err != nil {
		t.Fatal(err)
	}
	if o, c := m.Openness(patch(true, 0.5)), m.Openness(patch(false, 0.5)); o <= 0 || c >= 0 {
		t.Fatalf("openness open %.2f closed %.2f", o, c)
	}
	r := EyesOpenModelCheck(m, [2][]float64{patch(true, 0), patch(false, 0)}, DefaultThresholds)
	if r.Pass || !r.Measured {
		t.Fatalf("one closed eye passed: %+v", r)
	}
	if r := EyesOpenModelCheck(nil, [2][]float64{open[0], open[1]}, DefaultThresholds); r.Measured || r.Pass {
		t.Fatalf("no model: %+v", r)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadEyeModel(b)
	if err != nil || back.B != m.B || len(back.W) != n {
		t.Fatalf("reload: %v", err)
	}
	for _, bad := range []string{`{"w":[1,2],"b":0}`, `not json`, `{"w":null}`} {
		if _, err := LoadEyeModel([]byte(bad)); err == nil {
			t.Errorf("loaded %s", bad)
		}
	}
	if _, err := TrainEyeModel(open[:1], closed); err == nil {
		t.Fatal("trained from one open eye")
	}
	if _, err := TrainEyeModel(open, open); err == nil {
		t.Fatal("trained with identical classes")
	}
	// a higher false-alarm target moves the decision point towards "open"
	lo, err := TrainEyeModelCalibrated(subjects, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	hi, err := TrainEyeModelCalibrated(subjects, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if hi.B >= lo.B {
		t.Fatalf("bias at 50%% false alarms %.3f not below bias at 1%% %.3f", hi.B, lo.B)
	}
	if _, err := TrainEyeModelCalibrated(subjects, 0); err == nil {
		t.Fatal("accepted a zero false-alarm target")
	}
	if _, err := TrainEyeModelCalibrated(subjects[:2], 0.05); err == nil {
		t.Fatal("calibrated on two subjects")
	}
}

// TestCropDoesNotAlias crops a large frame of fine stripes (2-pixel period,
// far above what the portrait can show): the portrait must come out an even
// grey, not the false coarse stripes point sampling makes.
func TestCropDoesNotAlias(t *testing.T) {
	const w, h = 2400, 3000
	src := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(40)
			if x%2 == 0 {
				v = 220
			}
			src.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	eyeL, eyeR := Point{900, 1200}, Point{1500, 1200} // IED 600: scale ≈ 7
	out, err := Crop(src, eyeL, eyeR, CardPortrait)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sum2 float64
	for i := 0; i < len(out.Pix); i += 4 {
		v := float64(out.Pix[i])
		sum += v
		sum2 += v * v
	}
	n := float64(len(out.Pix) / 4)
	mean := sum / n
	std := math.Sqrt(sum2/n - mean*mean)
	if std > 12 || math.Abs(mean-130) > 15 {
		t.Fatalf("portrait of fine stripes: mean %.1f, std %.1f (want an even grey near 130)", mean, std)
	}
}
