package keys

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// File names inside the config folder.
const (
	// KeyFile holds the plaintext keys (mode 0600).
	KeyFile = "station.key"
	// RecoveryFile holds the passphrase-wrapped copy (mode 0600).
	RecoveryFile = "recovery.key"
)

// ErrExists is returned by Save when the folder already holds a key file.
var ErrExists = errors.New("key file already exists")

// Save writes the key file and the wrapped recovery copy into dir (created
// 0700), refusing to overwrite an existing key file.
func Save(dir string, k *Keys, wrapped []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save keys: %w", err)
	}
	p := filepath.Join(dir, KeyFile)
	if _, err := os.Stat(p); err == nil {
		return fmt.Errorf("save keys to %s: %w", p, ErrExists)
	}
	return Replace(dir, k, wrapped)
}

// Replace writes the key file and recovery copy into dir, overwriting any
// present (restore uses it). Each file is written atomically.
func Replace(dir string, k *Keys, wrapped []byte) error {
	if err := ParseWrapped(wrapped); err != nil {
		return fmt.Errorf("save keys: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save keys: %w", err)
	}
	b, err := k.Marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, RecoveryFile), 0o600, wrapped); err != nil {
		return fmt.Errorf("save recovery key: %w", err)
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, KeyFile), 0o600, b); err != nil {
		return fmt.Errorf("save keys: %w", err)
	}
	return nil
}

// Load reads the key file from dir. It refuses a key file that group or
// others may read.
func Load(dir string) (*Keys, error) {
	p := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no station key file %s (run `rekamctl init`, or pass --config): %w", p, err)
		}
		return nil, fmt.Errorf("load keys: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %v: must be 0600", p, fi.Mode().Perm())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	k, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return k, nil
}

// LoadWrapped reads the recovery copy from dir, checking its layout.
func LoadWrapped(dir string) ([]byte, error) {
	p := filepath.Join(dir, RecoveryFile)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("load recovery key: %w", err)
	}
	if err := ParseWrapped(b); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return b, nil
}
