package keys

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// KDFParams are argon2id parameters. They are stored beside every wrapped
// copy, so they can be raised later without breaking old copies.
type KDFParams struct {
	Time    uint32 `json:"time"`
	Memory  uint32 `json:"memory_kib"`
	Threads uint8  `json:"threads"`
}

// RecoveryParams are the default argon2id parameters for the recovery
// passphrase: 3 passes over 64 MiB (above the RFC 9106 second recommended
// option's memory), run rarely (init, restore).
var RecoveryParams = KDFParams{Time: 3, Memory: 64 << 10, Threads: 2}

// Bounds on parameters read from a file, so a hostile file cannot make
// Unwrap allocate without limit or spin for hours.
const (
	maxKDFMemory  = 1 << 20 // KiB = 1 GiB
	maxKDFTime    = 64
	minPassphrase = 8
)

// Check reports parameters outside the accepted range.
func (p KDFParams) Check() error {
	switch {
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("argon2id time %d outside 1..%d", p.Time, maxKDFTime)
	case p.Memory < 8*uint32(max(p.Threads, 1)) || p.Memory > maxKDFMemory:
		return fmt.Errorf("argon2id memory %d KiB outside %d..%d", p.Memory, 8*uint32(max(p.Threads, 1)), maxKDFMemory)
	case p.Threads < 1:
		return errors.New("argon2id threads must be at least 1")
	}
	return nil
}

// wrappedV1 is the recovery file's JSON layout.
type wrappedV1 struct {
	Version int       `json:"version"`
	KDF     string    `json:"kdf"`
	Params  KDFParams `json:"params"`
	Salt    []byte    `json:"salt"`
	Nonce   []byte    `json:"nonce"`
	Sealed  []byte    `json:"sealed"`
}

// ErrPassphrase is returned by Unwrap when the passphrase is wrong or the
// wrapped copy was altered (AES-GCM cannot tell the two apart).
var ErrPassphrase = errors.New("wrong recovery passphrase or altered recovery key")

// Wrap seals the keys under a recovery passphrase: argon2id derives a key
// from the passphrase and a random salt, and AES-256-GCM seals the key file.
func Wrap(k *Keys, passphrase string, p KDFParams) ([]byte, error) {
	if len(passphrase) < minPassphrase {
		return nil, fmt.Errorf("recovery passphrase: at least %d characters", minPassphrase)
	}
	if err := p.Check(); err != nil {
		return nil, fmt.Errorf("wrap keys: %w", err)
	}
	plain, err := k.Marshal()
	if err != nil {
		return nil, err
	}
	w := wrappedV1{Version: 1, KDF: "argon2id", Params: p, Salt: make([]byte, 16)}
	if _, err := rand.Read(w.Salt); err != nil {
		return nil, fmt.Errorf("wrap keys: salt: %w", err)
	}
	g := newGCM(argon2.IDKey([]byte(passphrase), w.Salt, p.Time, p.Memory, p.Threads, 32))
	w.Nonce = make([]byte, g.NonceSize())
	if _, err := rand.Read(w.Nonce); err != nil {
		return nil, fmt.Errorf("wrap keys: nonce: %w", err)
	}
	w.Sealed = g.Seal(nil, w.Nonce, plain, []byte("rekam/recovery/v1"))
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("wrap keys: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseWrapped checks a wrapped copy's layout and parameters without the
// passphrase.
func ParseWrapped(b []byte) error {
	_, err := parseWrapped(b)
	return err
}

func parseWrapped(b []byte) (*wrappedV1, error) {
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("recovery key: %d bytes, more than %d", len(b), maxKeyFile)
	}
	var w wrappedV1
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("recovery key: %w", err)
	}
	switch {
	case w.Version != 1 || w.KDF != "argon2id":
		return nil, fmt.Errorf("recovery key: unsupported version %d / kdf %q", w.Version, w.KDF)
	case len(w.Salt) < 16 || len(w.Salt) > 64:
		return nil, fmt.Errorf("recovery key: salt of %d bytes", len(w.Salt))
	case len(w.Nonce) != 12:
		return nil, fmt.Errorf("recovery key: nonce of %d bytes, want 12", len(w.Nonce))
	}
	if err := w.Params.Check(); err != nil {
		return nil, fmt.Errorf("recovery key: %w", err)
	}
	return &w, nil
}

// Unwrap opens a copy made by Wrap with its passphrase.
func Unwrap(b []byte, passphrase string) (*Keys, error) {
	w, err := parseWrapped(b)
	if err != nil {
		return nil, err
	}
	g := newGCM(argon2.IDKey([]byte(passphrase), w.Salt, w.Params.Time, w.Params.Memory, w.Params.Threads, 32))
	plain, err := g.Open(nil, w.Nonce, w.Sealed, []byte("rekam/recovery/v1"))
	if err != nil {
		return nil, ErrPassphrase
	}
	return Parse(plain)
}
