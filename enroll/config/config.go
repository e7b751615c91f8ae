// Package config is the station's config folder: where it is, and the
// config file in it (station identity and the account policy). The folder
// also holds the key files of package keys; it lives apart from the data
// folder so that the database alone reveals nothing.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// FileName is the config file's name inside the config folder.
const FileName = "config.json"

// Config is the station's config file.
type Config struct {
	Version   int    `json:"version"`
	Station   string `json:"station_id"`
	Kecamatan string `json:"kecamatan"`
	// LockoutAfter is how many consecutive failed logins lock an account.
	LockoutAfter int `json:"lockout_after"`
	// IdleTimeoutMinutes ends an idle session.
	IdleTimeoutMinutes int `json:"idle_timeout_minutes"`
	// Settings are the capture and sync tunables (nil: DefaultSettings).
	Settings *Settings `json:"settings,omitempty"`
	// Devices are the capture devices configured by hand (serial ones must
	// be; known USB models are also found by themselves).
	Devices []DeviceConfig `json:"devices,omitempty"`
}

// New returns a config for a station with the default policy.
func New(station, kecamatan string) Config {
	p := operator.DefaultPolicy
	return Config{Version: 1, Station: station, Kecamatan: kecamatan, LockoutAfter: p.LockoutAfter,
		IdleTimeoutMinutes: int(p.IdleTimeout / time.Minute)}
}

// Policy returns the account policy the config records.
func (c Config) Policy() operator.Policy {
	return operator.Policy{LockoutAfter: c.LockoutAfter, IdleTimeout: time.Duration(c.IdleTimeoutMinutes) * time.Minute}
}

// MaxSize bounds a config file.
const MaxSize = 64 << 10

// Parse decodes and checks a config file.
func Parse(b []byte) (Config, error) {
	var c Config
	if len(b) > MaxSize {
		return c, fmt.Errorf("config: %d bytes, more than 64 KiB", len(b))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if c.Version != 1 {
		return c, fmt.Errorf("config: unsupported version %d", c.Version)
	}
	if c.Station == "" {
		return c, errors.New("config: no station_id")
	}
	if c.IdleTimeoutMinutes > 24*60 || c.IdleTimeoutMinutes < 0 {
		return c, fmt.Errorf("config: idle_timeout_minutes %d outside 0..1440", c.IdleTimeoutMinutes)
	}
	if err := c.Policy().Check(); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	for _, d := range c.Devices {
		if err := d.Check(); err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
	}
	if c.Settings != nil {
		if err := c.Settings.Check(); err != nil {
			return c, fmt.Errorf("config: settings: %w", err)
		}
	}
	return c, nil
}

// Load reads the config file in dir.
func Load(dir string) (Config, error) {
	p := filepath.Join(dir, FileName)
	f, err := os.Open(p)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	// Read one byte past the bound, so an oversized file is refused by
	// Parse without being read whole.
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return Config{}, fmt.Errorf("read config %s: %w", p, err)
	}
	c, err := Parse(b)
	if err != nil {
		return c, fmt.Errorf("%s: %w", p, err)
	}
	return c, nil
}

// Save writes the config file into dir (created 0700) atomically.
func Save(dir string, c Config) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	return atomicfile.WriteBytes(filepath.Join(dir, FileName), 0o600, append(b, '\n'))
}

// Dir resolves the config folder:
//
//  1. flag (--config), when given;
//  2. $REKAM_CONFIG;
//  3. when the data folder was chosen explicitly (--data or $REKAM_HOME),
//     the sibling folder "<data>-config" (data /srv/rekam → /srv/rekam-config),
//     so each data folder has its own keys and copying a data folder never
//     copies its keys;
//  4. $XDG_CONFIG_HOME/rekam, else ~/.config/rekam.
func Dir(flag string, getenv func(string) string, dataDir string, dataExplicit bool) (string, error) {
	switch {
	case flag != "":
		return filepath.Abs(flag)
	case getenv("REKAM_CONFIG") != "":
		return filepath.Abs(getenv("REKAM_CONFIG"))
	case dataExplicit && dataDir != "":
		d, err := filepath.Abs(dataDir)
		if err != nil {
			return "", fmt.Errorf("config folder: %w", err)
		}
		return filepath.Clean(d) + "-config", nil
	case getenv("XDG_CONFIG_HOME") != "":
		return filepath.Join(getenv("XDG_CONFIG_HOME"), "rekam"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("config folder: no --config, REKAM_CONFIG or home folder: %w", err)
		}
	}
	return filepath.Join(home, ".config", "rekam"), nil
}
