package iris_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/iris"
)

func TestTemplateRoundTrip(t *testing.T) {
	tp := enroll(t, defaultEye(61)).Template
	b, err := tp.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != iris.TemplateSize {
		t.Fatalf("%d bytes, want %d", len(b), iris.TemplateSize)
	}
	var back iris.Template
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if back != *tp {
		t.Fatal("round trip changed the template")
	}
	if v := back.ValidBits(); v < iris.CodeBits/2 || v > iris.CodeBits {
		t.Errorf("valid bits %d of %d", v, iris.CodeBits)
	}
}

func TestTemplateUnmarshalErrors(t *testing.T) {
	good, _ := (&iris.Template{}).MarshalBinary()
	mod := func(f func([]byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short", good[:100]},
		{"long", append(bytes.Clone(good), 0)},
		{"magic", mod(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"version", mod(func(b []byte) []byte { b[4] = 9; return b })},
		{"rows", mod(func(b []byte) []byte { b[5] = 3; return b })},
		{"cols", mod(func(b []byte) []byte { b[6] = 1; return b })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tp iris.Template
			if err := tp.UnmarshalBinary(tt.b); !errors.Is(err, iris.ErrTemplate) {
				t.Errorf("err %v, want ErrTemplate", err)
			}
		})
	}
}

func FuzzTemplateUnmarshal(f *testing.F) {
	good, _ := (&iris.Template{}).MarshalBinary()
	f.Add(good)
	f.Add([]byte("RKIC"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var tp iris.Template
		if err := tp.UnmarshalBinary(b); err != nil {
			return
		}
		out, err := tp.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("accepted input does not round-trip")
		}
	})
}
