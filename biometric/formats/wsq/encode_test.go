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

// rateSlack is the tolerance of the tests on the achieved bit rate: the
// rate control lands at most rateTolerance above the target, plus a little
// for rounding.
const rateSlack = rateTolerance + 0.005

// TestEncodeRates encodes a real print at several rates: each file must
// come within rateSlack of the requested rate (never below it), and every
// higher rate must give a larger file and a better PSNR.
func TestEncodeRates(t *testing.T) {
	src := readTIFF(t, filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "102_3.tif"))
	prevSize, prevPSNR := 0, 0.0
	for _, rate := range []float64{0.5, 0.75, 1.5, 2.25} {
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
		if bpp < rate || bpp > rate*(1+rateSlack) {
			t.Errorf("rate %v: got %.3f bpp", rate, bpp)
		}
		if buf.Len() <= prevSize || p <= prevPSNR+1 {
			t.Errorf("rate %v: %d bytes at %.2f dB after %d bytes at %.2f dB", rate, buf.Len(), p, prevSize, prevPSNR)
		}
		prevSize, prevPSNR = buf.Len(), p
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
