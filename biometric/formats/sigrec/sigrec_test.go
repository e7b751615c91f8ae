package sigrec

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

func sample() *Record {
	return &Record{
		Channels: []ChannelDescription{
			{Channel: X, HasScale: true, Scale: 40, HasMin: true, Min: -5, HasMax: true, Max: 300},
			{Channel: Y, HasScale: true, Scale: 40},
			{Channel: Time, HasScale: true, Scale: 1000},
			{Channel: Force, HasSD: true, SD: 12},
			{Channel: Switch, Constant: true},
		},
		Samples: [][]int{{-5, 10, 0, 500, 1}, {300, -20, 10, 65535, 1}, {0, 0, 20, 0, 0}},
	}
}

func TestMarshalBytes(t *testing.T) {
	b, err := (&Record{
		Channels: []ChannelDescription{{Channel: X}, {Channel: Switch}},
		Samples:  [][]int{{-1, 1}},
		Extended: []byte{0xAB},
	}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := "53444900" + "20313000" + "8020" + "00" + "00" + "00" + "01" + "000001" + "7fff" + "0001" + "0001" + "ab"
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("bytes\n got %s\nwant %s", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  *Record
	}{
		{"full", sample()},
		{"extended", func() *Record { r := sample(); r.Extended = []byte("vendor raw"); return r }()},
		{"no samples", &Record{Channels: []ChannelDescription{{Channel: X}, {Channel: Y}}, Samples: [][]int{}}},
		{"tilt", &Record{Channels: []ChannelDescription{{Channel: Azimuth, HasScale: true, Scale: 0.01}, {Channel: Elevation}}, Samples: [][]int{{36000, 9000}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.rec.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got.Channels {
				// the 16-bit float keeps 11 fraction bits
				if s, w := got.Channels[i].Scale, tt.rec.Channels[i].Scale; s != w && (s-w)/w > 1e-3 {
					t.Fatalf("scale %v, want %v", s, w)
				}
				got.Channels[i].Scale = tt.rec.Channels[i].Scale
			}
			if !reflect.DeepEqual(got, tt.rec) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, tt.rec)
			}
			again, err := got.Marshal()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-marshal differs: %v", err)
			}
		})
	}
}

func TestScale(t *testing.T) {
	for _, v := range []float64{1, 40, 1000, 0.01, 1.5, 3.999} {
		u, err := encodeScale(v)
		if err != nil {
			t.Fatal(err)
		}
		if d := decodeScale(u); (d-v)/v > 1e-3 || (v-d)/v > 1e-3 {
			t.Errorf("scale %v → %#04x → %v", v, u, d)
		}
	}
	if _, err := encodeScale(0); err == nil {
		t.Error("encoded a zero scale")
	}
	if _, err := encodeScale(1e9); err == nil {
		t.Error("encoded a scale beyond 2^15")
	}
}

func TestMarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		rec  *Record
		want string
	}{
		{"no channel", &Record{}, "no channel"},
		{"order", &Record{Channels: []ChannelDescription{{Channel: Y}, {Channel: X}}}, "out of order"},
		{"width", &Record{Channels: []ChannelDescription{{Channel: X}}, Samples: [][]int{{1, 2}}}, "2 values for 1"},
		{"range", &Record{Channels: []ChannelDescription{{Channel: X}}, Samples: [][]int{{40000}}}, "out of range"},
		{"unsigned range", &Record{Channels: []ChannelDescription{{Channel: Time}}, Samples: [][]int{{-1}}}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.rec.Marshal(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mut := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"magic", mut(func(b []byte) []byte { b[0] = 'X'; return b }), "format identifier"},
		{"version", mut(func(b []byte) []byte { b[5] = '2'; return b }), "version"},
		{"no channel", mut(func(b []byte) []byte { b[8], b[9] = 0, 0; return b }), "no channel"},
		{"truncated", good[:len(good)-1], "declared"},
		{"trailing", append(append([]byte(nil), good...), 0), "trailing"},
		{"huge count", append(append([]byte(nil), good[:len(good)-3*10-3]...), 0xff, 0xff, 0xff), "declared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.b); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	good, _ := sample().Marshal()
	f.Add(good)
	r := sample()
	r.Extended = []byte{1, 2, 3}
	ext, _ := r.Marshal()
	f.Add(ext)
	f.Add([]byte("SDI\x00 10\x00\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := Parse(b)
		if err != nil {
			return
		}
		out, err := rec.Marshal()
		if err != nil {
			t.Fatalf("parsed record does not marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("re-marshalled record does not parse: %v", err)
		}
	})
}
