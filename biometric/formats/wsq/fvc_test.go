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

// TestEncodeFVC compresses one print of each FVC2002 set at the default
// 0.75 bpp: the file must meet the rate (within rateSlack, about 10.5:1)
// and keep the quality WSQ is used at (PSNR about 30 dB or more).
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
			if bpp := 8 / ratio; bpp < DefaultBitrate || bpp > DefaultBitrate*(1+rateSlack) {
				t.Errorf("%.3f bpp for a %.2f bpp target", bpp, DefaultBitrate)
			}
			if p < 29 {
				t.Errorf("PSNR %.2f dB < 29", p)
			}
		})
	}
}

// TestEncodeMaxRatio caps the ratio of a print that a low rate compresses
// beyond 15:1: the cap raises the file to just within 15:1.
func TestEncodeMaxRatio(t *testing.T) {
	src := readTIFF(t, filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "101_1.tif"))
	free, err := EncodeGray(src, &Options{Bitrate: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	capped, err := EncodeGray(src, &Options{Bitrate: 0.4, MaxRatio: 15})
	if err != nil {
		t.Fatal(err)
	}
	rf, rc := float64(len(src.Pix))/float64(len(free)), float64(len(src.Pix))/float64(len(capped))
	t.Logf("uncapped %.1f:1, capped %.1f:1", rf, rc)
	if rf <= 15 {
		t.Fatalf("0.4 bpp gave %.1f:1", rf)
	}
	if rc > 15 || rc < 15/(1+rateSlack) {
		t.Errorf("capped ratio %.1f:1", rc)
	}
	if _, err := EncodeGray(src, &Options{MaxRatio: 0.2}); err == nil {
		t.Error("impossible ratio reached")
	}
}
