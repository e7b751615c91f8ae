package port

import (
	"context"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// StationSettings reads and changes the station's settings, kept in the
// config folder's config.json. Reading is open to every logged-in role
// (the capture screens need the gates); saving needs
// operator.StationConfigure and is audited without personal data.
type StationSettings interface {
	// Settings returns the current values.
	Settings(ctx context.Context) (SettingsValues, error)
	// SaveSettings validates v, writes it atomically and audits the change
	// ("settings.change" with the changed field names and values). A bad
	// value is a *config.SettingsError naming the field.
	SaveSettings(ctx context.Context, sess *operator.Session, v SettingsValues) error
}

// SettingsValues are the values the settings screen edits: the capture and
// sync tunables and the account policy's idle timeout and lockout.
type SettingsValues struct {
	config.Settings
	// IdleTimeoutMinutes ends an idle session (takes effect at the next
	// start: the store's policy is fixed when it opens).
	IdleTimeoutMinutes int
	// LockoutAfter is how many failed logins lock an account (next start).
	LockoutAfter int
}

// Check validates every value; the error is a *config.SettingsError.
func (v SettingsValues) Check() error {
	if err := v.Settings.Check(); err != nil {
		return err
	}
	c := config.Config{IdleTimeoutMinutes: v.IdleTimeoutMinutes, LockoutAfter: v.LockoutAfter}
	if v.IdleTimeoutMinutes < 1 || v.IdleTimeoutMinutes > 24*60 {
		return &config.SettingsError{Field: config.FieldIdleTimeout, Reason: "outside 1..1440 minutes"}
	}
	if err := c.Policy().Check(); err != nil {
		return &config.SettingsError{Field: config.FieldLockout, Reason: err.Error()}
	}
	return nil
}
