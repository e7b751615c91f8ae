package vcom5s

import (
	"bytes"
	"errors"
	"image"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
)

func TestGoldenSetups(t *testing.T) {
	rows := golden.Rows(t, "testdata/golden-setups.txt", 2)
	setups := ScanSetups()
	if len(rows) != len(setups) {
		t.Fatalf("%d golden setups, %d in the plan", len(rows), len(setups))
	}
	for i, r := range rows {
		want := golden.Hex(t, r[1])
		if got := setups[i].Bytes(); !bytes.Equal(got, want) {
			t.Errorf("%s: % X, want % X", r[0], got, want)
		}
		if s, err := ParseSetup(want); err != nil || s != setups[i] {
			t.Errorf("%s: parse %+v %v", r[0], s, err)
		}
	}
}

func TestAssembler(t *testing.T) {
	m := Models[0]
	if m.Chunks() != 24 {
		t.Fatalf("vcom5s image in %d chunks, want 24", m.Chunks())
	}
	a := NewAssembler(m)
	for i := 0; i < m.Chunks(); i++ {
		if a.Done() {
			t.Fatal("done early")
		}
		if err := a.Add(bytes.Repeat([]byte{byte(i)}, m.Chunk)); err != nil {
			t.Fatal(err)
		}
	}
	img := a.Image()
	if img == nil || img.Bounds() != image.Rect(0, 0, 300, 288) || img.GrayAt(0, 287).Y != 23 {
		t.Fatalf("image %v", img)
	}
	if err := a.Add(make([]byte, m.Chunk)); !errors.Is(err, device.ErrProtocol) {
		t.Fatalf("extra chunk: %v", err)
	}
	if err := NewAssembler(m).Add(make([]byte, 10)); !errors.Is(err, device.ErrProtocol) {
		t.Fatalf("short chunk: %v", err)
	}
}

func TestFingerPresentAndBlank(t *testing.T) {
	m := Models[0]
	img := image.NewGray(image.Rect(0, 0, m.Width, m.Height))
	for i := range img.Pix {
		img.Pix[i] = 250
	}
	if FingerPresent(m, img) || !Blank(img) {
		t.Fatal("white platen")
	}
	for y := m.Box.Min.Y; y < m.Box.Max.Y; y++ {
		for x := m.Box.Min.X; x < m.Box.Max.X; x++ {
			img.Pix[y*img.Stride+x] = [2]uint8{90, 60}[(x/4)%2] // ridges
		}
	}
	if !FingerPresent(m, img) || Blank(img) {
		t.Fatal("dark ridged box not detected")
	}
}

func FuzzAssembler(f *testing.F) {
	f.Add([]byte{1, 2, 3}, 3)
	f.Add(make([]byte, 3600), 24)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		a := NewAssembler(Models[0])
		for i := 0; i < n%30; i++ {
			if err := a.Add(b); err != nil {
				if !errors.Is(err, device.ErrProtocol) {
					t.Fatalf("untyped %v", err)
				}
				break
			}
		}
		_, _ = ParseSetup(b)
		if a.Done() != (a.Image() != nil) {
			t.Fatal("Done and Image disagree")
		}
	})
}
