package iris_test

import (
	"errors"
	"image"
	"math"
	"testing"

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
	tests := []struct {
		name   string
		eye    synthEye
		metric func(iris.Quality) float64
	}{
		{"defocus lowers sharpness", blurred, func(q iris.Quality) float64 { return q.Sharpness }},
		{"closing eyelids lower usable area", closed, func(q iris.Quality) float64 { return q.UsableArea }},
		{"either lowers the score", closed, func(q iris.Quality) float64 { return q.Score }},
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
}

func TestEnrollRejectsImagesWithoutAnEye(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 320, 280))
	for i := range flat.Pix {
		flat.Pix[i] = 128
	}
	if _, err := iris.Enroll(flat); !errors.Is(err, iris.ErrNoEye) {
		t.Errorf("flat image: err %v, want ErrNoEye", err)
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

func BenchmarkEnroll(b *testing.B) {
	img := defaultEye(41).render()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iris.Enroll(img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	ta, tb := enroll(b, defaultEye(51)).Template, enroll(b, defaultEye(52)).Template
	p := iris.NewProbe(ta, iris.DefaultShifts)
	b.ReportAllocs()
	for b.Loop() {
		p.Compare(tb)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

func BenchmarkNewProbe(b *testing.B) {
	ta := enroll(b, defaultEye(51)).Template
	for b.Loop() {
		iris.NewProbe(ta, iris.DefaultShifts)
	}
}
