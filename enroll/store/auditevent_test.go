package store

import (
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

func TestAuditEvent(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		role    operator.Role
		action  operator.Action
		want    error  // nil = recorded
		wantLog string // last audit action afterwards
	}{
		{"admin changes settings", operator.RoleAdmin, operator.StationConfigure, nil, "settings.change"},
		{"operator may not", operator.RoleOperator, operator.StationConfigure, operator.ErrForbidden, "access.denied"},
		{"technician services a device", operator.RoleTechnician, operator.DeviceService, nil, "settings.change"},
		{"personal action refused", operator.RoleSupervisor, operator.ResidentRead, ErrPersonalEvent, ""},
	}
	for _, tt := range tests {
		before := len(f.auditActions(t))
		err := f.s.AuditEvent(ctx, f.sess[tt.role], tt.action, "settings.change", "config:settings", "finger_gate=40>55")
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
			continue
		}
		f.checkAuditGrew(t, tt.name, before, tt.wantLog)
	}
	if _, err := f.s.VerifyAudit(ctx, f.sess[operator.RoleAuditor]); err != nil {
		t.Fatalf("chain after events: %v", err)
	}
}
