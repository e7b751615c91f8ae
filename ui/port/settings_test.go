package port

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

func TestSaveSettings(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Settings(ctx)
	if err != nil || v.Settings != config.DefaultSettings {
		t.Fatalf("a new station's settings %+v, %v", v, err)
	}
	good := v
	good.FingerGate, good.IdleTimeoutMinutes = 55, 15
	bad := v
	bad.ChipFingers = [2]int{3, 3}
	tests := []struct {
		name  string
		sess  *operator.Session
		v     SettingsValues
		want  error
		field string
	}{
		{"operator refused", s["op1"], good, operator.ErrForbidden, ""},
		{"supervisor refused", s["sup1"], good, operator.ErrForbidden, ""},
		{"bad value refused", admin, bad, config.ErrSetting, config.FieldChipFingers},
		{"admin saves", admin, good, nil, ""},
	}
	for _, tt := range tests {
		err := st.SaveSettings(ctx, tt.sess, tt.v)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		var se *config.SettingsError
		if tt.field != "" && (!errors.As(err, &se) || se.Field != tt.field) {
			t.Errorf("%s: %v does not name %s", tt.name, err, tt.field)
		}
	}
	c, err := config.Load(st.configDir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tunables().FingerGate != 55 || c.IdleTimeoutMinutes != 15 || c.Station != "3211-01" {
		t.Fatalf("config.json after save: %+v", c)
	}
	es, err := st.S.AuditLog(ctx, admin, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var found string
	for _, e := range es {
		if e.Action == "settings.change" {
			found = e.Detail
		}
	}
	if found != "finger_gate=40>55,idle_timeout_minutes=10>15" {
		t.Fatalf("audit detail %q", found)
	}
	if err := st.SaveSettings(ctx, admin, good); err != nil {
		t.Fatal(err)
	}
	es2, _ := st.S.AuditLog(ctx, admin, 0, 0)
	n := 0
	for _, e := range es2 {
		if strings.HasPrefix(e.Action, "settings.") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("an unchanged save was audited: %d settings entries", n)
	}
}

// TestSaveSettingsUnauditedIsNotSaved: when the audit entry cannot be
// written, config.json keeps its values.
func TestSaveSettingsUnauditedIsNotSaved(t *testing.T) {
	ctx := context.Background()
	st, _ := fixture(t)
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v.FingerGate = 70
	st.S.Close() // the audit log cannot be written
	if err := st.SaveSettings(ctx, admin, v); err == nil {
		t.Fatal("saved with the audit log closed")
	}
	c, err := config.Load(st.configDir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Tunables().FingerGate; got != config.DefaultSettings.FingerGate {
		t.Fatalf("unaudited change written: finger gate %d", got)
	}
}
