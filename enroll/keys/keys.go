// Package keys holds a recording station's secrets: the data key that
// encrypts biodata and biometrics at rest (AES-256-GCM), the Ed25519 key that
// signs its packets, and the sub-keys derived from the data key for blind
// indexes, the audit chain and backups.
//
// The keys live in a key file (0600) in the station's config folder, apart
// from the data folder, so the database file alone reveals nothing. A second
// copy, wrapped by a recovery passphrase through argon2id, goes with every
// backup so a station can be restored on a new machine.
package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
)

// DataKeySize is the length of the AES-256 data key in bytes.
const DataKeySize = 32

// Keys are one station's secrets.
type Keys struct {
	// Station is the station id the keys were made for.
	Station string
	// Data is the AES-256-GCM key for personal data at rest.
	Data [DataKeySize]byte
	// Signing is the station's Ed25519 packet-signing key.
	Signing ed25519.PrivateKey
}

// Generate makes fresh keys for a station from crypto/rand.
func Generate(station string) (*Keys, error) {
	if station == "" {
		return nil, errors.New("generate keys: empty station id")
	}
	k := &Keys{Station: station}
	if _, err := rand.Read(k.Data[:]); err != nil {
		return nil, fmt.Errorf("generate data key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	k.Signing = priv
	return k, nil
}

// Derive returns a 32-byte sub-key of the data key for one purpose
// (HKDF-SHA256, info "rekam/<purpose>"). Different purposes give independent
// keys; the data key itself is only ever used for AES-GCM.
func (k *Keys) Derive(purpose string, salt []byte) []byte {
	out, err := hkdf.Key(sha256.New, k.Data[:], salt, "rekam/"+purpose, 32)
	if err != nil {
		// hkdf.Key only fails for lengths above 255*32 bytes.
		panic("keys: hkdf: " + err.Error())
	}
	return out
}

// BlindIndexKey is the HMAC key for blind indexes (lookup of a NIK without
// storing it).
func (k *Keys) BlindIndexKey() []byte { return k.Derive("blind-index", nil) }

// AuditKey is the HMAC key that seals the audit chain, so someone holding
// only the database cannot recompute it after an edit.
func (k *Keys) AuditKey() []byte { return k.Derive("audit", nil) }

// AEAD returns the AES-256-GCM cipher of the data key.
func (k *Keys) AEAD() cipher.AEAD {
	return newGCM(k.Data[:])
}

// PublicKey returns the station's Ed25519 public key.
func (k *Keys) PublicKey() ed25519.PublicKey {
	return k.Signing.Public().(ed25519.PublicKey)
}

// Equal reports whether two key sets are the same station's keys.
func (k *Keys) Equal(o *Keys) bool {
	return k.Station == o.Station && k.Data == o.Data && k.Signing.Equal(o.Signing)
}

func newGCM(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic("keys: aes: " + err.Error()) // key length is fixed at 32
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic("keys: gcm: " + err.Error())
	}
	return g
}

// fileV1 is the key file's JSON layout.
type fileV1 struct {
	Version     int    `json:"version"`
	Station     string `json:"station"`
	DataKey     []byte `json:"data_key"`
	SigningSeed []byte `json:"signing_seed"`
}

// maxKeyFile bounds what Parse and Unwrap accept.
const maxKeyFile = 64 << 10

// Marshal encodes the keys as the key file's bytes (plaintext: protect them).
func (k *Keys) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(fileV1{Version: 1, Station: k.Station, DataKey: k.Data[:], SigningSeed: k.Signing.Seed()}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode keys: %w", err)
	}
	return append(b, '\n'), nil
}

// Parse decodes a key file written by Marshal.
func Parse(b []byte) (*Keys, error) {
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("key file: %d bytes, more than %d", len(b), maxKeyFile)
	}
	var f fileV1
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	switch {
	case f.Version != 1:
		return nil, fmt.Errorf("key file: unsupported version %d", f.Version)
	case f.Station == "":
		return nil, errors.New("key file: no station id")
	case len(f.DataKey) != DataKeySize:
		return nil, fmt.Errorf("key file: data key is %d bytes, want %d", len(f.DataKey), DataKeySize)
	case len(f.SigningSeed) != ed25519.SeedSize:
		return nil, fmt.Errorf("key file: signing seed is %d bytes, want %d", len(f.SigningSeed), ed25519.SeedSize)
	}
	k := &Keys{Station: f.Station, Signing: ed25519.NewKeyFromSeed(f.SigningSeed)}
	copy(k.Data[:], f.DataKey)
	return k, nil
}
