package packet

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes sealed bytes to dir under their content name with the
// suffix ".pkt": a temporary file is written, fsynced and renamed, and the
// folder is fsynced, so a crash leaves either the whole packet or none. An
// existing packet of the same name is left alone (it has the same bytes).
func WriteFile(dir string, sealed []byte) (string, error) {
	path := filepath.Join(dir, Name(sealed)+".pkt")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.CreateTemp(dir, ".pkt-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write packet: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(sealed); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write packet %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("fsync packet %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("close packet %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("rename packet into place: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return "", fmt.Errorf("fsync packet folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return "", fmt.Errorf("fsync packet folder %s: %w", dir, err)
	}
	return path, nil
}
