package wacomstu

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
	"github.com/rekam-ktp/rekam/device/vcom5s"
)

func TestGoldenReports(t *testing.T) {
	rows := golden.Rows(t, "testdata/golden-reports.txt", 2)
	rt, rq, v, i := SetReport(ReportWritingMode)
	want := [][]byte{
		Pen{Ready: true, Tip: true, Pressure: 512, X: 1000, Y: 2000}.Encode(),
		Pen{}.Encode(),
		Pen{Ready: true, X: 1, Y: 2, Timed: true, Time: 5, Seq: 7}.Encode(),
		Capability{MaxX: 10800, MaxY: 6480, MaxPressure: 1023, ScreenW: 800, ScreenH: 480, Refresh: 60}.Encode(),
		vcom5s.Setup{RequestType: rt, Request: rq, Value: v, Index: i, Length: 1}.Bytes(),
	}
	for k, r := range rows {
		g := golden.Hex(t, r[1])
		if !bytes.Equal(want[k], g) {
			t.Errorf("%s: % X, want % X", r[0], want[k], g)
		}
	}
	p, err := DecodePen(golden.Hex(t, rows[0][1]))
	if err != nil || !p.Ready || !p.Tip || p.Pressure != 512 || p.X != 1000 || p.Y != 2000 {
		t.Fatalf("%+v %v", p, err)
	}
	c, err := DecodeCapability(golden.Hex(t, rows[3][1]))
	if err != nil || c.MaxX != 10800 || c.ScreenW != 800 {
		t.Fatalf("%+v %v", c, err)
	}
	info, err := DecodeInfo(Info{Model: "STU-530", Firmware: [4]byte{1, 2, 3, 4}}.Encode())
	if err != nil || info.Model != "STU-530" {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestBadReports(t *testing.T) {
	for _, b := range [][]byte{nil, {0x01, 0x80}, {0x34, 0, 0, 0, 0, 0, 0}, {0x77, 1, 2, 3, 4, 5, 6}} {
		if _, err := DecodePen(b); !errors.Is(err, device.ErrProtocol) {
			t.Errorf("DecodePen(% X) = %v", b, err)
		}
	}
	if _, err := DecodeCapability(Capability{MaxX: 1, MaxY: 1}.Encode()); err == nil {
		t.Error("zero pressure range accepted")
	}
}

func FuzzReports(f *testing.F) {
	f.Add(Pen{Ready: true, Tip: true, Pressure: 700, X: 5, Y: 6}.Encode())
	f.Add(Capability{MaxX: 9600, MaxY: 6000, MaxPressure: 1023}.Encode())
	f.Add(Info{Model: "STU-430"}.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := DecodePen(b); err == nil {
			if q, err := DecodePen(p.Encode()); err != nil || q != p {
				t.Fatalf("round trip %+v %+v %v", p, q, err)
			}
		}
		_, _ = DecodeCapability(b)
		_, _ = DecodeInfo(b)
	})
}
