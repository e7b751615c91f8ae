package gt511

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
)

type goldenFrame struct {
	name  string
	pkt   Packet
	frame []byte
}

func loadGolden(t testing.TB) []goldenFrame {
	t.Helper()
	var out []goldenFrame
	for _, r := range golden.Rows(t, "testdata/golden-frames.txt", 4) {
		out = append(out, goldenFrame{r[0], Packet{DevID: DefaultDevID,
			Param: binary.BigEndian.Uint32(golden.Hex(t, r[1])), Cmd: binary.BigEndian.Uint16(golden.Hex(t, r[2]))}, golden.Hex(t, r[3])})
	}
	if len(out) != 5 {
		t.Fatalf("%d golden frames", len(out))
	}
	return out
}

func TestGoldenFrames(t *testing.T) {
	for _, g := range loadGolden(t) {
		t.Run(g.name, func(t *testing.T) {
			if got := g.pkt.Encode(); !bytes.Equal(got, g.frame) {
				t.Fatalf("encode % X, want % X", got, g.frame)
			}
			p, err := Decode(g.frame)
			if err != nil || p != g.pkt {
				t.Fatalf("decode %+v, %v", p, err)
			}
		})
	}
}

func TestSplitter(t *testing.T) {
	ack := Packet{DevID: 1, Cmd: Ack}.Encode()
	data := EncodeData(1, []byte{1, 2, 3})
	tests := []struct {
		name    string
		dataLen int
		in      []byte
		skip, n int
		err     bool
	}{
		{"ack", 0, ack, 0, 12, false},
		{"noise then ack", 0, append([]byte{0x00, 0x55, 0x00}, ack...), 3, 0, false},
		{"partial", 0, ack[:7], 0, 0, false},
		{"data expected", 3, data, 0, 9, false},
		{"nack while expecting data", 3, ack, 0, 12, false},
		{"data while expecting a response", 0, data, 0, 9, true},
		{"bad checksum", 0, append(ack[:11:11], ack[11]^1), 0, 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skip, n, err := Splitter(tt.dataLen)(tt.in)
			if skip != tt.skip || n != tt.n || (err != nil) != tt.err {
				t.Fatalf("= %d %d %v", skip, n, err)
			}
			if err != nil && !errors.Is(err, device.ErrProtocol) {
				t.Fatalf("untyped %v", err)
			}
		})
	}
}

func TestDataAndInfoRoundTrip(t *testing.T) {
	var info DevInfo
	info.Firmware = 0x20120405
	copy(info.Serial[:], "SIM-GT511-0001")
	id, data, err := DecodeData(EncodeData(1, info.Encode()))
	if err != nil || id != 1 {
		t.Fatal(err)
	}
	got, err := ParseDevInfo(data)
	if err != nil || got != info {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := ParseDevInfo(data[:10]); !errors.Is(err, device.ErrProtocol) {
		t.Fatal("short info accepted")
	}
}

func FuzzCodec(f *testing.F) {
	for _, g := range loadGolden(f) {
		f.Add(g.frame, uint16(0))
	}
	f.Add(EncodeData(1, []byte{9, 9}), uint16(2))
	f.Fuzz(func(t *testing.T, b []byte, dl uint16) {
		dataLen := int(dl) % (MaxData + 1)
		skip, n, err := Splitter(dataLen)(b)
		if skip < 0 || n < 0 || skip > len(b) || n > len(b) || (skip > 0 && n > 0) {
			t.Fatalf("Splitter = %d %d", skip, n)
		}
		if n > 0 && err == nil {
			if b[0] == CmdStart1 {
				p, err := Decode(b[:n])
				if err != nil || !bytes.Equal(p.Encode(), b[:n]) {
					t.Fatalf("round trip %v", err)
				}
			} else if _, _, err := DecodeData(b[:n]); err != nil {
				t.Fatalf("data %v", err)
			}
		}
		_, _ = ParseDevInfo(b)
	})
}
