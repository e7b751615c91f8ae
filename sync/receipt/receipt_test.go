package receipt

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

func sample() Receipt {
	return Receipt{Packet: strings.Repeat("ab", 32), Size: 10, StationID: "ST-1", EnrollmentID: "E-1",
		ReceivedAt: time.Date(2026, 11, 27, 1, 2, 3, 0, time.UTC), Serial: 7}
}

func TestSignVerifyEncode(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	s, err := Sign(sample(), priv)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(s.Encode())
	if err != nil {
		t.Fatal(err)
	}
	r, err := back.Verify(pub)
	if err != nil || r != sample() {
		t.Fatalf("verify = %+v, %v", r, err)
	}
	if _, err := back.Verify(otherPub); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("other key: %v", err)
	}
	back.Body[len(back.Body)-2] ^= 1
	if _, err := back.Verify(pub); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered body: %v", err)
	}
}

func FuzzDecodeVerify(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	s, _ := Sign(sample(), priv)
	f.Add(s.Encode())
	f.Add("x.y")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		sg, err := Decode(text)
		if err != nil {
			return
		}
		if r, err := sg.Verify(pub); err == nil && r.StationID != "ST-1" {
			t.Fatal("forged receipt verified")
		}
	})
}
