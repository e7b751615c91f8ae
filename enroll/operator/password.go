package operator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id parameters of a password hash. They are kept
// inside the hash string, so raising them never breaks existing accounts.
type HashParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultHashParams follow the OWASP password storage recommendation for
// argon2id (m=46 MiB, t=1, p=1): a login costs tens of milliseconds.
var DefaultHashParams = HashParams{Time: 1, Memory: 46 << 10, Threads: 1}

const (
	maxHashMemory = 1 << 20 // KiB: 1 GiB
	maxHashTime   = 64
	minPassword   = 8
	maxPassword   = 1024
	hashLen       = 32
)

// ErrBadHash is returned for a stored hash string that cannot be parsed.
var ErrBadHash = errors.New("malformed password hash")

// CheckPassword enforces the minimum password rules.
func CheckPassword(pw string) error {
	if len(pw) < minPassword {
		return fmt.Errorf("password: at least %d characters", minPassword)
	}
	if len(pw) > maxPassword {
		return fmt.Errorf("password: at most %d bytes", maxPassword)
	}
	return nil
}

// HashPassword returns a PHC-format argon2id hash of pw:
// $argon2id$v=19$m=<KiB>,t=<time>,p=<threads>$<salt>$<hash>.
func HashPassword(pw string, p HashParams) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	if err := p.check(); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	h := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, hashLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(h)), nil
}

// VerifyPassword reports whether pw matches the stored hash.
func VerifyPassword(pw, stored string) (bool, error) {
	p, salt, want, err := ParseHash(stored)
	if err != nil {
		return false, err
	}
	if len(pw) > maxPassword {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func (p HashParams) check() error {
	switch {
	case p.Time < 1 || p.Time > maxHashTime:
		return fmt.Errorf("argon2id time %d outside 1..%d", p.Time, maxHashTime)
	case p.Threads < 1:
		return errors.New("argon2id threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxHashMemory:
		return fmt.Errorf("argon2id memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxHashMemory)
	}
	return nil
}

// ParseHash splits a PHC argon2id string into its parameters, salt and hash,
// bounding every field.
func ParseHash(s string) (HashParams, []byte, []byte, error) {
	var p HashParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: want $argon2id$v=..$m=..,t=..,p=..$salt$hash", ErrBadHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: version %q", ErrBadHash, parts[2])
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return p, nil, nil, fmt.Errorf("%w: parameter %q", ErrBadHash, kv)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, fmt.Errorf("%w: parameter %q", ErrBadHash, kv)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, fmt.Errorf("%w: %d threads", ErrBadHash, n)
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, fmt.Errorf("%w: parameter %q", ErrBadHash, kv)
		}
	}
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", ErrBadHash, err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrBadHash)
	}
	h, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(h) < 16 || len(h) > 64 {
		return p, nil, nil, fmt.Errorf("%w: hash", ErrBadHash)
	}
	return p, salt, h, nil
}
