package finger

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/rekam-ktp/rekam/biometric/formats/minutiae"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// loadFVC reads one FVC2002 TIFF of a B set.
func loadFVC(tb testing.TB, set string, fingerID, impression int, dpi float64) *Image {
	tb.Helper()
	dir := shareddata.Require(tb, "fvc2002", set)
	fh, err := os.Open(filepath.Join(dir, fmt.Sprintf("%d_%d.tif", fingerID, impression)))
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	img, err := tiff.Decode(fh)
	if err != nil {
		tb.Fatal(err)
	}
	b := img.Bounds()
	im := &Image{Width: b.Dx(), Height: b.Dy(), Pix: make([]uint8, b.Dx()*b.Dy()), DPI: dpi}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			im.Pix[y*b.Dx()+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
		}
	}
	return im
}

func extractFVC(tb testing.TB, set string, fingerID, impression int, dpi float64) *Template {
	tb.Helper()
	t, err := Extract(loadFVC(tb, set, fingerID, impression, dpi))
	if err != nil {
		tb.Fatalf("%s %d_%d: %v", set, fingerID, impression, err)
	}
	return t
}

func TestGenuineImpostorSeparation(t *testing.T) {
	const fingers, imps = 4, 3
	var ts [fingers][imps]*Template
	for f := 0; f < fingers; f++ {
		for i := 0; i < imps; i++ {
			ts[f][i] = extractFVC(t, "DB1_B", 101+f, 1+i, 500)
			if n := len(ts[f][i].Minutiae); n < 12 {
				t.Fatalf("%d_%d: only %d minutiae", 101+f, 1+i, n)
			}
		}
	}
	var gen, imp []float64
	for f := 0; f < fingers; f++ {
		for i := 0; i < imps; i++ {
			for g := f; g < fingers; g++ {
				for j := 0; j < imps; j++ {
					if g == f && j <= i {
						continue
					}
					s := Verify(ts[f][i], ts[g][j])
					if f == g {
						gen = append(gen, s)
					} else {
						imp = append(imp, s)
					}
				}
			}
		}
	}
	maxImp, sumGen := 0.0, 0.0
	for _, s := range imp {
		maxImp = math.Max(maxImp, s)
	}
	below := 0
	for _, s := range gen {
		sumGen += s
		if s <= maxImp {
			below++
		}
	}
	t.Logf("genuine mean %.2f, impostor max %.2f, %d of %d genuine at or below it", sumGen/float64(len(gen)), maxImp, below, len(gen))
	if below > 1 {
		t.Errorf("%d of %d genuine scores at or below the best impostor %.2f", below, len(gen), maxImp)
	}
	if mean := sumGen / float64(len(gen)); mean < 2*maxImp {
		t.Errorf("genuine mean %.2f less than twice the best impostor %.2f", mean, maxImp)
	}
}

// transform rotates t by a (radians, counter-clockwise on screen) about the
// origin and shifts it, keeping the coordinates positive.
func transform(t *Template, a float64, dx, dy int) *Template {
	out := &Template{Width: t.Width + 400, Height: t.Height + 400, Quality: t.Quality}
	c, s := math.Cos(a), math.Sin(a)
	for _, m := range t.Minutiae {
		x, y := float64(m.X), -float64(m.Y) // y up
		rx, ry := c*x-s*y, s*x+c*y
		out.Minutiae = append(out.Minutiae, Minutia{
			X: int(math.Round(rx)) + dx, Y: int(math.Round(-ry)) + dy,
			Angle: normAngle(m.Angle + a), Type: m.Type, Quality: m.Quality,
		})
	}
	return out
}

func TestMatcherInvariance(t *testing.T) {
	a := extractFVC(t, "DB1_B", 101, 1, 500)
	b := extractFVC(t, "DB1_B", 101, 2, 500)
	self := Verify(a, a)
	base := Verify(a, b)
	tests := []struct {
		name   string
		a      float64
		dx, dy int
	}{
		{"shift", 0, 40, 25},
		{"rotate 30°", math.Pi / 6, 150, 50},
		{"rotate -45°", -math.Pi / 4, 50, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bt := transform(b, tt.a, tt.dx, tt.dy)
			if s := Verify(a, bt); math.Abs(s-base) > 0.25*base {
				t.Errorf("genuine score %.2f after transform, %.2f before", s, base)
			}
			if s := Verify(a, transform(a, tt.a, tt.dx, tt.dy)); s < 0.8*self {
				t.Errorf("self score %.2f after transform, %.2f before", s, self)
			}
		})
	}
	if Verify(a, b) != base {
		t.Error("matcher is not deterministic")
	}
}

func TestResolutionScaling(t *testing.T) {
	im := loadFVC(t, "DB2_B", 101, 1, 569)
	tp, err := Extract(im)
	if err != nil {
		t.Fatal(err)
	}
	wantW := int(math.Round(float64(im.Width) * 500 / 569))
	if tp.Width != wantW {
		t.Fatalf("template width %d, want %d (scaled to 500 dpi)", tp.Width, wantW)
	}
	for _, m := range tp.Minutiae {
		if m.X >= tp.Width || m.Y >= tp.Height {
			t.Fatalf("minutia (%d,%d) outside %dx%d", m.X, m.Y, tp.Width, tp.Height)
		}
	}
}

func TestExtractRejects(t *testing.T) {
	blank := &Image{Width: 200, Height: 200, Pix: bytes.Repeat([]byte{200}, 200*200)}
	tests := []struct {
		name string
		im   *Image
		want error
	}{
		{"blank", blank, ErrNoPrint},
		{"tiny", &Image{Width: 10, Height: 10, Pix: make([]uint8, 100)}, ErrImage},
		{"short pixels", &Image{Width: 100, Height: 100, Pix: make([]uint8, 99)}, ErrImage},
		{"bad dpi", &Image{Width: 100, Height: 100, Pix: make([]uint8, 10000), DPI: 50}, ErrImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Extract(tt.im); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func sampleTemplate() *Template {
	return &Template{Width: 388, Height: 374, Quality: 81, Minutiae: []Minutia{
		{X: 10, Y: 20, Angle: 0, Type: Ending, Quality: 50},
		{X: 2047, Y: 2047, Angle: math.Pi, Type: Bifurcation, Quality: 100},
		{X: 200, Y: 100, Angle: 6.2, Type: Ending, Quality: 1},
	}}
}

func TestNativeRoundTrip(t *testing.T) {
	in := sampleTemplate()
	b, err := in.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 9+5*3 {
		t.Fatalf("%d bytes, want %d", len(b), 9+5*3)
	}
	var out Template
	if err := out.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if out.Width != in.Width || out.Height != in.Height || out.Quality != in.Quality || len(out.Minutiae) != 3 {
		t.Fatalf("header %+v", out)
	}
	for i, m := range out.Minutiae {
		w := in.Minutiae[i]
		if m.X != w.X || m.Y != w.Y || m.Type != w.Type || m.Quality != w.Quality || angDiff(m.Angle, w.Angle) > math.Pi/256 {
			t.Errorf("minutia %d: %+v, want %+v", i, m, w)
		}
	}
	bad := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"magic", append([]byte("XX"), b[2:]...)},
		{"truncated", b[:len(b)-1]},
		{"count", append(append([]byte(nil), b[:8]...), append([]byte{200}, b[9:]...)...)},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var x Template
			if err := x.UnmarshalBinary(tt.b); !errors.Is(err, ErrTemplate) {
				t.Fatalf("err = %v, want ErrTemplate", err)
			}
		})
	}
}

func TestISOAndANSIRoundTrip(t *testing.T) {
	in := sampleTemplate()
	in.Minutiae[1].X, in.Minutiae[1].Y = 300, 300
	for _, f := range []minutiae.Format{minutiae.ISO2005, minutiae.ANSI2004} {
		t.Run(f.String(), func(t *testing.T) {
			rec := in.ToRecord(RecordOptions{Format: f, Position: minutiae.RightIndex})
			b, err := rec.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			r2, err := minutiae.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			out, err := FromRecord(r2, 0)
			if err != nil {
				t.Fatal(err)
			}
			tol := math.Pi / 128 // ISO 1.4°, ANSI 2° steps
			if f == minutiae.ANSI2004 {
				tol = math.Pi / 90
			}
			for i, m := range out.Minutiae {
				w := in.Minutiae[i]
				if m.X != w.X || m.Y != w.Y || m.Type != w.Type || angDiff(m.Angle, w.Angle) > tol {
					t.Errorf("minutia %d: %+v, want %+v", i, m, w)
				}
			}
		})
	}
}

func TestFromRecordScales(t *testing.T) {
	r := &minutiae.Record{Width: 1000, Height: 1000, XRes: 394, YRes: 394, Views: []minutiae.View{{
		Minutiae: []minutiae.Minutia{{Type: minutiae.Ending, X: 400, Y: 200, Angle: 90}},
	}}}
	tp, err := FromRecord(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m := tp.Minutiae[0]; m.X != 200 || m.Y != 100 || tp.Width != 500 {
		t.Fatalf("1000 dpi record scaled to %+v, width %d", m, tp.Width)
	}
	if _, err := FromRecord(r, 1); err == nil {
		t.Fatal("missing view accepted")
	}
}

// TestFromRecordUnequalAxes: a record scanned at 1000 dpi across and 500
// dpi down is brought to 500 dpi on both axes, and its directions with it.
func TestFromRecordUnequalAxes(t *testing.T) {
	tests := []struct {
		angle     float64 // degrees in the record
		wantAngle float64 // degrees once x is halved
	}{
		{0, 0}, {90, 90}, {180, 180}, {270, 270},
		{45, 63.435}, {135, 116.565}, {225, 243.435}, {315, 296.565}, // tan⁻¹ 2
	}
	for _, tt := range tests {
		r := &minutiae.Record{Width: 300, Height: 200, XRes: 394, YRes: 197, Views: []minutiae.View{{
			Minutiae: []minutiae.Minutia{{Type: minutiae.Ending, X: 100, Y: 100, Angle: tt.angle}},
		}}}
		tp, err := FromRecord(r, 0)
		if err != nil {
			t.Fatal(err)
		}
		m := tp.Minutiae[0]
		if m.X != 50 || m.Y != 100 || tp.Width != 150 {
			t.Errorf("angle %v: minutia at (%d,%d), width %d; want (50,100), 150", tt.angle, m.X, m.Y, tp.Width)
		}
		if got := m.Angle * 180 / math.Pi; math.Abs(got-tt.wantAngle) > 0.01 {
			t.Errorf("angle %v became %.3f°, want %.3f°", tt.angle, got, tt.wantAngle)
		}
	}
}

func TestGallerySearch(t *testing.T) {
	var g Gallery
	for f := 101; f <= 104; f++ {
		g.Add(fmt.Sprint(f), extractFVC(t, "DB1_B", f, 1, 500))
	}
	if per := g.Bytes() / g.Len(); per > 1024 {
		t.Errorf("%d bytes per gallery finger, want ≤ 1024", per)
	}
	for f := 101; f <= 104; f++ {
		hits := g.Search(extractFVC(t, "DB1_B", f, 3, 500), 0, 2)
		if len(hits) != 2 || hits[0].ID != fmt.Sprint(f) {
			t.Errorf("probe %d_3: hits %+v", f, hits)
		}
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	b, _ := sampleTemplate().MarshalBinary()
	f.Add(b)
	f.Add(b[:9])
	f.Fuzz(func(t *testing.T, b []byte) {
		var tp Template
		if err := tp.UnmarshalBinary(b); err != nil {
			return
		}
		out, err := tp.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded template does not encode: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs")
		}
	})
}

func TestQualityRanksImpressions(t *testing.T) {
	// DB2 109_3 is a full, clear print; 109_8 is faint and dry.
	good := extractFVC(t, "DB2_B", 109, 3, 569)
	faint := extractFVC(t, "DB2_B", 109, 8, 569)
	if good.Quality < MinCaptureQuality || int(good.Quality) < int(faint.Quality)+20 {
		t.Fatalf("quality clear %d, faint %d: want clear ≥ %d and ≥ faint+20", good.Quality, faint.Quality, MinCaptureQuality)
	}
}

func TestMatcherEdgeCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n, spread int) *Template {
		tp := &Template{Width: 2047, Height: 2047}
		for i := 0; i < n; i++ {
			tp.Minutiae = append(tp.Minutiae, Minutia{
				X: rng.IntN(spread), Y: rng.IntN(spread), Angle: rng.Float64() * 2 * math.Pi,
				Type: MinutiaType(1 + rng.IntN(2)), Quality: uint8(1 + rng.IntN(100)),
			})
		}
		return tp
	}
	same := &Template{Minutiae: []Minutia{{X: 5, Y: 5, Type: Ending}, {X: 5, Y: 5, Type: Ending}, {X: 5, Y: 5, Type: Bifurcation}}}
	tests := []struct {
		name string
		a, b *Template
	}{
		{"empty", &Template{}, random(40, 400)},
		{"one minutia", random(1, 400), random(40, 400)},
		{"coincident minutiae", same, same},
		{"255 minutiae", random(255, 2047), random(255, 2047)},
		{"300 minutiae capped", random(300, 2047), random(30, 300)},
		{"dense", random(200, 60), random(200, 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Verify(tt.a, tt.b)
			if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
				t.Fatalf("score %v", s)
			}
			if s != Verify(tt.a, tt.b) {
				t.Fatal("not deterministic")
			}
		})
	}
	if s := Verify(random(40, 400), random(40, 400)); s >= ThresholdForFMR(0.001) {
		t.Errorf("two random minutiae sets score %.2f, at or above the 1/1000 threshold", s)
	}
}

func TestExtractOddImages(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	noise := func(w, h int, dpi float64) *Image {
		im := &Image{Width: w, Height: h, Pix: make([]uint8, w*h), DPI: dpi}
		for i := range im.Pix {
			im.Pix[i] = uint8(rng.IntN(256))
		}
		return im
	}
	stripes := func(w, h int, dpi float64) *Image {
		im := &Image{Width: w, Height: h, Pix: make([]uint8, w*h), DPI: dpi}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				im.Pix[y*w+x] = uint8(128 + 100*math.Sin(float64(x+y/3)*2*math.Pi/9))
			}
		}
		return im
	}
	tests := []struct {
		name string
		im   *Image
	}{
		{"noise 64×64", noise(64, 64, 0)},
		{"noise 1000 dpi", noise(300, 97, 1000)},
		{"noise 250 dpi", noise(120, 200, 250)},
		{"stripes strip", stripes(1500, 64, 500)},
		{"stripes 569 dpi", stripes(296, 560, 569)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := Extract(tt.im)
			if err != nil {
				if !errors.Is(err, ErrNoPrint) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if tp.Quality > 100 {
				t.Fatalf("quality %d", tp.Quality)
			}
			for _, m := range tp.Minutiae {
				if m.X < 0 || m.Y < 0 || m.X >= tp.Width || m.Y >= tp.Height {
					t.Fatalf("minutia %+v outside %dx%d", m, tp.Width, tp.Height)
				}
			}
			if _, err := tp.MarshalBinary(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
