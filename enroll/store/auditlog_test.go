package store

import (
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/audit"
)

// TestVerifyAuditDetectsTampering edits the stored log with raw SQL the way
// someone holding the file would (dropping the append-only triggers first)
// and checks that VerifyAudit names the entry where the chain breaks.
func TestVerifyAuditDetectsTampering(t *testing.T) {
	tests := []struct {
		name string
		sql  []string
		seq  int64
	}{
		{"intact", nil, 0},
		{"edited actor", []string{`UPDATE audit_log SET actor = 'mallory' WHERE seq = 5`}, 5},
		{"edited object", []string{`UPDATE audit_log SET object = 'resident:2' WHERE seq = 6`}, 6},
		{"deleted entry", []string{`DELETE FROM audit_log WHERE seq = 4`}, 4},
		{"reordered entries", []string{
			`UPDATE audit_log SET seq = -1 WHERE seq = 3`,
			`UPDATE audit_log SET seq = 3 WHERE seq = 4`,
			`UPDATE audit_log SET seq = 4 WHERE seq = -1`}, 3},
		{"truncated tail", []string{`DELETE FROM audit_log WHERE seq > 7`}, 8},
		{"truncated tail, head moved back", []string{
			`DELETE FROM audit_log WHERE seq > 7`,
			`UPDATE station SET audit_seq = 7, audit_hash = (SELECT hash FROM audit_log WHERE seq = 7)`}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rid, err := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "A"))
			if err != nil {
				t.Fatal(err)
			}
			f.s.Resident(ctx, f.op(), rid)
			if _, err := f.s.w.Exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete`); err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.sql {
				if _, err := f.s.w.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			n, err := f.s.VerifyAudit(ctx, f.sess["auditor"])
			if tt.seq == 0 {
				if err != nil || n < 10 {
					t.Fatalf("intact log: n=%d err=%v", n, err)
				}
				return
			}
			var be *audit.BreakError
			if !errors.As(err, &be) || be.Seq != tt.seq {
				t.Fatalf("err = %v, want a break at %d", err, tt.seq)
			}
			if f.lastAction(t) != "audit.verify" {
				t.Fatal("verification not audited")
			}
		})
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{`UPDATE audit_log SET actor = 'x' WHERE seq = 1`, `DELETE FROM audit_log WHERE seq = 1`} {
		if _, err := f.s.w.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	es, err := f.s.AuditLog(ctx, f.sess["auditor"], 0, 3)
	if err != nil || len(es) != 3 || es[0].Action != "station.init" || es[0].Seq != 1 {
		t.Fatalf("AuditLog = %+v, %v", es, err)
	}
}
