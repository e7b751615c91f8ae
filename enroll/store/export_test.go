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
		want    error  // nil = recorded
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
		if tt.wantLog == "" {
			if err == nil {
				t.Errorf("%s: accepted", tt.name)
			}
		} else if !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
		after := f.auditActions(t)
		if tt.wantLog == "" {
			if len(after) != before {
				t.Errorf("%s: refused export still wrote %v", tt.name, after[before:])
			}
			continue
		}
		if len(after) != before+1 || after[len(after)-1] != tt.wantLog {
			t.Errorf("%s: log grew %d, last %q, want %q", tt.name, len(after)-before, after[len(after)-1], tt.wantLog)
		}
	}
}
