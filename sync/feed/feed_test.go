package feed

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	ops, _ := json.Marshal([]Operator{{Name: "budi", Role: "operator"}, {Name: "ani", Role: "operator", Revoked: true}})
	d, err := Sign(Header{Kind: KindOperators, Version: 3, IssuedAt: now, ExpiresAt: now.Add(72 * time.Hour)}, ops, priv)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  ed25519.PublicKey
		kind string
		at   time.Time
		want error
	}{
		{"valid", pub, KindOperators, now.Add(time.Hour), nil},
		{"other key", otherPub, KindOperators, now, ErrSignature},
		{"other kind", pub, KindRegions, now, ErrKind},
		{"expired", pub, KindOperators, now.Add(72 * time.Hour), ErrExpired},
	}
	for _, tt := range tests {
		err := back.Verify(tt.key, tt.kind, tt.at)
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	back.Payload = json.RawMessage(`[{"name":"budi","role":"admin","revoked":false}]`)
	if err := back.Verify(pub, KindOperators, now); !errors.Is(err, ErrSignature) {
		t.Fatalf("payload swap: %v", err)
	}
	if _, err := Sign(Header{Kind: "../x", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, ops, priv); err == nil {
		t.Fatal("bad kind signed")
	}
	if ValidKind("gallery/32.11.01") != true || ValidKind("gallery/../../x") {
		t.Fatal("ValidKind wrong")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"header":{"kind":"regions"},"payload":[],"signature":""}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err == nil && !ValidKind(d.Header.Kind) {
			t.Fatal("accepted a bad kind")
		}
	})
}
