package finger

import (
	"bytes"
	"encoding/json"
	"flag"
	"image"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
	"github.com/rekam-ktp/rekam/simulators/synth/internal/gentest"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

func TestFingerDeterministic(t *testing.T) {
	tests := []struct {
		id     uint64
		finger int
		imp    int
		opts   Options
	}{
		{7, 2, 0, Options{}},
		{7, 2, 3, Options{Condition: Wet}},
		{42, 10, 1, Options{Condition: Dry, Width: 256, Height: 288}},
		{42, 6, 5, Options{Condition: LowQuality}},
	}
	// Regrow a master from scratch: the cache must not hide nondeterminism.
	m1, m2 := growMaster(7, 2), growMaster(7, 2)
	for i := range m1.ridge {
		if m1.ridge[i] != m2.ridge[i] || m1.pores[i] != m2.pores[i] {
			t.Fatalf("master differs at pixel %d", i)
		}
	}
	for _, tt := range tests {
		a := Impression(tt.id, tt.finger, tt.imp, tt.opts)
		b := Impression(tt.id, tt.finger, tt.imp, tt.opts)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("id %d finger %d imp %d: two calls differ", tt.id, tt.finger, tt.imp)
		}
		w, h := tt.opts.Width, tt.opts.Height
		if w == 0 {
			w, h = DefaultWidth, DefaultHeight
		}
		if a.Rect != image.Rect(0, 0, w, h) {
			t.Errorf("size %v, want %dx%d", a.Rect, w, h)
		}
	}
}

// masterFloats returns the ridge field of a master and its full-weight mask.
func masterFloats(id uint64, f int) ([]float64, []bool) {
	ms := masters.get(id, f)
	v := make([]float64, len(ms.ridge))
	use := make([]bool, len(ms.ridge))
	for i := range ms.ridge {
		v[i] = float64(ms.ridge[i])
		use[i] = ms.fg[i] > 0.99
	}
	return v, use
}

func TestFingerMastersDiffer(t *testing.T) {
	type key struct {
		id uint64
		f  int
	}
	keys := []key{{42, 1}, {42, 2}, {42, 3}, {42, 6}, {42, 7}, {43, 1}, {43, 2}, {7, 2}}
	fields := make([][]float64, len(keys))
	masks := make([][]bool, len(keys))
	for i, k := range keys {
		fields[i], masks[i] = masterFloats(k.id, k.f)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			use := make([]bool, len(masks[i]))
			for p := range use {
				use[p] = masks[i][p] && masks[j][p]
			}
			if c := gentest.NCC(fields[i], fields[j], use); c > 0.25 || c < -0.25 {
				t.Errorf("masters %v and %v correlate %.3f; want |ncc| < 0.25", keys[i], keys[j], c)
			}
		}
	}
}

func TestFingerTenDistinctFingers(t *testing.T) {
	// Over many identities every class occurs, and a person's ten fingers
	// are not all of one class.
	seen := map[Class]int{}
	mixed := 0
	for id := uint64(0); id < 60; id++ {
		classes := map[Class]bool{}
		for f := 1; f <= 10; f++ {
			c := newFingerModel(id, f).class
			seen[c]++
			classes[c] = true
		}
		if len(classes) > 1 {
			mixed++
		}
	}
	for c := Arch; c <= Whorl; c++ {
		if seen[c] == 0 {
			t.Errorf("class %v never generated in 600 fingers", c)
		}
	}
	if seen[LeftLoop]+seen[RightLoop] < seen[Whorl] || seen[Arch]+seen[TentedArch] > seen[Whorl] {
		t.Errorf("implausible class mix %v", seen)
	}
	if mixed < 55 {
		t.Errorf("only %d of 60 persons have more than one class across ten fingers", mixed)
	}
}

// alignedNCC correlates an impression, mapped back into master coordinates
// through its pose, with the ridge field of master (id, f) over the contact.
func alignedNCC(img *image.Gray, pose Pose, id uint64, f int) float64 {
	ms := masters.get(id, f)
	var a, b []float64
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x += 2 {
			q := pose.ToMaster(gen.Point{X: float64(x), Y: float64(y)})
			// Stay near the contact centre where distortion is small.
			c := pose.ContactCentre
			if (float64(x)-c.X)*(float64(x)-c.X)+(float64(y)-c.Y)*(float64(y)-c.Y) > 70*70 {
				continue
			}
			v, fg, _ := sampleMaster(ms, q.X, q.Y)
			if fg < 0.99 {
				continue
			}
			a = append(a, 255-float64(img.Pix[y*w+x]))
			b = append(b, v)
		}
	}
	return gentest.NCC(a, b, nil)
}

func TestFingerImpressionsMatchTheirMaster(t *testing.T) {
	tests := []struct {
		id     uint64
		f      int
		other  int
		cond   Condition
		minGen float64
	}{
		{42, 1, 2, Normal, 0.6},
		{42, 4, 9, Normal, 0.6},
		{42, 7, 3, Dry, 0.4},
		{43, 1, 2, Wet, 0.4},
	}
	for _, tt := range tests {
		for imp := 0; imp < 3; imp++ {
			opts := Options{Condition: tt.cond}
			img := Impression(tt.id, tt.f, imp, opts)
			pose := PoseOf(tt.id, tt.f, imp, opts)
			genuine := alignedNCC(img, pose, tt.id, tt.f)
			imp2 := alignedNCC(img, pose, tt.id, tt.other)
			t.Logf("id %d f %d imp %d %v gen %.3f other %.3f", tt.id, tt.f, imp, tt.cond, genuine, imp2)
			if genuine < tt.minGen || imp2 > 0.2 || genuine < imp2+0.3 {
				t.Errorf("id %d finger %d imp %d (%v): genuine ncc %.3f, other finger %.3f", tt.id, tt.f, imp, tt.cond, genuine, imp2)
			}
		}
	}
}

func TestFingerRidgeSpectrum(t *testing.T) {
	for _, tt := range []struct {
		id uint64
		f  int
	}{{42, 1}, {42, 3}, {42, 8}} {
		img := Impression(tt.id, tt.f, 0, Options{})
		pose := PoseOf(tt.id, tt.f, 0, Options{})
		c := pose.ContactCentre
		var centres []image.Point
		for _, d := range []image.Point{{-40, -50}, {40, -50}, {-40, 50}, {40, 50}} {
			centres = append(centres, image.Pt(int(c.X)+d.X, int(c.Y)+d.Y))
		}
		p := dominantPeriod(grayFloats(img), img.Rect.Dx(), centres)
		if p < 7.5 || p > 11.5 {
			t.Errorf("id %d finger %d: dominant period %.2f px, want ~9", tt.id, tt.f, p)
		}
	}
}

func TestFingerTruth(t *testing.T) {
	for f := 1; f <= 10; f++ {
		tr := Master(42, f)
		wantCores := map[Class]int{Arch: 0, TentedArch: 1, LeftLoop: 1, RightLoop: 1, Whorl: 2}[tr.Class]
		if len(tr.Cores) != wantCores || len(tr.Deltas) != wantCores {
			t.Errorf("finger %d %v: %d cores, %d deltas", f, tr.Class, len(tr.Cores), len(tr.Deltas))
		}
		for _, p := range append(tr.Cores, tr.Deltas...) {
			if p.X < 0 || p.Y < 0 || p.X >= MasterWidth || p.Y >= MasterHeight {
				t.Errorf("finger %d: singular point %v off the master", f, p)
			}
		}
		if n := len(tr.Minutiae); n < 20 || n > 150 {
			t.Errorf("finger %d: %d master minutiae, want 20–150", f, n)
		}
		if tr.MeanPeriod < 8 || tr.MeanPeriod > 10 {
			t.Errorf("finger %d: mean period %.2f", f, tr.MeanPeriod)
		}
	}
}

func TestFingerConditions(t *testing.T) {
	// Mean darkness inside the contact: wet > normal > dry.
	mean := func(c Condition) float64 {
		img := Impression(42, 2, 0, Options{Condition: c})
		pose := PoseOf(42, 2, 0, Options{Condition: c})
		var s, n float64
		w := img.Rect.Dx()
		for y := int(pose.ContactCentre.Y) - 60; y < int(pose.ContactCentre.Y)+60; y++ {
			for x := int(pose.ContactCentre.X) - 60; x < int(pose.ContactCentre.X)+60; x++ {
				s += 255 - float64(img.Pix[y*w+x])
				n++
			}
		}
		return s / n
	}
	wet, normal, dry := mean(Wet), mean(Normal), mean(Dry)
	if !(wet > normal && normal > dry) {
		t.Errorf("darkness wet %.1f, normal %.1f, dry %.1f: want wet > normal > dry", wet, normal, dry)
	}
}

func TestFingerPanicsOnBadFinger(t *testing.T) {
	for _, f := range []int{0, 11, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("finger %d: no panic", f)
				}
			}()
			Impression(1, f, 0, Options{})
		}()
	}
}

func TestFingerGolden(t *testing.T) {
	gentest.CompareGolden(t, "finger_7_2_0.png", Impression(7, 2, 0, Options{Width: 200, Height: 240}), 1.0, *update)
}

func BenchmarkFingerMaster(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		growMaster(uint64(i), 1+i%10)
	}
}

func BenchmarkFingerImpression(b *testing.B) {
	masters.get(5, 3)
	for i := 0; b.Loop(); i++ {
		Impression(5, 3, i, Options{})
	}
}

func TestFingerImpressionTruth(t *testing.T) {
	for _, tt := range []struct {
		id  uint64
		f   int
		imp int
	}{{42, 1, 0}, {42, 3, 2}, {43, 2, 5}} {
		opts := Options{}
		img := Impression(tt.id, tt.f, tt.imp, opts)
		tr := Visible(tt.id, tt.f, tt.imp, opts)
		if len(tr.Minutiae) < 12 {
			t.Errorf("%+v: only %d visible minutiae", tt, len(tr.Minutiae))
		}
		ms := masters.get(tt.id, tt.f)
		ip := newImpression(tt.id, tt.f, tt.imp, DefaultWidth, DefaultHeight, Normal, 0, ms.model)
		onRidge, bif := 0, 0
		for _, m := range tr.Minutiae {
			// Mapping back must land on a master minutia.
			mx, my := ip.toMaster(m.X, m.Y)
			best := math.Inf(1)
			for _, mm := range ms.minutiae {
				best = math.Min(best, math.Hypot(mm.X-mx, mm.Y-my))
			}
			if best > 0.5 {
				t.Errorf("%+v: minutia %v maps back %.2f px from any master minutia", tt, m, best)
			}
			// Bifurcations sit on ridges: dark pixels.
			if m.Kind == Bifurcation {
				bif++
				if img.GrayAt(int(m.X+0.5), int(m.Y+0.5)).Y < 128 {
					onRidge++
				}
			}
		}
		if bif > 0 && float64(onRidge) < 0.8*float64(bif) {
			t.Errorf("%+v: %d of %d bifurcations on dark pixels", tt, onRidge, bif)
		}
	}
}

func TestFingerConcurrent(t *testing.T) {
	want := Impression(42, 1, 4, Options{Width: 96, Height: 96})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			// Same key from every goroutine, plus cache churn on others.
			if got := Impression(42, 1, 4, Options{Width: 96, Height: 96}); !bytes.Equal(got.Pix, want.Pix) {
				errs <- "concurrent call differs"
			}
			Master(42, 1+g%3)
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// imageMinutiae is a naive extractor for tests: ridge = darker than the
// local 9×9 mean after a 3×3 smoothing, then the same thinning and
// crossing-number rules as the master truth, inside the truth's contact.
func imageMinutiae(img *image.Gray, inside func(x, y int) bool) []Minutia {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	f := gen.BoxBlur3(grayFloats(img), w, h)
	ridge := make([]float32, w*h)
	fg := make([]float32, w*h)
	for y := 4; y < h-4; y++ {
		for x := 4; x < w-4; x++ {
			var m float64
			for j := -4; j <= 4; j++ {
				for i := -4; i <= 4; i++ {
					m += f[(y+j)*w+x+i]
				}
			}
			ridge[y*w+x] = float32(m/81 - f[y*w+x])
			if inside(x, y) {
				fg[y*w+x] = 1
			}
		}
	}
	return extractMinutiae(ridge, fg, w, h, 0)
}

func TestFingerImpressionsKeepTheirMinutiae(t *testing.T) {
	tests := []struct {
		cond      Condition
		minRecall float64
	}{{Normal, 0.8}, {Wet, 0.7}, {Dry, 0.7}}
	for _, tt := range tests {
		var found, total, extracted int
		for f := 1; f <= 4; f++ {
			opts := Options{Condition: tt.cond}
			img := Impression(42, f, 0, opts)
			tr := Visible(42, f, 0, opts)
			ms := masters.get(42, f)
			ip := newImpression(42, f, 0, DefaultWidth, DefaultHeight, tt.cond, 0, ms.model)
			inside := func(x, y int) bool {
				mx, my := ip.toMaster(float64(x), float64(y))
				_, fg, _ := sampleMaster(ms, mx, my)
				return fg > 0.99 && ip.contactAt(float64(x), float64(y)) > 0.99
			}
			got := imageMinutiae(img, inside)
			extracted += len(got)
			for _, m := range tr.Minutiae {
				// The naive extractor ignores a 12 px rim; so does this count.
				x, y := int(m.X), int(m.Y)
				if !inside(x-14, y) || !inside(x+14, y) || !inside(x, y-14) || !inside(x, y+14) {
					continue
				}
				total++
				for _, g := range got {
					if math.Hypot(g.X-m.X, g.Y-m.Y) < 8 {
						found++
						break
					}
				}
			}
		}
		recall := float64(found) / float64(total)
		t.Logf("%v: %d of %d truth minutiae found in the images (recall %.2f), %d extracted", tt.cond, found, total, recall, extracted)
		if recall < tt.minRecall || extracted > 3*total {
			t.Errorf("%v: recall %.2f (want ≥ %.2f), %d extracted for %d true", tt.cond, recall, tt.minRecall, extracted, total)
		}
	}
}

func TestFingerLift(t *testing.T) {
	dark := func(lift float64) int {
		img := Impression(42, 1, 0, Options{Lift: lift, Width: 200, Height: 260})
		n := 0
		for _, v := range img.Pix {
			if v < 150 {
				n++
			}
		}
		return n
	}
	prev := math.MaxInt
	for _, lift := range []float64{0, 0.3, 0.6, 0.9} {
		n := dark(lift)
		if n >= prev {
			t.Errorf("lift %.1f: %d dark pixels, not fewer than at the previous step (%d)", lift, n, prev)
		}
		prev = n
	}
	if n := dark(1); n != 0 {
		t.Errorf("lifted finger leaves %d dark pixels", n)
	}
	if m := Visible(42, 1, 0, Options{Lift: 1}).Minutiae; len(m) != 0 {
		t.Errorf("lifted finger has %d visible minutiae", len(m))
	}
}

func TestFingerCreases(t *testing.T) {
	creased := 0
	for id := uint64(0); id < 100; id++ {
		m := newFingerModel(id, 1+int(id%10))
		if len(m.creases) == 0 {
			continue
		}
		creased++
		c := m.creases[0]
		mid := gen.Point{X: (c.a.X + c.b.X) / 2, Y: (c.a.Y + c.b.Y) / 2}
		if w := m.creaseAt(mid.X, mid.Y); w < 0.99 {
			t.Errorf("id %d: crease weight %.2f on the crease", id, w)
		}
		if w := m.creaseAt(mid.X+(c.b.Y-c.a.Y), mid.Y-(c.b.X-c.a.X)); w > 0 && len(m.creases) == 1 {
			t.Errorf("id %d: crease weight %.2f far from the only crease", id, w)
		}
	}
	if creased < 12 || creased > 40 {
		t.Errorf("%d of 100 fingers creased, want about a quarter", creased)
	}
}

func TestTruthJSON(t *testing.T) {
	b, err := json.Marshal(Visible(42, 1, 0, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"pose":{"rotation_rad":`, `"kind":"`, `"minutiae":[{"x":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("impression truth JSON lacks %s: %.200s", want, b)
		}
	}
	b, err = json.Marshal(Master(42, 1))
	if err != nil || !strings.Contains(string(b), `"class":"`+Master(42, 1).Class.String()+`"`) {
		t.Errorf("master truth JSON %.120s (err %v)", b, err)
	}
}
