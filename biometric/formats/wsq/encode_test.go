package wsq

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// nistImage decodes one of the NIST files as a realistic fingerprint.
func nistImage(t testing.TB, name string) *image.Gray {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(shareddata.Require(t, "wsq"), name))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := DecodeBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestEncodeRates encodes a real print at two rates: the higher rate must
// give a larger file and a better PSNR, and 0.75 bpp must land where WSQ
// encoders land (NBIS writes about 0.55-0.6 bpp for a 0.75 target).
func TestEncodeRates(t *testing.T) {
	src := readTIFF(t, filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "102_3.tif"))
	var sizes []int
	var quality []float64
	for _, rate := range []float64{0.75, 2.25} {
		var buf bytes.Buffer
		if err := Encode(&buf, src, &Options{Bitrate: rate, PPI: 500}); err != nil {
			t.Fatal(err)
		}
		got, info, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("rate %v: decode own output: %v", rate, err)
		}
		if info.PPI != 500 || info.Width != src.Rect.Dx() || info.Height != src.Rect.Dy() {
			t.Errorf("info %+v", info)
		}
		bpp := float64(8*buf.Len()) / float64(len(src.Pix))
		p := PSNR(src, got)
		t.Logf("rate %.2f: %d bytes, %.3f bpp, ratio %.1f:1, PSNR %.2f dB", rate, buf.Len(), bpp, 8/bpp, p)
		if bpp > 1.2*rate || bpp < 0.4*rate {
			t.Errorf("rate %v: got %.3f bpp", rate, bpp)
		}
		sizes = append(sizes, buf.Len())
		quality = append(quality, p)
	}
	if sizes[1] <= sizes[0] || quality[1] <= quality[0]+3 {
		t.Errorf("2.25 bpp gives %d bytes at %.2f dB, 0.75 bpp %d bytes at %.2f dB", sizes[1], quality[1], sizes[0], quality[0])
	}
}

// TestReencodeNIST re-encodes a decoded NIST file: a second generation at
// the same rate stays close to the first.
func TestReencodeNIST(t *testing.T) {
	src := nistImage(t, "sample/sample.wsq")
	data, err := EncodeGray(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := DecodeBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if p := PSNR(src, got); p < 38 {
		t.Errorf("second generation PSNR %.2f dB", p)
	}
}
