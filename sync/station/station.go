// Package station is the station's side of the sync: it keeps the
// registration with the national server, seals approved enrollments into
// packets (written atomically, queued in the same store transaction that
// moves them to PROCESSING), uploads the outbox until each packet has a
// signed receipt, pulls the centre's decisions, and purges what the
// retention policy allows once a receipt is held.
package station

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"github.com/rekam-ktp/rekam/sync/client"
)

// RegistrationFile is kept in the station's config folder (0600), beside
// its keys: it holds the station's TLS key.
const RegistrationFile = "sync-registration.json"

// ErrNotRegistered says the station has no registration: it may capture and
// approve, but not seal.
var ErrNotRegistered = errors.New("station is not registered with the national server (rekamctl station register)")

// SaveRegistration writes the registration atomically with mode 0600.
func SaveRegistration(configDir string, r *client.Registration) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(configDir, RegistrationFile), 0o600, b); err != nil {
		return fmt.Errorf("save registration: %w", err)
	}
	return nil
}

// LoadRegistration reads the registration, or returns ErrNotRegistered.
func LoadRegistration(configDir string) (*client.Registration, error) {
	b, err := os.ReadFile(filepath.Join(configDir, RegistrationFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotRegistered
	}
	if err != nil {
		return nil, fmt.Errorf("load registration: %w", err)
	}
	var r client.Registration
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("load registration: %w", err)
	}
	if r.StationID == "" || len(r.PacketKey) == 0 || len(r.ReceiptKey) == 0 {
		return nil, fmt.Errorf("load registration: %s is incomplete", RegistrationFile)
	}
	return &r, nil
}
