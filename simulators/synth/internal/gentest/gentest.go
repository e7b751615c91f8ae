// Package gentest holds test helpers shared by the synthetic generators:
// normalised cross-correlation and golden-image comparison.
package gentest

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// NCC is the normalised cross-correlation of a and b over the indices where
// use is true (all when use is nil).
func NCC(a, b []float64, use []bool) float64 {
	var sa, sb, n float64
	for i := range a {
		if use == nil || use[i] {
			sa += a[i]
			sb += b[i]
			n++
		}
	}
	if n == 0 {
		return 0
	}
	ma, mb := sa/n, sb/n
	var num, da, db float64
	for i := range a {
		if use == nil || use[i] {
			x, y := a[i]-ma, b[i]-mb
			num += x * y
			da += x * x
			db += y * y
		}
	}
	if da == 0 || db == 0 {
		return 0
	}
	return num / math.Sqrt(da*db)
}

// CompareGolden compares img with testdata/name (rewriting it first when
// update is set):
// the mean absolute difference must stay under meanTol grey levels and at
// most 1 % of pixels may differ by more than 24 levels, so that harmless
// floating-point differences between platforms pass.
func CompareGolden(t *testing.T, name string, img image.Image, meanTol float64, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		f, err := os.Create(path)
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
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open golden (run with -update to create): %v", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode golden %s: %v", path, err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, want %v", name, img.Bounds(), want.Bounds())
	}
	var sum float64
	var bad, n int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			for _, d := range []float64{
				math.Abs(float64(r1>>8) - float64(r2>>8)),
				math.Abs(float64(g1>>8) - float64(g2>>8)),
				math.Abs(float64(b1>>8) - float64(b2>>8)),
			} {
				sum += d
				n++
				if d > 24 {
					bad++
				}
			}
		}
	}
	if mean := sum / float64(n); mean > meanTol || float64(bad) > 0.01*float64(n) {
		t.Errorf("%s differs from golden: mean |Δ| %.2f (tol %.2f), %d of %d samples off by > 24", name, mean, meanTol, bad, n)
	}
}
