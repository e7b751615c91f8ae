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
// higher rate must give a larger file and a PSNR at least minGain dB better.
func TestEncodeRates(t *testing.T) {
	src := readTIFF(t, filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "102_3.tif"))
	tests := []struct {
		rate, minGain float64
	}{
		{0.5, 0},
		{0.75, 1},
		{1.5, 1},
		{2.25, 1},
		// Subbands 60-63 are never coded, which bounds the quality near
		// 50 dB: 6 bpp gains little but must not lose (the finest bins
		// once pushed the strongest coefficients beyond a symbol's range).
		{6, 0},
	}
	prevSize, prevPSNR := 0, 0.0
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Encode(&buf, src, &Options{Bitrate: tt.rate, PPI: 500}); err != nil {
			t.Fatal(err)
		}
		got, info, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("rate %v: decode own output: %v", tt.rate, err)
		}
		if info.PPI != 500 || info.Width != src.Rect.Dx() || info.Height != src.Rect.Dy() {
			t.Errorf("info %+v", info)
		}
		bpp := float64(8*buf.Len()) / float64(len(src.Pix))
		p := PSNR(src, got)
		t.Logf("rate %.2f: %d bytes, %.3f bpp, ratio %.1f:1, PSNR %.2f dB", tt.rate, buf.Len(), bpp, 8/bpp, p)
		if bpp < tt.rate || bpp > tt.rate*(1+rateSlack) {
			t.Errorf("rate %v: got %.3f bpp", tt.rate, bpp)
		}
		if buf.Len() <= prevSize || p < prevPSNR+tt.minGain {
			t.Errorf("rate %v: %d bytes at %.2f dB after %d bytes at %.2f dB", tt.rate, buf.Len(), p, prevSize, prevPSNR)
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
