package iris

import (
	"bytes"
	"flag"
	"math"
	"sort"
	"testing"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
	"github.com/rekam-ktp/rekam/simulators/synth/internal/gentest"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

func TestIrisDeterministic(t *testing.T) {
	for _, tt := range []struct {
		id       uint64
		eye, imp int
	}{{7, 0, 0}, {7, 1, 4}, {1 << 40, 0, 2}} {
		a, b := Image(tt.id, tt.eye, tt.imp), Image(tt.id, tt.eye, tt.imp)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%+v: two calls differ", tt)
		}
		if a.Rect.Dx() != Width || a.Rect.Dy() != Height {
			t.Errorf("%+v: size %v", tt, a.Rect)
		}
		if Truth(tt.id, tt.eye, tt.imp) != Truth(tt.id, tt.eye, tt.imp) {
			t.Errorf("%+v: truth differs", tt)
		}
	}
}

// circleSamples returns the grey levels on a circle of radius r around
// (cx, cy) at angles within ±40° of horizontal, away from eyelids and lashes.
func circleSamples(pix []byte, cx, cy, r float64) []float64 {
	var v []float64
	for a := -40.0; a <= 40; a += 2 {
		for _, side := range []float64{0, math.Pi} {
			th := a*math.Pi/180 + side
			x, y := int(cx+r*math.Cos(th)), int(cy+r*math.Sin(th))
			if x >= 0 && y >= 0 && x < Width && y < Height {
				v = append(v, float64(pix[y*Width+x]))
			}
		}
	}
	return v
}

// circleMean is the mean of circleSamples.
func circleMean(pix []byte, cx, cy, r float64) float64 {
	var s float64
	v := circleSamples(pix, cx, cy, r)
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// circleMedian is the median of circleSamples.
func circleMedian(pix []byte, cx, cy, r float64) float64 {
	v := circleSamples(pix, cx, cy, r)
	sort.Float64s(v)
	return v[len(v)/2]
}

// edgeRadius returns the radius in [lo, hi] where the mean grey level on
// circles rises fastest.
func edgeRadius(pix []byte, cx, cy, lo, hi float64, sign float64) float64 {
	best, bestG := lo, math.Inf(-1)
	for r := lo; r <= hi; r += 0.5 {
		g := sign * (circleMean(pix, cx, cy, r+2) - circleMean(pix, cx, cy, r-2))
		if g > bestG {
			best, bestG = r, g
		}
	}
	return best
}

func TestIrisTruthMatchesImage(t *testing.T) {
	for id := uint64(1); id <= 4; id++ {
		for imp := 0; imp < 3; imp++ {
			img := Image(id, int(id%2), imp)
			g := Truth(id, int(id%2), imp)
			pupil := circleMedian(img.Pix, g.PupilX, g.PupilY, 0.6*g.PupilR) // the highlight may cross it
			iris := circleMean(img.Pix, g.PupilX, g.PupilY, (g.PupilR+g.IrisR)/2)
			sclera := circleMean(img.Pix, g.IrisX, g.IrisY, g.IrisR+12)
			if !(pupil+40 < iris && iris+20 < sclera) {
				t.Errorf("id %d imp %d: pupil %.0f, iris %.0f, sclera %.0f: want pupil < iris < sclera", id, imp, pupil, iris, sclera)
			}
			if r := edgeRadius(img.Pix, g.PupilX, g.PupilY, 0.6*g.PupilR, 1.4*g.PupilR, 1); math.Abs(r-g.PupilR) > 3 {
				t.Errorf("id %d imp %d: pupil edge at r=%.1f, truth %.1f", id, imp, r, g.PupilR)
			}
			if r := edgeRadius(img.Pix, g.IrisX, g.IrisY, 0.8*g.IrisR, 1.2*g.IrisR, 1); math.Abs(r-g.IrisR) > 4 {
				t.Errorf("id %d imp %d: limbus at r=%.1f, truth %.1f", id, imp, r, g.IrisR)
			}
		}
	}
}

// rubberSheet samples the iris band (ρ 0.15–0.75, lateral and lower
// sectors) of a 320×280 impression in its own texture frame, using the truth.
func rubberSheet(pix []byte, g Geometry) []float64 {
	return rubberSheetAt(pix, Width, g)
}

// rubberSheetAt is rubberSheet for an image of the given width.
func rubberSheetAt(pix []byte, width int, g Geometry) []float64 {
	var out []float64
	for k := 0; k < 12; k++ {
		rho := 0.15 + 0.05*float64(k)
		for a := 0; a < 180; a++ {
			th := (-30 + float64(a)*240/180) * math.Pi / 180 // −30° … 210°, y down
			phi := th + g.Rotation
			ux, uy := math.Cos(phi), math.Sin(phi)
			ox, oy := g.PupilX-g.IrisX, g.PupilY-g.IrisY
			b := ox*ux + oy*uy
			dl := -b + math.Sqrt(b*b-(ox*ox+oy*oy-g.IrisR*g.IrisR))
			d := g.PupilR + rho*(dl-g.PupilR)
			x, y := int(g.PupilX+d*ux), int(g.PupilY+d*uy)
			out = append(out, float64(pix[y*width+x]))
		}
	}
	return out
}

func TestIrisImpressionsShareTexture(t *testing.T) {
	var genuine, impostor []float64
	for id := uint64(1); id <= 3; id++ {
		g0 := Truth(id, 0, 0)
		ref := rubberSheet(Image(id, 0, 0).Pix, g0)
		for imp := 1; imp <= 2; imp++ {
			g := Truth(id, 0, imp)
			genuine = append(genuine, gentest.NCC(ref, rubberSheet(Image(id, 0, imp).Pix, g), nil))
		}
		other := Truth(id, 1, 0)
		impostor = append(impostor, gentest.NCC(ref, rubberSheet(Image(id, 1, 0).Pix, other), nil))
		next := Truth(id+10, 0, 0)
		impostor = append(impostor, gentest.NCC(ref, rubberSheet(Image(id+10, 0, 0).Pix, next), nil))
	}
	sort.Float64s(genuine)
	sort.Float64s(impostor)
	t.Logf("genuine %.3f impostor %.3f", genuine, impostor)
	if genuine[0] < 0.6 || impostor[len(impostor)-1] > 0.35 {
		t.Errorf("rubber-sheet ncc: genuine %.3f, impostor %.3f", genuine, impostor)
	}
}

func TestIrisImpressionsVary(t *testing.T) {
	ratios := map[float64]bool{}
	rotated := 0
	for imp := 0; imp < 8; imp++ {
		g := Truth(9, 1, imp)
		ratios[math.Round(100*g.PupilR/g.IrisR)] = true
		if g.Rotation != 0 {
			rotated++
		}
		if g.PupilR/g.IrisR < 0.2 || g.PupilR/g.IrisR > 0.7 {
			t.Errorf("imp %d: pupil/iris ratio %.2f outside 0.2–0.7", imp, g.PupilR/g.IrisR)
		}
	}
	if len(ratios) < 4 || rotated < 6 {
		t.Errorf("impressions too alike: %d distinct dilations, %d rotated", len(ratios), rotated)
	}
}

func TestIrisGolden(t *testing.T) {
	gentest.CompareGolden(t, "iris_7_0_0.png", Image(7, 0, 0), 1.0, *update)
}

func BenchmarkIris(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Image(uint64(i), i%2, i)
	}
}

// laplacianEnergy is the mean squared 4-neighbour Laplacian at a spacing
// of 2 px after a 3×3 mean filter (so sensor noise does not dominate): a
// sharpness measure.
func laplacianEnergy(pix []byte, w, h int) float64 {
	f := make([]float64, len(pix))
	for i, v := range pix {
		f[i] = float64(v)
	}
	f = gen.BoxBlur3(f, w, h)
	var s float64
	for y := 2; y < h-2; y++ {
		for x := 2; x < w-2; x++ {
			i := y*w + x
			l := 4*f[i] - f[i-2] - f[i+2] - f[i-2*w] - f[i+2*w]
			s += l * l
		}
	}
	return s / float64((w-4)*(h-4))
}

func TestIrisDegradations(t *testing.T) {
	sharp, g0 := With(5, 0, 1, Options{})
	if !bytes.Equal(sharp.Pix, Image(5, 0, 1).Pix) || g0 != Truth(5, 0, 1) {
		t.Fatal("IrisWith with zero options differs from Iris/IrisTruth")
	}
	blurred, _ := With(5, 0, 1, Options{Defocus: 3})
	if a, b := laplacianEnergy(sharp.Pix, Width, Height), laplacianEnergy(blurred.Pix, Width, Height); b > a/3 {
		t.Errorf("defocus 3: sharpness %.1f vs %.1f sharp", b, a)
	}
	closed, g := With(5, 0, 1, Options{LidClosure: 1})
	if g.UpperLidApex <= g0.UpperLidApex+0.5*g0.IrisR {
		t.Errorf("lid closure moved the lid from %.1f to %.1f only", g0.UpperLidApex, g.UpperLidApex)
	}
	// Just above the pupil centre, the closed lid shows skin, not dark pupil.
	x, y := int(g.PupilX), int(g.PupilY-0.8*g.PupilR)
	if y < int(g.UpperLidAt(float64(x)))+3 && closed.GrayAt(x, y).Y < 100 {
		t.Errorf("pixel under the closed lid is %d, want skin", closed.GrayAt(x, y).Y)
	}
	plain, _ := With(5, 0, 1, Options{NoHighlight: true})
	var maxIn uint8
	for yy := int(g0.PupilY - g0.PupilR); yy < int(g0.PupilY+g0.PupilR); yy++ {
		for xx := int(g0.PupilX - g0.PupilR); xx < int(g0.PupilX+g0.PupilR); xx++ {
			if math.Hypot(float64(xx)-g0.PupilX, float64(yy)-g0.PupilY) < 0.8*g0.PupilR {
				maxIn = max(maxIn, plain.GrayAt(xx, yy).Y)
			}
		}
	}
	if maxIn > 80 {
		t.Errorf("no-highlight pupil still has a pixel at %d", maxIn)
	}
}

func TestIrisCanvasSize(t *testing.T) {
	small, g0 := With(8, 1, 2, Options{})
	vga, g := With(8, 1, 2, Options{Width: 640, Height: 480})
	if vga.Rect.Dx() != 640 || vga.Rect.Dy() != 480 {
		t.Fatalf("size %v", vga.Rect)
	}
	if g.IrisR != g0.IrisR || g.PupilR != g0.PupilR {
		t.Errorf("eye size changed with the canvas: %+v vs %+v", g, g0)
	}
	dx, dy := g.IrisX-g0.IrisX, g.IrisY-g0.IrisY
	if math.Abs(dx-160) > 1e-9 || math.Abs(dy-100) > 1e-9 {
		t.Errorf("eye moved by (%.1f, %.1f), want (160, 100) to stay centred", dx, dy)
	}
	// The same iris tissue at the same place relative to the pupil.
	a := rubberSheet(small.Pix, g0)
	b := rubberSheetAt(vga.Pix, 640, g)
	if c := gentest.NCC(a, b, nil); c < 0.8 {
		t.Errorf("rubber sheets of the two canvases correlate %.3f", c)
	}
}

// irisCode is a small Daugman-style code for tests: the rubber sheet
// (12 radii × 180 angles, lids avoided) filtered along θ by a zero-mean
// complex Gabor (λ 18 samples), two sign bits per sample.
func irisCode(img []byte, g Geometry) []bool {
	sheet := rubberSheet(img, g)
	const n, lambda, sigma = 180, 18.0, 6.0
	var kr, ki []float64
	var mean float64
	for d := -18; d <= 18; d++ {
		e := math.Exp(-float64(d*d) / (2 * sigma * sigma))
		s, c := math.Sincos(2 * math.Pi * float64(d) / lambda)
		kr, ki = append(kr, e*c), append(ki, e*s)
		mean += e * c
	}
	for i := range kr {
		kr[i] -= mean / float64(len(kr))
	}
	var bits []bool
	for row := 0; row+n <= len(sheet); row += n {
		for a := 18; a < n-18; a++ { // the sector is not a full circle: no wrap
			var re, im float64
			for d := -18; d <= 18; d++ {
				v := sheet[row+a+d]
				re += kr[d+18] * v
				im += ki[d+18] * v
			}
			bits = append(bits, re > 0, im > 0)
		}
	}
	return bits
}

func hamming(a, b []bool) float64 {
	var d float64
	for i := range a {
		if a[i] != b[i] {
			d++
		}
	}
	return d / float64(len(a))
}

func TestIrisCodesBehaveLikeIrises(t *testing.T) {
	var genuine, impostor []float64
	codes := map[uint64][]bool{}
	for id := uint64(20); id < 28; id++ {
		codes[id] = irisCode(Image(id, 0, 0).Pix, Truth(id, 0, 0))
		genuine = append(genuine, hamming(codes[id], irisCode(Image(id, 0, 3).Pix, Truth(id, 0, 3))))
	}
	for a := uint64(20); a < 28; a++ {
		for b := a + 1; b < 28; b++ {
			impostor = append(impostor, hamming(codes[a], codes[b]))
		}
	}
	mean := func(x []float64) float64 {
		var s float64
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	sort.Float64s(genuine)
	sort.Float64s(impostor)
	t.Logf("genuine HD mean %.3f max %.3f; impostor HD mean %.3f min %.3f", mean(genuine), genuine[len(genuine)-1], mean(impostor), impostor[0])
	// Independent textures: impostor bits disagree about half the time.
	if m := mean(impostor); m < 0.42 || m > 0.55 || impostor[0] < 0.33 {
		t.Errorf("impostor HD mean %.3f, min %.3f: textures of different eyes are not independent", m, impostor[0])
	}
	if genuine[len(genuine)-1] > 0.3 {
		t.Errorf("genuine HD up to %.3f", genuine[len(genuine)-1])
	}
}
