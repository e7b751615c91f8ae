package wsq

import (
	"bytes"
	"image"
	"path/filepath"
	"testing"

	_ "golang.org/x/image/tiff"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func readTIFF(t testing.TB, path string) *image.Gray {
	t.Helper()
	return Gray(readImage(t, path))
}

// TestEncodeFVC compresses one print of each FVC2002 set at 0.75 bpp and
// checks the compression ratio and quality stay in the range WSQ is used
// at (about 10-20:1, PSNR well above 30 dB).
func TestEncodeFVC(t *testing.T) {
	root := shareddata.Require(t, "fvc2002")
	for _, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
		t.Run(db, func(t *testing.T) {
			src := readTIFF(t, filepath.Join(root, db, "101_1.tif"))
			var buf bytes.Buffer
			if err := Encode(&buf, src, nil); err != nil {
				t.Fatal(err)
			}
			got, _, err := DecodeBytes(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			ratio := float64(len(src.Pix)) / float64(buf.Len())
			p := PSNR(src, got)
			t.Logf("%s 101_1: %dx%d, %d bytes, ratio %.1f:1 (%.3f bpp), PSNR %.2f dB", db, src.Rect.Dx(), src.Rect.Dy(), buf.Len(), ratio, 8/ratio, p)
			if ratio < 6 || ratio > 40 {
				t.Errorf("compression ratio %.1f outside 6-40", ratio)
			}
			if p < 28 {
				t.Errorf("PSNR %.2f dB < 28", p)
			}
		})
	}
}

// TestEncodeMaxRatio caps the ratio of a print that 0.75 bpp compresses
// beyond 15:1.
func TestEncodeMaxRatio(t *testing.T) {
	src := readTIFF(t, filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "101_1.tif"))
	free, err := EncodeGray(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	capped, err := EncodeGray(src, &Options{MaxRatio: 15})
	if err != nil {
		t.Fatal(err)
	}
	rf, rc := float64(len(src.Pix))/float64(len(free)), float64(len(src.Pix))/float64(len(capped))
	t.Logf("uncapped %.1f:1, capped %.1f:1", rf, rc)
	if rf <= 15 {
		t.Skipf("print already at %.1f:1", rf)
	}
	if rc > 15 || rc < 12 {
		t.Errorf("capped ratio %.1f:1", rc)
	}
	if _, err := EncodeGray(src, &Options{MaxRatio: 0.2}); err == nil {
		t.Error("impossible ratio reached")
	}
}
