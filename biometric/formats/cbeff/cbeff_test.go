package cbeff

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func sample() *Record {
	return &Record{
		Header: Header{
			FormatOwner: OwnerISO, FormatType: TypeFingerImg, BiometricType: BioFinger,
			Subtype: 0x05, Purpose: PurposeEnrollIdentify, Quality: 87,
			Created: time.Date(2026, 6, 1, 9, 30, 15, 0, time.FixedZone("WIB", 7*3600)),
		},
		BDB: []byte("FIR\x00010\x00payload"),
	}
}

func TestRoundTrip(t *testing.T) {
	r := sample()
	data, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != HeaderSize+len(r.BDB) || !IsCBEFF(data) {
		t.Fatalf("%d bytes", len(data))
	}
	// Golden header bytes: owner 0101, type 0007, finger 000008, subtype 05,
	// purpose 05, quality 87, 2026-06-01 02:30:15 UTC, length 15.
	want := []byte("CBF1\x01\x01\x00\x07\x00\x00\x08\x05\x05\x57\x07\xea\x06\x01\x02\x1e\x0f\x00\x00\x00\x0f")
	if !bytes.Equal(data[:HeaderSize], want) {
		t.Errorf("header % x\nwant   % x", data[:HeaderSize], want)
	}
	back, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Header.Created != r.Created.UTC() || back.FormatType != r.FormatType || back.Quality != 87 || !bytes.Equal(back.BDB, r.BDB) {
		t.Errorf("got %+v", back)
	}
}

func TestRejects(t *testing.T) {
	valid, _ := sample().Marshal()
	mut := func(i int, b byte) []byte { return mut(valid, i, b) }
	tests := []struct {
		name string
		data []byte
	}{
		{"short", valid[:10]},
		{"magic", mut(0, 'X')},
		{"quality", mut(13, 150)},
		{"month", mut(16, 13)},
		{"31 June", mut(17, 31)},
		{"length", mut(24, 0x13)},
		{"truncated data", valid[:len(valid)-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.data); !errors.Is(err, ErrFormat) {
				t.Errorf("error %v", err)
			}
		})
	}
	bad := sample()
	bad.Quality = 120
	if _, err := bad.Marshal(); err == nil {
		t.Error("quality 120 marshalled")
	}
}

func FuzzUnmarshal(f *testing.F) {
	valid, _ := sample().Marshal()
	f.Add(valid)
	f.Add([]byte(Magic))
	f.Add(mut(valid, 17, 31))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Unmarshal(data)
		if err != nil {
			return
		}
		out, err := r.Marshal()
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		if !bytes.Equal(out, data) {
			t.Fatalf("round trip changed the bytes")
		}
	})
}

// mut returns a copy of data with byte i set to b.
func mut(data []byte, i int, b byte) []byte {
	d := append([]byte(nil), data...)
	d[i] = b
	return d
}
