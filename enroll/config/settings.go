package config

import (
	"errors"
	"fmt"
	"time"
)

// Settings are the station's tunable capture and sync values, edited by
// the admin on the settings screen. A config file without them uses
// DefaultSettings.
type Settings struct {
	// FingerGate, IrisGate and FaceGate are the quality gates (0–100)
	// a capture must reach to be taken by itself.
	FingerGate int `json:"finger_gate"`
	IrisGate   int `json:"iris_gate"`
	FaceGate   int `json:"face_gate"`
	// MaxAttempts is how many captures below the gate a step takes before
	// a supervisor may approve a force-capture.
	MaxAttempts int `json:"max_attempts"`
	// ChipFingers are the two finger positions (ISO/IEC 19794-4 codes
	// 1–10) whose templates go on the card chip.
	ChipFingers [2]int `json:"chip_fingers"`
	// SyncStartHour and SyncEndHour bound the nightly sync window in local
	// time, [start, end); end ≤ start means a window across midnight.
	SyncStartHour int `json:"sync_start_hour"`
	SyncEndHour   int `json:"sync_end_hour"`
	// SyncJitterMinutes spreads the sync's start over the first minutes of
	// the window so stations do not all call at once.
	SyncJitterMinutes int `json:"sync_jitter_minutes"`
	// SyncRateKBps caps the upload bandwidth in KiB/s (0: no cap).
	SyncRateKBps int `json:"sync_rate_kbps"`
}

// DefaultSettings are the values of a new station: MOSIP-style gates, three
// attempts, the two index fingers on the chip, a 01:00–05:00 sync window.
var DefaultSettings = Settings{
	FingerGate: 40, IrisGate: 60, FaceGate: 50, MaxAttempts: 3,
	ChipFingers:   [2]int{2, 7},
	SyncStartHour: 1, SyncEndHour: 5, SyncJitterMinutes: 60,
}

// Field names of the settings, used by SettingsError so a form can show
// the refusal next to the value.
const (
	FieldFingerGate  = "finger_gate"
	FieldIrisGate    = "iris_gate"
	FieldFaceGate    = "face_gate"
	FieldMaxAttempts = "max_attempts"
	FieldChipFingers = "chip_fingers"
	FieldSyncStart   = "sync_start_hour"
	FieldSyncEnd     = "sync_end_hour"
	FieldSyncJitter  = "sync_jitter_minutes"
	FieldSyncRate    = "sync_rate_kbps"
	FieldIdleTimeout = "idle_timeout_minutes"
	FieldLockout     = "lockout_after"
)

// ErrSetting marks a refused settings value.
var ErrSetting = errors.New("setting out of range")

// SettingsError names the refused field and why.
type SettingsError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *SettingsError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap returns ErrSetting.
func (e *SettingsError) Unwrap() error { return ErrSetting }

// Check validates every value; the error is a *SettingsError for the
// first bad field.
func (s Settings) Check() error {
	in := func(field string, v, lo, hi int) error {
		if v < lo || v > hi {
			return &SettingsError{Field: field, Reason: fmt.Sprintf("%d outside %d..%d", v, lo, hi)}
		}
		return nil
	}
	errs := []error{
		in(FieldFingerGate, s.FingerGate, 1, 100),
		in(FieldIrisGate, s.IrisGate, 1, 100),
		in(FieldFaceGate, s.FaceGate, 1, 100),
		in(FieldMaxAttempts, s.MaxAttempts, 1, 10),
		in(FieldChipFingers, s.ChipFingers[0], 1, 10),
		in(FieldChipFingers, s.ChipFingers[1], 1, 10),
		in(FieldSyncStart, s.SyncStartHour, 0, 23),
		in(FieldSyncEnd, s.SyncEndHour, 0, 23),
		in(FieldSyncJitter, s.SyncJitterMinutes, 0, 24*60),
		in(FieldSyncRate, s.SyncRateKBps, 0, 1<<20),
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if s.ChipFingers[0] == s.ChipFingers[1] {
		return &SettingsError{Field: FieldChipFingers, Reason: "the two chip fingers must differ"}
	}
	if s.SyncJitterMinutes > int(s.SyncWindow()/time.Minute) {
		return &SettingsError{Field: FieldSyncJitter, Reason: fmt.Sprintf("%d minutes is longer than the sync window", s.SyncJitterMinutes)}
	}
	return nil
}

// SyncWindow is the length of the sync window (24 h when start = end).
func (s Settings) SyncWindow() time.Duration {
	h := s.SyncEndHour - s.SyncStartHour
	if h <= 0 {
		h += 24
	}
	return time.Duration(h) * time.Hour
}

// SyncOffsets returns the window as offsets from midnight for
// sync/station.NextWindow, with the end cut to start + jitter when jitter
// is set (the sync starts at a random moment inside it), and the end past
// midnight for a window across it.
func (s Settings) SyncOffsets() (start, end time.Duration) {
	start = time.Duration(s.SyncStartHour) * time.Hour
	end = start + s.SyncWindow()
	if s.SyncJitterMinutes > 0 {
		end = start + time.Duration(s.SyncJitterMinutes)*time.Minute
	}
	return start, end
}

// Tunables returns the config's settings, DefaultSettings when it has none.
func (c Config) Tunables() Settings {
	if c.Settings == nil {
		return DefaultSettings
	}
	return *c.Settings
}
