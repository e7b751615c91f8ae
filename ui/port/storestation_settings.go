package port

import (
	"context"
	"fmt"
	"strings"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

var _ StationSettings = (*StoreStation)(nil)

// Settings reads the station's settings from config.json.
func (st *StoreStation) Settings(ctx context.Context) (SettingsValues, error) {
	c, err := config.Load(st.configDir)
	if err != nil {
		return SettingsValues{}, fmt.Errorf("settings: %w", err)
	}
	return valuesOf(c), nil
}

func valuesOf(c config.Config) SettingsValues {
	return SettingsValues{Settings: c.Tunables(), IdleTimeoutMinutes: c.IdleTimeoutMinutes, LockoutAfter: c.LockoutAfter}
}

// SaveSettings checks the session and the values, audits
// "settings.change" with the changed fields, then writes config.json
// atomically (config.Save): a change that cannot be audited is not made.
// Nothing changed: nothing is written or audited.
func (st *StoreStation) SaveSettings(ctx context.Context, sess *operator.Session, v SettingsValues) error {
	if err := st.S.Check(ctx, sess, operator.StationConfigure); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := v.Check(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	c, err := config.Load(st.configDir)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	detail := settingsDiff(valuesOf(c), v)
	if detail == "" {
		return nil
	}
	s := v.Settings
	c.Settings, c.IdleTimeoutMinutes, c.LockoutAfter = &s, v.IdleTimeoutMinutes, v.LockoutAfter
	if err := st.S.AuditEvent(ctx, sess, operator.StationConfigure, "settings.change", "config:settings", detail); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := config.Save(st.configDir, c); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// settingsDiff names the changed fields as "field=old>new" (comma
// separated, cut to the audit log's 128 characters).
func settingsDiff(old, cur SettingsValues) string {
	var parts []string
	add := func(field string, a, b any) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s=%v>%v", field, a, b))
		}
	}
	add(config.FieldFingerGate, old.FingerGate, cur.FingerGate)
	add(config.FieldIrisGate, old.IrisGate, cur.IrisGate)
	add(config.FieldFaceGate, old.FaceGate, cur.FaceGate)
	add(config.FieldMaxAttempts, old.MaxAttempts, cur.MaxAttempts)
	add(config.FieldChipFingers, fmt.Sprintf("%d/%d", old.ChipFingers[0], old.ChipFingers[1]), fmt.Sprintf("%d/%d", cur.ChipFingers[0], cur.ChipFingers[1]))
	add(config.FieldSyncStart, old.SyncStartHour, cur.SyncStartHour)
	add(config.FieldSyncEnd, old.SyncEndHour, cur.SyncEndHour)
	add(config.FieldSyncJitter, old.SyncJitterMinutes, cur.SyncJitterMinutes)
	add(config.FieldSyncRate, old.SyncRateKBps, cur.SyncRateKBps)
	add(config.FieldIdleTimeout, old.IdleTimeoutMinutes, cur.IdleTimeoutMinutes)
	add(config.FieldLockout, old.LockoutAfter, cur.LockoutAfter)
	s := strings.Join(parts, ",")
	if len(s) > 128 {
		s = s[:128]
	}
	return s
}
