package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

var ctx = context.Background()

func TestOpenPragmasAndMigrations(t *testing.T) {
	f := newFixture(t)
	checks := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000", "secure_delete": "1"}
	for p, want := range checks {
		var got string
		if err := f.s.w.QueryRow("PRAGMA " + p).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", p, got, err, want)
		}
	}
	ms, _ := migrations(migrationFS)
	var v int
	f.s.r.QueryRow(`SELECT MAX(version) FROM schema_version`).Scan(&v)
	if v != len(ms) || v < 1 {
		t.Fatalf("schema version %d, want %d", v, len(ms))
	}
	// Reopening applies nothing twice.
	f.s.Close()
	s2, err := Open(ctx, f.path, f.k, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var n int
	s2.r.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&n)
	if n != len(ms) {
		t.Fatalf("schema_version has %d rows after reopen, want %d", n, len(ms))
	}
	if _, err := s2.w.Exec(`INSERT INTO enrollments (resident_id, state, created_by, created_at, updated_at) VALUES (999, 'DRAFT', 'x', 0, 0)`); err == nil {
		t.Fatal("foreign key not enforced")
	}
	if _, err := s2.r.Exec(`DELETE FROM regions`); err == nil {
		t.Fatal("read pool accepted a write")
	}
}

func TestOpenRefusesWrongKeysAndMissingFile(t *testing.T) {
	f := newFixture(t)
	f.s.Close()
	other, _ := keys.Generate("ST-TEST")
	if _, err := Open(ctx, f.path, other, Options{}); !errors.Is(err, ErrWrongKeys) {
		t.Fatalf("wrong keys: %v", err)
	}
	if _, err := Open(ctx, f.path+".nope", f.k, Options{}); err == nil {
		t.Fatal("opened a missing file without Create")
	}
}

func TestBootstrapOnce(t *testing.T) {
	f := newFixture(t)
	err := f.s.Bootstrap(ctx, Station{ID: "ST-TEST", Kecamatan: "32.11.01"}, "admin2", f.password)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second bootstrap: %v", err)
	}
	st, err := f.s.Station(ctx)
	if err != nil || st.ID != "ST-TEST" || st.Kecamatan != "32.11.01" {
		t.Fatalf("Station = %+v, %v", st, err)
	}
	for _, bad := range []Station{{ID: "", Kecamatan: "32.11.01"}, {ID: "x", Kecamatan: "3211"}} {
		if bad.Check() == nil {
			t.Errorf("station %+v accepted", bad)
		}
	}
}

func TestLoginLockoutAndAudit(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.Login(ctx, "nobody", "whatever-pass"); !errors.Is(err, ErrLogin) {
		t.Fatalf("unknown account: %v", err)
	}
	if f.lastAction(t) != "login.fail" {
		t.Fatal("failed login not audited")
	}
	for i := 1; i < operator.DefaultPolicy.LockoutAfter; i++ {
		if _, err := f.s.Login(ctx, "operator1", "wrong-password"); !errors.Is(err, ErrLogin) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// A success in between resets the count.
	if _, err := f.s.Login(ctx, "operator1", f.password); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= operator.DefaultPolicy.LockoutAfter; i++ {
		_, err := f.s.Login(ctx, "operator1", "wrong-password")
		if i < operator.DefaultPolicy.LockoutAfter && !errors.Is(err, ErrLogin) {
			t.Fatalf("failure %d: %v", i, err)
		}
		if i == operator.DefaultPolicy.LockoutAfter && !errors.Is(err, ErrLocked) {
			t.Fatalf("failure %d should lock: %v", i, err)
		}
	}
	if _, err := f.s.Login(ctx, "operator1", f.password); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password on a locked account: %v", err)
	}
	acts := f.auditActions(t)
	if !slices.Contains(acts, "operator.lock") || acts[len(acts)-1] != "login.locked" {
		t.Fatalf("lockout not audited: %v", acts[len(acts)-4:])
	}
	admin := f.sess[operator.RoleAdmin]
	if err := f.s.SetLocked(ctx, admin, "operator1", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Login(ctx, "operator1", f.password); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	if err := f.s.SetLocked(ctx, admin, "admin", true); err == nil || !strings.Contains(err.Error(), "last unlocked admin") {
		t.Fatalf("locking the last admin: %v", err)
	}
	ops, err := f.s.Operators(ctx, admin)
	if err != nil || len(ops) != 5 {
		t.Fatalf("Operators = %d, %v", len(ops), err)
	}
}

func TestIdleTimeoutEndsSession(t *testing.T) {
	f := newFixture(t)
	f.clk.Add(operator.DefaultPolicy.IdleTimeout + time.Second)
	if _, err := f.s.Residents(ctx, f.op()); !errors.Is(err, operator.ErrIdle) {
		t.Fatalf("idle session: %v", err)
	}
}

func TestRoleChecks(t *testing.T) {
	f := newFixture(t)
	id, err := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "ASEP SUNANDAR"))
	if err != nil {
		t.Fatal(err)
	}
	eid, err := f.s.CreateEnrollment(ctx, f.op(), id)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(s *operator.Session) error{
		"read resident":  func(s *operator.Session) error { _, err := f.s.Resident(ctx, s, id); return err },
		"list residents": func(s *operator.Session) error { _, err := f.s.Residents(ctx, s); return err },
		"add resident": func(s *operator.Session) error {
			_, err := f.s.AddResident(ctx, s, resident("3211010101900002", "X"))
			return err
		},
		"captures":     func(s *operator.Session) error { _, err := f.s.Captures(ctx, s, eid); return err },
		"save capture": func(s *operator.Session) error { return f.s.SaveCapture(ctx, s, eid, "face", []byte{1}, CaptureMeta{}) },
		"enrollment":   func(s *operator.Session) error { _, err := f.s.Enrollment(ctx, s, eid); return err },
	}
	for _, role := range []operator.Role{operator.RoleTechnician, operator.RoleAuditor, operator.RoleAdmin} {
		for name, call := range calls {
			before := len(f.auditActions(t))
			err := call(f.sess[role])
			if !errors.Is(err, operator.ErrForbidden) {
				t.Errorf("%s: %s: err = %v, want ErrForbidden", role, name, err)
			}
			acts := f.auditActions(t)
			if len(acts) != before+1 || acts[len(acts)-1] != "access.denied" {
				t.Errorf("%s: %s: refusal not audited", role, name)
			}
		}
	}
	if _, err := f.s.VerifyAudit(ctx, f.op()); !errors.Is(err, operator.ErrForbidden) {
		t.Errorf("operator verified the audit log: %v", err)
	}
	if _, err := f.s.AddOperator(ctx, f.sup(), "eve", operator.RoleAdmin, f.password); !errors.Is(err, operator.ErrForbidden) {
		t.Errorf("supervisor added an admin: %v", err)
	}
	if _, err := f.s.VerifyAudit(ctx, f.sess[operator.RoleAuditor]); err != nil {
		t.Errorf("auditor cannot verify: %v", err)
	}
}

func TestResidents(t *testing.T) {
	f := newFixture(t)
	r := resident("3211010101900001", "ASEP SUNANDAR")
	id, err := f.s.AddResident(ctx, f.op(), r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddResident(ctx, f.op(), r); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate NIK: %v", err)
	}
	got, err := f.s.ResidentByNIK(ctx, f.op(), r.NIK)
	if err != nil || got.ID != id || got.Resident != r {
		t.Fatalf("ResidentByNIK = %+v, %v", got, err)
	}
	if f.lastAction(t) != "resident.read" {
		t.Fatal("read not audited")
	}
	if _, err := f.s.ResidentByNIK(ctx, f.op(), "3211010101900099"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing NIK: %v", err)
	}
	if f.lastAction(t) != "resident.read" {
		t.Fatal("lookup of a missing NIK not audited")
	}
	r.Name = "ASEP S."
	if err := f.s.UpdateResident(ctx, f.op(), id, r); err != nil {
		t.Fatal(err)
	}
	r2 := r
	r2.NIK = "3211010101900002"
	if err := f.s.UpdateResident(ctx, f.op(), id, r2); err == nil {
		t.Fatal("NIK change accepted")
	}
	all, err := f.s.Residents(ctx, f.sup())
	if err != nil || len(all) != 1 || all[0].Resident.Name != "ASEP S." {
		t.Fatalf("Residents = %+v, %v", all, err)
	}
	// A ciphertext moved to another row does not open.
	id2, _ := f.s.AddResident(ctx, f.op(), resident("3211010101900003", "B"))
	f.s.w.Exec(`UPDATE residents SET biodata = (SELECT biodata FROM residents WHERE id = ?) WHERE id = ?`, id, id2)
	if _, err := f.s.Resident(ctx, f.op(), id2); !errors.Is(err, errCorrupt) {
		t.Fatalf("swapped ciphertext: %v", err)
	}
}

func TestEnrollmentLifecycle(t *testing.T) {
	f := newFixture(t)
	rid, _ := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "ASEP SUNANDAR"))
	if _, err := f.s.CreateEnrollment(ctx, f.op(), 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("enrollment for missing resident: %v", err)
	}
	eid, err := f.s.CreateEnrollment(ctx, f.op(), rid)
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string][]byte{"finger.r1": []byte("tmpl-r1"), "finger.r2": []byte("tmpl-r2"), "face": []byte("jpeg")}
	for st, b := range steps {
		if err := f.s.SaveCapture(ctx, f.op(), eid, st, b, CaptureMeta{Format: "test", Quality: 80}); err != nil {
			t.Fatal(err)
		}
	}
	// A retry replaces the step.
	if err := f.s.SaveCapture(ctx, f.op(), eid, "face", []byte("jpeg2"), CaptureMeta{Quality: 90, Attempts: 2}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCapture(ctx, f.op(), eid, "finger.l5", nil, CaptureMeta{Exception: "amputated"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCapture(ctx, f.op(), eid, "Bad Step", []byte{1}, CaptureMeta{}); err == nil {
		t.Fatal("bad step name accepted")
	}
	caps, err := f.s.Captures(ctx, f.op(), eid)
	if err != nil || len(caps) != 4 {
		t.Fatalf("Captures = %d, %v", len(caps), err)
	}
	if caps[0].Step != "face" || string(caps[0].Blob) != "jpeg2" || caps[0].Meta.Attempts != 2 || caps[1].Meta.Exception != "amputated" {
		t.Fatalf("captures %+v", caps[:2])
	}
	e, _ := f.s.Enrollment(ctx, f.op(), eid)
	if e.State != enroll.Draft || e.Captures != 4 || e.CreatedBy != "operator1" {
		t.Fatalf("enrollment %+v", e)
	}
	// Illegal and forbidden transitions.
	var te *enroll.TransitionError
	if err := f.s.Transition(ctx, f.op(), eid, enroll.Review, ""); !errors.As(err, &te) {
		t.Fatalf("DRAFT→REVIEW: %v", err)
	}
	if err := f.s.Transition(ctx, f.op(), eid, enroll.BioCaptured, "all steps"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCapture(ctx, f.op(), eid, "face", []byte("late"), CaptureMeta{}); err == nil {
		t.Fatal("capture saved outside DRAFT")
	}
	if err := f.s.Transition(ctx, f.op(), eid, enroll.Approved, ""); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator approved: %v", err)
	}
	// A supervisor who recorded an enrollment cannot decide it.
	rid2, _ := f.s.AddResident(ctx, f.sup(), resident("3211010101900002", "SUPERVISED"))
	own, _ := f.s.CreateEnrollment(ctx, f.sup(), rid2)
	f.s.SaveCapture(ctx, f.sup(), own, "face", []byte("jpeg"), CaptureMeta{})
	f.s.Transition(ctx, f.sup(), own, enroll.BioCaptured, "")
	if err := f.s.Transition(ctx, f.sup(), own, enroll.Approved, "mine"); !errors.Is(err, ErrOwnEnrollment) {
		t.Fatalf("own approval: %v", err)
	}
	if f.lastAction(t) != "access.denied" {
		t.Fatalf("refused own approval not audited: %s", f.lastAction(t))
	}
	if err := f.s.Transition(ctx, f.sup(), eid, enroll.Approved, "no duplicates"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Void(ctx, f.op(), eid, "x"); !errors.As(err, &te) {
		t.Fatalf("void of an approved enrollment: %v", err)
	}
	if _, err := f.s.EnqueuePacket(ctx, f.sup(), eid, "/data/outbox/1.pkt", strings.Repeat("ab", 32)); err != nil {
		t.Fatal(err)
	}
	ob, err := f.s.Outbox(ctx, f.sup(), OutboxPending)
	if err != nil || len(ob) != 1 || ob[0].EnrollmentID != eid {
		t.Fatalf("Outbox = %+v, %v", ob, err)
	}
	hist, err := f.s.Transitions(ctx, f.sup(), eid)
	if err != nil {
		t.Fatal(err)
	}
	var path []string
	for _, h := range hist {
		path = append(path, string(h.To)+"/"+h.Actor+"/"+h.Reason)
	}
	want := []string{"DRAFT/operator1/", "BIO_CAPTURED/operator1/all steps", "APPROVED/supervisor1/no duplicates", "PROCESSING/supervisor1/"}
	if !slices.Equal(path, want) {
		t.Fatalf("history %v, want %v", path, want)
	}
	if err := f.s.Transition(ctx, f.sup(), eid, enroll.Rejected, ""); err == nil {
		t.Fatal("reject without reason accepted")
	}
}

func TestVoidWipesCaptures(t *testing.T) {
	f := newFixture(t)
	rid, _ := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "ASEP SUNANDAR"))
	eid, _ := f.s.CreateEnrollment(ctx, f.op(), rid)
	f.s.SaveCapture(ctx, f.op(), eid, "face", []byte("jpeg"), CaptureMeta{})
	if err := f.s.Void(ctx, f.op(), eid, "resident left"); err != nil {
		t.Fatal(err)
	}
	var n int
	f.s.r.QueryRow(`SELECT COUNT(*) FROM captures WHERE enrollment_id = ?`, eid).Scan(&n)
	e, _ := f.s.Enrollment(ctx, f.op(), eid)
	if n != 0 || e.Captures != 0 || e.State != enroll.Voided {
		t.Fatalf("after void: %d capture rows, %+v", n, e)
	}
	if f.lastAction(t) != "biometric.wipe" {
		t.Fatal("wipe not audited")
	}
}

func TestWritesRollBackWithTheirAudit(t *testing.T) {
	f := newFixture(t)
	before := f.auditActions(t)
	// The unique NIK fails the insert: neither row nor audit entry stays.
	f.s.AddResident(ctx, f.op(), resident("3211010101900001", "A"))
	n1 := len(f.auditActions(t))
	if _, err := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "A")); err == nil {
		t.Fatal("duplicate accepted")
	}
	if got := len(f.auditActions(t)); got != n1 || n1 != len(before)+1 {
		t.Fatalf("audit entries %d → %d → %d", len(before), n1, got)
	}
	if _, err := f.s.verifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestFileModeAndReservedNames(t *testing.T) {
	f := newFixture(t)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(f.path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f.path+suffix), fi.Mode().Perm())
		}
	}
	for _, name := range []string{"station", "unknown", "sync", "Budi", "b", "budi smith"} {
		if _, err := f.s.AddOperator(ctx, f.sess[operator.RoleAdmin], name, operator.RoleOperator, f.password); err == nil {
			t.Errorf("operator name %q accepted", name)
		}
	}
}
