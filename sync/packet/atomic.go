package packet

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// WriteFile writes sealed bytes to dir under their content name with the
// suffix ".pkt", atomically (temp file, fsync, rename, folder fsync), so a
// crash leaves either the whole packet or none. An existing packet of the
// same name is left alone (it has the same bytes).
func WriteFile(dir string, sealed []byte) (string, error) {
	path := filepath.Join(dir, Name(sealed)+".pkt")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := atomicfile.WriteBytes(path, 0o600, sealed); err != nil {
		return "", fmt.Errorf("write packet: %w", err)
	}
	return path, nil
}
