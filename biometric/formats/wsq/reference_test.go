package wsq

import (
	"fmt"
	"image"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// diffStats compares two grey images of the same size.
func diffStats(a *image.Gray, b image.Image) (mean float64, maxd int) {
	bd := b.Bounds()
	sum := 0
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			r, _, _, _ := b.At(bd.Min.X+x, bd.Min.Y+y).RGBA()
			d := int(a.GrayAt(x, y).Y) - int(r>>8)
			if d < 0 {
				d = -d
			}
			sum += d
			maxd = max(maxd, d)
		}
	}
	return float64(sum) / float64(a.Rect.Dx()*a.Rect.Dy()), maxd
}

// readImage decodes a PNG or TIFF file.
func readImage(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// referencePairs lists the NIST WSQ files with their reference decodes.
func referencePairs(t testing.TB) [][2]string {
	dir := shareddata.Require(t, "wsq")
	var pairs [][2]string
	for i := 1; i <= 14; i++ {
		base := filepath.Join(dir, "nist-fp", fmt.Sprintf("fp-%d", i))
		pairs = append(pairs, [2]string{base + ".wsq", base + ".png"})
	}
	base := filepath.Join(dir, "sample", "sample")
	return append(pairs, [2]string{base + ".wsq", base + ".png"})
}

// TestDecodeReferences decodes every NIST file and compares it with its
// reference decode: mean absolute difference ≤ 1 grey level, max ≤ 4.
func TestDecodeReferences(t *testing.T) {
	for _, p := range referencePairs(t) {
		t.Run(filepath.Base(p[0]), func(t *testing.T) {
			data, err := os.ReadFile(p[0])
			if err != nil {
				t.Fatal(err)
			}
			img, info, err := DecodeBytes(data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			ref := readImage(t, p[1])
			if ref.Bounds().Dx() != info.Width || ref.Bounds().Dy() != info.Height {
				t.Fatalf("size %dx%d, reference %v", info.Width, info.Height, ref.Bounds())
			}
			mean, maxd := diffStats(img, ref)
			t.Logf("%s %dx%d ppi %d: mean abs diff %.4f, max %d", filepath.Base(p[0]), info.Width, info.Height, info.PPI, mean, maxd)
			if mean > 1 || maxd > 4 || math.IsNaN(mean) {
				t.Errorf("mean abs diff %.4f (≤ 1), max %d (≤ 4)", mean, maxd)
			}
		})
	}
}
