package iris_test

import (
	"errors"
	"image"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/iris"
)

func enroll(t testing.TB, e synthEye) *iris.Result {
	t.Helper()
	res, err := iris.Enroll(e.render())
	if err != nil {
		t.Fatalf("enroll eye %d: %v", e.seed, err)
	}
	return res
}

func TestSegmentationFindsNonConcentricBoundaries(t *testing.T) {
	tests := []struct {
		name string
		eye  synthEye
	}{
		{"centred with highlight", defaultEye(1)},
		{"pupil off-centre, small", func() synthEye { e := defaultEye(2); e.pr, e.px, e.py = 26, 164, 144; return e }()},
		{"large pupil, no highlight", func() synthEye { e := defaultEye(3); e.pr, e.highlight = 46, false; return e }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := enroll(t, tt.eye).Segmentation
			e := tt.eye
			if d := math.Hypot(s.Pupil.X-e.px, s.Pupil.Y-e.py); d > 2 || math.Abs(s.Pupil.R-e.pr) > 2 {
				t.Errorf("pupil %+v, want (%.0f,%.0f) r %.0f", s.Pupil, e.px, e.py, e.pr)
			}
			if d := math.Hypot(s.Iris.X-e.ix, s.Iris.Y-e.iy); d > 4 || math.Abs(s.Iris.R-e.ir) > 4 {
				t.Errorf("iris %+v, want (%.0f,%.0f) r %.0f", s.Iris, e.ix, e.iy, e.ir)
			}
			if !s.Upper.Found || math.Abs(s.Upper.At(e.ix)-e.upperLid) > 8 {
				t.Errorf("upper eyelid %+v at x=%.0f: %.1f, want ≈ %.0f", s.Upper, e.ix, s.Upper.At(e.ix), e.upperLid)
			}
		})
	}
}

func TestRotatedSameEyeMatchesDifferentEyeDoesNot(t *testing.T) {
	a := defaultEye(11)
	aRot := a
	aRot.rotateDeg = 7
	b := defaultEye(12)
	ta, tr, tb := enroll(t, a).Template, enroll(t, aRot).Template, enroll(t, b).Template
	p := iris.NewProbe(ta, iris.DefaultShifts)
	same := p.Compare(tr)
	if same.Distance > iris.ThresholdFMR1e6 {
		t.Errorf("rotated same eye: distance %.3f above threshold %.3f (FMR 1e-6)", same.Distance, iris.ThresholdFMR1e6)
	}
	// 7° is 5 columns of 1.41°; allow one column either way.
	if want := 7 * iris.CodeCols / 360.0; math.Abs(float64(same.Shift)-want) > 1.5 {
		t.Errorf("best shift %d columns, want ≈ %.1f", same.Shift, want)
	}
	diff := p.Compare(tb)
	if diff.Distance < iris.ThresholdFMR1e3 {
		t.Errorf("different eyes: distance %.3f below threshold %.3f (FMR 1e-3)", diff.Distance, iris.ThresholdFMR1e3)
	}
	if diff.Distance < 0.4 {
		t.Errorf("different eyes: distance %.3f, want ≈ 0.45", diff.Distance)
	}
	// Without the rotation search the rotated eye is far away.
	if d := iris.NewProbe(ta, 0).Compare(tr).Distance; d < same.Distance+0.1 {
		t.Errorf("no rotation search: %.3f, want well above %.3f", d, same.Distance)
	}
}

func TestPupilNeedNotBeFlat(t *testing.T) {
	flat := defaultEye(81)
	flat.flatPupil = true
	real := defaultEye(81) // textured pupil with two reflections
	rf, rr := enroll(t, flat), enroll(t, real)
	if d := math.Hypot(rf.Segmentation.Pupil.X-rr.Segmentation.Pupil.X, rf.Segmentation.Pupil.Y-rr.Segmentation.Pupil.Y); d > 1 ||
		math.Abs(rf.Segmentation.Pupil.R-rr.Segmentation.Pupil.R) > 1 {
		t.Errorf("pupil %+v with a flat fill, %+v without", rf.Segmentation.Pupil, rr.Segmentation.Pupil)
	}
	if d := iris.NewProbe(rf.Template, iris.DefaultShifts).Compare(rr.Template); d.Distance > 0.1 {
		t.Errorf("flat and textured pupil give distance %.3f", d.Distance)
	}
}

// upscale2 doubles an image's size by pixel replication and a 3×3 box.
func upscale2(img *image.Gray) *image.Gray {
	b := img.Bounds()
	big := image.NewGray(image.Rect(0, 0, 2*b.Dx(), 2*b.Dy()))
	for y := 0; y < 2*b.Dy(); y++ {
		for x := 0; x < 2*b.Dx(); x++ {
			big.Pix[y*big.Stride+x] = img.Pix[(y/2)*img.Stride+x/2]
		}
	}
	return boxBlurGray(big, 1)
}

func TestLargeEyeSegmentsAtWorkingScale(t *testing.T) {
	e := defaultEye(91)
	e.pr = 40 // 80 px at double size: above the working pupil radius
	small := e.render()
	rs := enroll(t, e)
	rb, err := iris.Enroll(upscale2(small))
	if err != nil {
		t.Fatal(err)
	}
	ps, pb := rs.Segmentation.Pupil, rb.Segmentation.Pupil
	if math.Abs(pb.R-2*ps.R) > 3 || math.Hypot(pb.X-(2*ps.X+0.5), pb.Y-(2*ps.Y+0.5)) > 3 {
		t.Errorf("pupil at double size %+v, want about twice %+v", pb, ps)
	}
	if is, ib := rs.Segmentation.Iris, rb.Segmentation.Iris; math.Abs(ib.R-2*is.R) > 5 {
		t.Errorf("iris radius %.1f at double size, want ≈ %.1f", ib.R, 2*is.R)
	}
	if d := iris.NewProbe(rs.Template, iris.DefaultShifts).Compare(rb.Template); d.Distance > 0.15 {
		t.Errorf("same eye at two sizes: distance %.3f", d.Distance)
	}
}

func TestCompareBelowExitsEarly(t *testing.T) {
	ta, tb := enroll(t, defaultEye(21)).Template, enroll(t, defaultEye(22)).Template
	p := iris.NewProbe(ta, iris.DefaultShifts)
	full := p.Compare(tb)
	if sc, ok := p.CompareBelow(tb, 0.3); ok {
		t.Errorf("impostor accepted below 0.3: %+v", sc)
	}
	sc, ok := p.CompareBelow(tb, 0.49)
	if !ok || math.Abs(sc.Distance-full.Distance) > 1e-12 {
		t.Errorf("CompareBelow(0.49) = %+v %v, want %+v", sc, ok, full)
	}
	if self := p.Compare(ta); self.Distance > 0.01 || self.Shift != 0 {
		t.Errorf("self comparison %+v, want distance ≈ 0 at shift 0", self)
	}
}

func TestQualityGateRejectsPoorImages(t *testing.T) {
	good := enroll(t, defaultEye(31)).Quality
	if !good.Acceptable() {
		t.Fatalf("good synthetic eye rejected: %+v", good)
	}
	blurred := defaultEye(31)
	blurred.blur = 3
	closed := defaultEye(31)
	closed.upperLid, closed.lowerLid = 125, 160
	small := defaultEye(31) // too far from the camera
	small.pr, small.ir, small.upperLid, small.lowerLid = 14, 45, 90, 200
	tests := []struct {
		name   string
		eye    synthEye
		metric func(iris.Quality) float64
	}{
		{"defocus lowers sharpness", blurred, func(q iris.Quality) float64 { return q.Sharpness }},
		{"closing eyelids lower usable area", closed, func(q iris.Quality) float64 { return q.UsableArea }},
		{"either lowers the score", closed, func(q iris.Quality) float64 { return q.Score }},
		{"a small iris lowers the radius", small, func(q iris.Quality) float64 { return q.IrisRadius }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := enroll(t, tt.eye).Quality
			if tt.metric(q) >= tt.metric(good) {
				t.Errorf("metric %.3f not below the good image's %.3f", tt.metric(q), tt.metric(good))
			}
		})
	}
	if q := enroll(t, closed).Quality; q.Acceptable() {
		t.Errorf("nearly closed eye accepted: usable area %.2f score %.1f", q.UsableArea, q.Score)
	}
	if q := enroll(t, small).Quality; q.Acceptable() {
		t.Errorf("iris of radius %.0f px accepted", q.IrisRadius)
	}
}

func TestEnrollRejectsImagesWithoutAnEye(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 320, 280))
	for i := range flat.Pix {
		flat.Pix[i] = 128
	}
	if _, err := iris.Enroll(flat); !errors.Is(err, iris.ErrNoEye) {
		t.Errorf("flat image: err %v, want ErrNoEye", err)
	}
	// A dark disk on a flat background has a pupil edge but no limbus.
	disk := image.NewGray(image.Rect(0, 0, 320, 280))
	for y := 0; y < 280; y++ {
		for x := 0; x < 320; x++ {
			v := uint8(150)
			if math.Hypot(float64(x-160), float64(y-140)) < 35 {
				v = 30
			}
			disk.Pix[y*disk.Stride+x] = v
		}
	}
	if _, err := iris.Enroll(disk); !errors.Is(err, iris.ErrNoEye) {
		t.Errorf("disk without iris: err %v, want ErrNoEye", err)
	}
	if _, err := iris.Enroll(image.NewGray(image.Rect(0, 0, 20, 20))); err == nil {
		t.Error("tiny image enrolled")
	}
}

func TestThresholdsFallWithFMR(t *testing.T) {
	ths := []float64{iris.ThresholdFMR1e3, iris.ThresholdFMR1e4, iris.ThresholdFMR1e5, iris.ThresholdFMR1e6}
	for i := 1; i < len(ths); i++ {
		if ths[i] >= ths[i-1] {
			t.Errorf("thresholds not decreasing: %v", ths)
		}
	}
	for _, f := range []float64{1e-3, 1e-6} {
		if got := iris.FalseMatchRate(iris.ThresholdAtFMR(f)); got > f || got < f/20 {
			t.Errorf("FMR at threshold for %g = %g", f, got)
		}
	}
	// Daugman's table puts 1 in a million near HD 0.33 for 249 DoF; ours is
	// in the same region.
	if iris.ThresholdFMR1e6 < 0.28 || iris.ThresholdFMR1e6 > 0.36 {
		t.Errorf("threshold at FMR 1e-6 = %.3f", iris.ThresholdFMR1e6)
	}
}

// cpuMetric reports ops per CPU second of the benchmark's own thread
// besides the wall-clock ns/op, which a busy machine inflates.
func cpuMetric(b *testing.B, start time.Duration, unit string) {
	if cpu := threadCPU() - start; cpu > 0 && start > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), unit)
	}
}

func BenchmarkEnroll(b *testing.B) {
	img := defaultEye(41).render()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	start := threadCPU()
	for b.Loop() {
		if _, err := iris.Enroll(img); err != nil {
			b.Fatal(err)
		}
	}
	cpuMetric(b, start, "images/cpu-s")
}

// BenchmarkCompare is one template-pair comparison of two different eyes
// with the ±8-column rotation search (17 alignments).
func BenchmarkCompare(b *testing.B) {
	ta, tb := enroll(b, defaultEye(51)).Template, enroll(b, defaultEye(52)).Template
	p := iris.NewProbe(ta, iris.DefaultShifts)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	start := threadCPU()
	for b.Loop() {
		p.Compare(tb)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	cpuMetric(b, start, "pairs/cpu-s")
}

func BenchmarkNewProbe(b *testing.B) {
	ta := enroll(b, defaultEye(51)).Template
	for b.Loop() {
		iris.NewProbe(ta, iris.DefaultShifts)
	}
}
