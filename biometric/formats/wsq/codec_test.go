package wsq

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFilterBankPerfectReconstruction checks that synthesis inverts
// analysis for every line length, with and without spectral inversion.
func TestFilterBankPerfectReconstruction(t *testing.T) {
	fb := standardBank()
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 41; n++ {
		for _, inv := range []bool{false, true} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 50)
			}
			orig := append([]float32(nil), x...)
			b := newLineBuf(n)
			fb.analyze(x, b, inv)
			fb.synthesize(x, b, inv)
			for i := range x {
				if math.Abs(float64(x[i]-orig[i])) > 1e-3 {
					t.Fatalf("n=%d inv=%v: sample %d = %v, want %v", n, inv, i, x[i], orig[i])
				}
			}
		}
	}
}

// TestLayoutTiles checks that the 64 subbands tile the image exactly and
// that the tree has the specification's 20 transform steps.
func TestLayoutTiles(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {7, 5}, {388, 374}, {545, 622}, {804, 752}} {
		l := newLayout(size[0], size[1])
		if len(l.nodes) != 20 {
			t.Fatalf("%v: %d transform steps, want 20", size, len(l.nodes))
		}
		cover := make([]int, size[0]*size[1])
		for _, r := range l.bands {
			for y := r.y; y < r.y+r.h; y++ {
				for x := r.x; x < r.x+r.w; x++ {
					cover[y*size[0]+x]++
				}
			}
		}
		for i, c := range cover {
			if c != 1 {
				t.Fatalf("%v: pixel %d covered %d times", size, i, c)
			}
		}
	}
}

// synthetic makes a ridge-like test pattern.
func synthetic(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 128 + 90*math.Sin(float64(x)*0.35+8*math.Sin(float64(y)*0.02))*math.Cos(float64(y)*0.05)
			g.SetGray(x, y, color.Gray{Y: uint8(v)})
		}
	}
	return g
}

func TestEncodeEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		img     *image.Gray
		minPSNR float64
	}{
		// At 81×81 the markers, tables and comments alone fill the 615
		// bytes of a 0.75 bpp target: the rate control spends as little as
		// it can on coefficients.
		{"smallest", synthetic(MinEncodeDimension, MinEncodeDimension), 22},
		{"odd sizes", synthetic(97, 83), 25},
		{"flat", image.NewGray(image.Rect(0, 0, 100, 90)), 60},
		{"flat and large", image.NewGray(image.Rect(0, 0, 1500, 1500)), 60},
		{"ridges", synthetic(256, 200), 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, tt.img, &Options{Comment: "rekam test"}); err != nil {
				t.Fatal(err)
			}
			got, info, err := DecodeBytes(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if p := PSNR(tt.img, got); p < tt.minPSNR {
				t.Errorf("PSNR %.2f < %.1f", p, tt.minPSNR)
			}
			if len(info.Comments) != 2 || info.Comments[1] != "rekam test" || info.PPI != DefaultPPI {
				t.Errorf("comments %q ppi %d", info.Comments, info.PPI)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 0, 5), image.Rect(0, 0, 80, 200), image.Rect(0, 0, 200, 80)} {
		if _, err := EncodeGray(image.NewGray(r), nil); err == nil {
			t.Errorf("%v accepted", r)
		}
	}
	if _, err := EncodeGray(synthetic(8, 8), &Options{Bitrate: -1}); err == nil {
		t.Error("negative bit rate accepted")
	}
}

func encodedSample(t testing.TB) []byte {
	t.Helper()
	data, err := EncodeGray(synthetic(120, 96), nil)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDecodeTruncated cuts a valid file at every length: each must fail
// with ErrFormat, never panic.
func TestDecodeTruncated(t *testing.T) {
	data := encodedSample(t)
	for n := 0; n < len(data)-2; n++ {
		_, _, err := DecodeBytes(data[:n])
		if err == nil {
			t.Fatalf("truncated at %d of %d: no error", n, len(data))
		}
		if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("truncated at %d: %v", n, err)
		}
	}
}

func TestDecodeCorruptMarkers(t *testing.T) {
	valid := encodedSample(t)
	find := func(m uint16) int {
		i := bytes.Index(valid, []byte{byte(m >> 8), byte(m)})
		if i < 0 {
			t.Fatalf("marker %04X not found", m)
		}
		return i
	}
	tests := []struct {
		name   string
		mutate func(d []byte)
		want   error
	}{
		{"no SOI", func(d []byte) { d[1] = 0xD8 }, ErrFormat},
		{"unknown marker before frame", func(d []byte) { d[find(markerDTT)+1] = 0xB0 }, ErrFormat},
		{"SOF replaced", func(d []byte) { d[find(markerSOF)+1] = 0xA3 }, ErrFormat},
		{"DQT length", func(d []byte) { d[find(markerDQT)+3]++ }, ErrFormat},
		{"Huffman table id", func(d []byte) { d[find(markerSOB)+4] = 7 }, ErrFormat},
		{"huge frame", func(d []byte) {
			i := find(markerSOF)
			copy(d[i+6:], []byte{0xFF, 0xFF, 0xFF, 0xFF})
		}, ErrTooLarge},
		{"frame too large for the data", func(d []byte) {
			// 4000x4000 is within MaxPixels, but a few kilobytes cannot
			// code its coefficients: refused before the plane is allocated.
			i := find(markerSOF)
			copy(d[i+6:], []byte{0x0F, 0xA0, 0x0F, 0xA0})
		}, ErrTooLarge},
		{"EOI missing", func(d []byte) { d[len(d)-1] = 0xA9 }, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := append([]byte(nil), valid...)
			tt.mutate(d)
			if _, _, err := DecodeBytes(d); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestImageDecodeRegistered(t *testing.T) {
	data := encodedSample(t)
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || format != "wsq" {
		t.Fatalf("image.Decode: %v, format %q", err, format)
	}
	if img.Bounds().Dx() != 120 || img.Bounds().Dy() != 96 {
		t.Errorf("bounds %v", img.Bounds())
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "wsq" || cfg.Width != 120 || cfg.Height != 96 {
		t.Errorf("DecodeConfig %+v %q %v", cfg, format, err)
	}
}

func TestParseNISTCom(t *testing.T) {
	f, ok := ParseNISTCom("NIST_COM 3\nPIX_WIDTH 10\nPPI 500\n")
	if !ok || len(f) != 3 || f[2] != (NISTField{"PPI", "500"}) {
		t.Errorf("got %v %v", f, ok)
	}
	if _, ok := ParseNISTCom("hello"); ok {
		t.Error("plain comment parsed as NIST_COM")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encodedSample(f))
	small, _ := EncodeGray(synthetic(MinEncodeDimension, MinEncodeDimension), nil)
	f.Add(small)
	f.Add([]byte{0xFF, 0xA0, 0xFF, 0xA1})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, info, err := DecodeBytes(data)
		if err != nil {
			return
		}
		if img.Rect.Dx() != info.Width || img.Rect.Dy() != info.Height {
			t.Fatalf("image %v, info %dx%d", img.Rect, info.Width, info.Height)
		}
		if info.Width*info.Height > max(freePixels, maxPixelsPerByte*len(data)) {
			// Only a flat image may be larger than the data could code.
			for _, v := range img.Pix {
				if v != img.Pix[0] {
					t.Fatalf("%dx%d image with detail from %d bytes", info.Width, info.Height, len(data))
				}
			}
		}
	})
}

func benchImage(b *testing.B) *image.Gray {
	return synthetic(500, 500)
}

func BenchmarkEncode500(b *testing.B) {
	img := benchImage(b)
	b.SetBytes(int64(len(img.Pix)))
	for b.Loop() {
		if _, err := EncodeGray(img, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode500(b *testing.B) {
	data, err := EncodeGray(benchImage(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(500 * 500)
	for b.Loop() {
		if _, _, err := DecodeBytes(data); err != nil {
			b.Fatal(err)
		}
	}
}
