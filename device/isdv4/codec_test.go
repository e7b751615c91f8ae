package isdv4

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
)

func TestGoldenFrames(t *testing.T) {
	for _, r := range golden.Rows(t, "testdata/golden-frames.txt", 3) {
		t.Run(r[0], func(t *testing.T) {
			var v [5]int
			for i, f := range strings.Fields(r[1]) {
				v[i], _ = strconv.Atoi(f)
			}
			p := Pen{Ready: v[0] == 1, Tip: v[1] == 1, X: v[2], Y: v[3], Pressure: v[4]}
			want := golden.Hex(t, r[2])
			if got := p.Encode(false); !bytes.Equal(got, want) {
				t.Fatalf("encode % X, want % X", got, want)
			}
			got, err := Decode(want)
			if err != nil || got != p {
				t.Fatalf("decode %+v %v", got, err)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	pen := Pen{Ready: true, X: 100}.Encode(false)
	ctl := Pen{X: 26000, Y: 16000, Pressure: 1023}.Encode(true)
	tests := []struct {
		name    string
		in      []byte
		skip, n int
		err     bool
	}{
		{"pen", pen, 0, 9, false},
		{"control", ctl, 0, 11, false},
		{"garbage first", append([]byte{0x01, 0x7F}, pen...), 2, 0, false},
		{"partial", pen[:5], 0, 0, false},
		{"cut by a lead byte", append(pen[:4:4], pen...), 0, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skip, n, err := Split(tt.in)
			if skip != tt.skip || n != tt.n || (err != nil) != tt.err {
				t.Fatalf("= %d %d %v", skip, n, err)
			}
			if err != nil && !errors.Is(err, device.ErrProtocol) {
				t.Fatal(err)
			}
		})
	}
	if !IsControl(ctl) || IsControl(pen) {
		t.Fatal("IsControl")
	}
}

func FuzzSplitDecode(f *testing.F) {
	f.Add(Pen{Ready: true, Tip: true, X: 1234, Y: 999, Pressure: 500}.Encode(false))
	f.Add(Pen{X: 26000}.Encode(true))
	f.Fuzz(func(t *testing.T, b []byte) {
		skip, n, err := Split(b)
		if skip < 0 || n < 0 || skip > len(b) || n > len(b) || (skip > 0 && n > 0) {
			t.Fatalf("Split = %d %d", skip, n)
		}
		if n > 0 && err == nil {
			p, err := Decode(b[:n])
			if err != nil {
				t.Fatalf("Split accepted what Decode rejects: %v", err)
			}
			if q, err := Decode(p.Encode(IsControl(b[:n]))); err != nil || q != p {
				t.Fatalf("round trip %+v vs %+v (%v)", q, p, err)
			}
		}
		_, _ = Decode(b)
	})
}
