package r30x

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
)

type goldenFrame struct {
	name    string
	pid     byte
	payload []byte
	frame   []byte
}

func loadGolden(t testing.TB) []goldenFrame {
	t.Helper()
	var out []goldenFrame
	for _, r := range golden.Rows(t, "testdata/golden-frames.txt", 4) {
		out = append(out, goldenFrame{r[0], golden.Hex(t, r[1])[0], golden.Hex(t, r[2]), golden.Hex(t, r[3])})
	}
	if len(out) < 20 {
		t.Fatalf("only %d golden frames", len(out))
	}
	return out
}

func TestGoldenFramesEncode(t *testing.T) {
	for _, g := range loadGolden(t) {
		t.Run(g.name, func(t *testing.T) {
			got, err := Packet{Addr: DefaultAddress, PID: g.pid, Payload: g.payload}.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, g.frame) {
				t.Fatalf("encode = % X\nwant     % X", got, g.frame)
			}
		})
	}
}

func TestGoldenFramesDecode(t *testing.T) {
	for _, g := range loadGolden(t) {
		t.Run(g.name, func(t *testing.T) {
			p, err := Decode(g.frame)
			if err != nil {
				t.Fatal(err)
			}
			if p.Addr != DefaultAddress || p.PID != g.pid || !bytes.Equal(p.Payload, g.payload) {
				t.Fatalf("decode = %+v", p)
			}
		})
	}
}

func TestSplitResync(t *testing.T) {
	ack := golden.Hex(t, "EF 01 FF FF FF FF 07 00 03 00 00 0A")
	tests := []struct {
		name     string
		in       []byte
		skip, n  int
		protoErr bool
	}{
		{"power-on 0x55 before header", append([]byte{0x55}, ack...), 1, 0, false},
		{"noise with lone EF", append([]byte{0x00, 0xEF, 0x02, 0x55}, ack...), 4, 0, false},
		{"whole frame", ack, 0, len(ack), false},
		{"partial header", ack[:5], 0, 0, false},
		{"partial payload", ack[:10], 0, 0, false},
		{"trailing EF kept", []byte{0x11, 0xEF}, 1, 0, false},
		{"impossible length resyncs", golden.Hex(t, "EF 01 FF FF FF FF 07 FF FF 00"), 1, 0, false},
		{"zero length resyncs", golden.Hex(t, "EF 01 FF FF FF FF 07 00 00 00"), 1, 0, false},
		{"bad checksum", golden.Hex(t, "EF 01 FF FF FF FF 07 00 03 00 00 0B"), 0, 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skip, n, err := Split(tt.in)
			if skip != tt.skip || n != tt.n || (err != nil) != tt.protoErr {
				t.Fatalf("Split = %d, %d, %v; want %d, %d, err=%v", skip, n, err, tt.skip, tt.n, tt.protoErr)
			}
			if err != nil {
				var pe *device.ProtocolError
				if !errors.As(err, &pe) || !errors.Is(err, device.ErrProtocol) || !bytes.Equal(pe.Bytes, tt.in[:n]) {
					t.Fatalf("error %v does not carry the frame bytes", err)
				}
			}
		})
	}
}

func TestPayloadTooLong(t *testing.T) {
	if _, err := (Packet{PID: PIDData, Payload: make([]byte, 257)}).Encode(); err == nil {
		t.Fatal("257-byte payload encoded")
	}
	if _, err := (Packet{PID: PIDData, Payload: make([]byte, 256)}).Encode(); err != nil {
		t.Fatalf("256-byte payload: %v", err)
	}
}

func TestSysParaAndProdInfoRoundTrip(t *testing.T) {
	sp := SysPara{Status: 0, SystemID: 9, Capacity: 1000, Security: 3, Address: DefaultAddress, PacketSizeCode: 2, BaudN: 6}
	got, err := ParseSysPara(sp.Encode())
	if err != nil || got != sp || got.PacketSize() != 128 {
		t.Fatalf("syspara round trip: %+v %v", got, err)
	}
	pi := ProdInfo{Model: "R503", Batch: "B1", Serial: "12345678", Sensor: "FPC1011", HWVersion: 0x0102, Width: 192, Height: 192, TemplateSize: 1536, DBSize: 200}
	b := pi.Encode()
	if len(b) != 46 {
		t.Fatalf("prod info is %d bytes, want 46", len(b))
	}
	gp, err := ParseProdInfo(b)
	if err != nil || gp != pi {
		t.Fatalf("prod info round trip: %+v %v", gp, err)
	}
	bad := pi
	bad.Width = 0
	if _, err := ParseProdInfo(bad.Encode()); !errors.Is(err, device.ErrProtocol) {
		t.Fatalf("zero width accepted: %v", err)
	}
}

func TestPack4(t *testing.T) {
	pix := []byte{0x00, 0xFF, 0x12, 0xE7}
	p := Pack4(pix)
	if !bytes.Equal(p, []byte{0x0F, 0x1E}) {
		t.Fatalf("Pack4 = % X", p)
	}
	if u := Unpack4(p); !bytes.Equal(u, []byte{0x00, 0xFF, 0x11, 0xEE}) {
		t.Fatalf("Unpack4 = % X", u)
	}
}

func FuzzSplit(f *testing.F) {
	for _, g := range loadGolden(f) {
		f.Add(g.frame)
	}
	f.Add([]byte{0x55, 0xEF, 0x01, 0xFF})
	f.Add([]byte{0xEF, 0x01, 0, 0, 0, 0, 2, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		skip, n, err := Split(b)
		if skip < 0 || n < 0 || skip > len(b) || n > len(b) || (skip > 0 && n > 0) {
			t.Fatalf("Split(% X) = %d, %d", b, skip, n)
		}
		if n > 0 && err == nil {
			p, derr := Decode(b[:n])
			if derr != nil {
				t.Fatalf("Split accepted what Decode rejects: %v", derr)
			}
			re, eerr := p.Encode()
			if eerr != nil || !bytes.Equal(re, b[:n]) {
				t.Fatalf("re-encode mismatch: % X vs % X", re, b[:n])
			}
		}
		_, _ = ParseSysPara(b)
		_, _ = ParseProdInfo(b)
	})
}
