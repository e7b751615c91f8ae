package iddk

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/internal/golden"
)

func TestGoldenLines(t *testing.T) {
	rows := golden.Rows(t, "testdata/golden-lines.txt", 2)
	want := []any{
		Request{ID: 3, Op: OpStartCapture, Eye: "both"},
		Response{ID: 4, Status: StatusCapturing},
		Response{ID: 7, Score: 83, UsableArea: 91},
		Response{ID: 9, Error: ErrDevBusy},
	}
	for i, r := range rows {
		got, err := Encode(want[i])
		if err != nil || !bytes.Equal(got, []byte(r[1]+"\n")) {
			t.Errorf("%s: %s, want %s (%v)", r[0], got, r[1], err)
		}
	}
	if k := ErrorKind(ErrDevBusy); k != device.ErrBusy {
		t.Fatal(k)
	}
}

func TestSplitAndDecode(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		err     bool
		decodes bool
	}{
		{`{"id":1}` + "\n", 9, false, true},
		{`{"id":1`, 0, false, false},
		{"not json\n", 9, false, false},
		{`{"id":1,"width":-5}` + "\n", 20, false, false},
	}
	for _, tt := range tests {
		_, n, err := Split([]byte(tt.in))
		if n != tt.n || (err != nil) != tt.err {
			t.Fatalf("Split(%q) = %d %v", tt.in, n, err)
		}
		if n > 0 {
			_, err := DecodeResponse([]byte(tt.in[:n]))
			if (err == nil) != tt.decodes || (err != nil && !errors.Is(err, device.ErrProtocol)) {
				t.Fatalf("DecodeResponse(%q) = %v", tt.in, err)
			}
		}
	}
	long := bytes.Repeat([]byte{'x'}, MaxLine+1)
	if _, n, err := Split(long); err == nil || n != len(long) {
		t.Fatal("unbounded line accepted")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id":3,"op":"start_capture","eye":"both"}` + "\n"))
	f.Add([]byte(`{"id":7,"total_score":83,"image":"iVBORw0KGgo="}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, n, _ := Split(b)
		if n < 0 || n > len(b) {
			t.Fatal(n)
		}
		_, _ = DecodeRequest(b)
		if r, err := DecodeResponse(b); err == nil && len(r.Image) > 0 {
			_, _ = decodeImage(r.Image)
		}
	})
}
