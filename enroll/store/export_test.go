package store

import (
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

func TestRecordExport(t *testing.T) {
	f := newFixture(t)
	rid, err := f.s.AddResident(ctx, f.op(), resident("3211010101900011", "ASEP"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.s.CreateEnrollment(ctx, f.op(), rid)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		role    operator.Role
		id      int64
		kind    string
		want    error  // the refusal (nil: recorded, or refused when wantLog is "")
		wantLog string // last audit action afterwards ("" = nothing written)
	}{
		{"operator saves a receipt", operator.RoleOperator, id, "receipt.pdf", nil, "enrollment.export"},
		{"supervisor saves a receipt", operator.RoleSupervisor, id, "receipt.pdf", nil, "enrollment.export"},
		{"technician may not", operator.RoleTechnician, id, "receipt.pdf", operator.ErrForbidden, "access.denied"},
		{"admin may not", operator.RoleAdmin, id, "receipt.pdf", operator.ErrForbidden, "access.denied"},
		{"unknown enrollment", operator.RoleOperator, id + 99, "receipt.pdf", ErrNotFound, ""},
		{"free text refused", operator.RoleOperator, id, "ASEP's receipt", nil, ""},
	}
	for _, tt := range tests {
		before := len(f.auditActions(t))
		err := f.s.RecordExport(ctx, f.sess[tt.role], tt.id, tt.kind)
		switch refused := tt.want != nil || tt.wantLog == ""; {
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		case refused != (err != nil):
			t.Errorf("%s: err %v, refusal wanted: %v", tt.name, err, refused)
		}
		f.checkAuditGrew(t, tt.name, before, tt.wantLog)
	}
}
