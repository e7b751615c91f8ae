package proto

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	a, err := Decode[Announce](strings.NewReader(`{"packet":"x","size":3,"enrollment_id":"e"}`))
	if err != nil || a.Size != 3 {
		t.Fatalf("%+v %v", a, err)
	}
	for _, bad := range []string{`{"packet":"x","extra":1}`, `{"size":"3"}`, `{} {}`, `[`} {
		if _, err := Decode[Announce](strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if !ValidPacketName(strings.Repeat("0a", 32)) || ValidPacketName("../etc/passwd") || ValidPacketName(strings.Repeat("A", 64)) {
		t.Error("ValidPacketName wrong")
	}
}

func FuzzDecodeAnnounce(f *testing.F) {
	f.Add(`{"packet":"x","size":3,"enrollment_id":"e"}`)
	f.Add(`{"size":-1}`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Decode[Announce](strings.NewReader(s))
		_, _ = Decode[StatusPage](strings.NewReader(s))
	})
}
