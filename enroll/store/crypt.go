package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// sealVersion prefixes every ciphertext so the layout can change later.
const sealVersion = 1

// errCorrupt: a ciphertext failed to open (altered, moved to another row, or
// another station's key).
var errCorrupt = errors.New("encrypted field failed authentication (altered, moved between rows, or wrong key)")

// aad names the row and purpose a ciphertext belongs to.
func aad(purpose string, ids ...any) []byte {
	return fmt.Appendf(nil, "rekam/v1/%s/%v", purpose, ids)
}

// seal encrypts plain for one row and purpose: version | nonce | GCM output.
func (s *Store) seal(plain, ad []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1 : 1+ns]); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:1+ns], plain, ad), nil
}

// open reverses seal; the same additional data must be given.
func (s *Store) open(ct, ad []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(ct) < 1+ns+s.aead.Overhead() || ct[0] != sealVersion {
		return nil, errCorrupt
	}
	p, err := s.aead.Open(nil, ct[1:1+ns], ct[1+ns:], ad)
	if err != nil {
		return nil, errCorrupt
	}
	return p, nil
}

// nikIndex is the blind index of a NIK: HMAC-SHA256 under the station's
// blind-index key. Equal NIKs give equal indexes; without the key the index
// says nothing about the NIK.
func (s *Store) nikIndex(nik string) []byte {
	m := hmac.New(sha256.New, s.blind)
	m.Write([]byte("nik:"))
	m.Write([]byte(nik))
	return m.Sum(nil)
}
