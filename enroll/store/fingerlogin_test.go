package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/simulators/synth"
)

const fpPassword = "correct-horse-1"

// fpStation is a real SQLite station with an admin and operators op1, op2
// and sup1, and a settable clock.
type fpStation struct {
	s     *store.Store
	admin *operator.Session
	mu    sync.Mutex
	now   time.Time
}

func (f *fpStation) clock() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func newFPStation(t testing.TB) *fpStation {
	t.Helper()
	ctx := context.Background()
	k, err := keys.Generate("ST-FP")
	if err != nil {
		t.Fatal(err)
	}
	f := &fpStation{now: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)}
	f.s, err = store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), k,
		store.Options{Create: true, Now: f.clock, HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Close() })
	if err := f.s.Bootstrap(ctx, store.Station{ID: "ST-FP", Kecamatan: "32.11.01"}, "admin", fpPassword); err != nil {
		t.Fatal(err)
	}
	if f.admin, err = f.s.Login(ctx, "admin", fpPassword); err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "op2": operator.RoleOperator, "sup1": operator.RoleSupervisor} {
		if _, err := f.s.AddOperator(ctx, f.admin, name, role, fpPassword); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// template extracts impression imp of a synthetic person's right index.
func template(t testing.TB, person uint64, imp int) *finger.Template {
	t.Helper()
	g := synth.Finger(person, 2, imp, synth.FingerOptions{})
	tm, err := finger.Extract(&finger.Image{Width: g.Rect.Dx(), Height: g.Rect.Dy(), Pix: g.Pix})
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// auditTail returns the last n audit entries as "actor action detail"
// (AuditLog audits the read after reading, so the read is not among them).
func auditTail(t *testing.T, f *fpStation, n int) []string {
	t.Helper()
	es, err := f.s.AuditLog(context.Background(), f.admin, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es[max(0, len(es)-n):] {
		out = append(out, e.Actor+" "+e.Action+" "+e.Detail)
	}
	return out
}

func TestFingerLogin(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	// op1 is person 11, op2 person 12, sup1 person 13; persons 99 and 1237
	// are strangers. Synthetic fingers of one pattern class share much of
	// their ridge flow, so their impostor tail is far heavier than real
	// prints' (10 of 2,450 synthetic impostor pairs reach this threshold; real
	// strangers are measured by `rekamctl eval fingerlogin`): the strangers
	// here are of classes no operator has (tented arch, left loop), so this
	// test checks the login's handling of an unknown finger, not the
	// engine's tail.
	for name, person := range map[string]uint64{"op1": 11, "op2": 12, "sup1": 13} {
		if err := f.s.EnrollOperatorFinger(ctx, f.admin, name, "", 2, template(t, person, 0)); err != nil {
			t.Fatalf("enrol %s: %v", name, err)
		}
	}
	tests := []struct {
		name    string
		person  uint64
		imp     int
		want    string
		wantErr error
	}{
		{"op1 other impression", 11, 3, "op1", nil},
		{"op2 other impression", 12, 5, "op2", nil},
		{"sup1 other impression", 13, 2, "sup1", nil},
		{"stranger", 99, 1, "", store.ErrFingerNoMatch},
		{"another stranger", 1237, 0, "", store.ErrFingerNoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := f.s.FingerLogin(ctx, template(t, tt.person, tt.imp))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if tt.want != "" && (sess == nil || sess.Name != tt.want) {
				t.Fatalf("session %+v, want %s", sess, tt.want)
			}
			last := auditTail(t, f, 1)[0]
			switch {
			case tt.want != "" && last != tt.want+" login.ok finger":
				t.Errorf("audit %q", last)
			case tt.want == "" && last != "unknown login.fail finger: no match":
				t.Errorf("audit %q", last)
			}
		})
	}
	if _, err := f.s.FingerLogin(ctx, &finger.Template{}); !errors.Is(err, store.ErrFingerUnusable) {
		t.Errorf("empty probe: %v", err)
	}
}

func TestFingerLoginLockedAndRevoked(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	for name, person := range map[string]uint64{"op1": 11, "op2": 12, "admin": 14} {
		if err := f.s.EnrollOperatorFinger(ctx, f.admin, name, "", 2, template(t, person, 0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.SetLocked(ctx, f.admin, "op1", true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.FingerLogin(ctx, template(t, 11, 1)); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("locked op1 by finger: %v", err)
	}
	if got := auditTail(t, f, 1)[0]; got != "op1 login.locked finger" {
		t.Errorf("audit %q", got)
	}
	// The centre's list revokes op2, then expires: op2 is locked, and once
	// the list has expired only the admin may log in.
	sys := f.s.SystemSession("sync")
	if _, err := f.s.ApplyOperatorRevocations(ctx, sys, []string{"op2"}, f.clock().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.FingerLogin(ctx, template(t, 12, 2)); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("revoked op2 by finger: %v", err)
	}
	if err := f.s.SetLocked(ctx, f.admin, "op1", false); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.now = f.now.Add(2 * time.Hour)
	f.mu.Unlock()
	if f.admin, _ = f.s.Login(ctx, "admin", fpPassword); f.admin == nil {
		t.Fatal("admin cannot log in")
	}
	if _, err := f.s.FingerLogin(ctx, template(t, 11, 1)); !errors.Is(err, store.ErrOperatorListExpired) {
		t.Fatalf("op1 with an expired list: %v", err)
	}
	if got := auditTail(t, f, 1)[0]; got != "op1 login.refused finger: operator list expired" {
		t.Errorf("audit %q", got)
	}
	if s, err := f.s.FingerLogin(ctx, template(t, 14, 1)); err != nil || s.Role != operator.RoleAdmin {
		t.Fatalf("admin with an expired list: %v", err)
	}
}

// TestEnrollOwnFingerPasswordGuessesLock: the password re-entered to enrol
// one's own finger counts towards the lockout like a login, so an
// unattended session is no endless password oracle.
func TestEnrollOwnFingerPasswordGuessesLock(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	op2, err := f.s.Login(ctx, "op2", fpPassword)
	if err != nil {
		t.Fatal(err)
	}
	tm := template(t, 12, 0)
	n := f.s.Policy().LockoutAfter
	for i := 1; i <= n; i++ {
		err := f.s.EnrollOperatorFinger(ctx, op2, "op2", "guess", 2, tm)
		want := store.ErrLogin
		if i == n {
			want = store.ErrLocked
		}
		if !errors.Is(err, want) {
			t.Fatalf("guess %d: %v, want %v", i, err, want)
		}
	}
	if err := f.s.EnrollOperatorFinger(ctx, op2, "op2", fpPassword, 2, tm); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("enrolment on a locked account: %v", err)
	}
	if _, err := f.s.Login(ctx, "op2", fpPassword); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("login after the guesses: %v", err)
	}
}

func TestEnrollOperatorFingerRights(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	op1, err := f.s.Login(ctx, "op1", fpPassword)
	if err != nil {
		t.Fatal(err)
	}
	tm := template(t, 11, 0)
	tests := []struct {
		name     string
		sess     *operator.Session
		target   string
		password string
		want     error
	}{
		{"own finger, wrong password", op1, "op1", "wrong-password", store.ErrLogin},
		{"someone else's finger", op1, "op2", fpPassword, operator.ErrForbidden},
		{"no session", nil, "op1", fpPassword, operator.ErrNoSession},
		{"unknown account", f.admin, "nobody", "", store.ErrNotFound},
		{"own finger with password", op1, "op1", fpPassword, nil},
		{"admin replaces it", f.admin, "op1", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.s.EnrollOperatorFinger(ctx, tt.sess, tt.target, tt.password, 2, tm); !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
		})
	}
	fs, err := f.s.OperatorFingers(ctx, f.admin)
	if err != nil || len(fs) != 1 || fs[0].Name != "op1" || fs[0].EnrolledBy != "admin" || fs[0].Position != 2 {
		t.Fatalf("fingers %+v %v", fs, err)
	}
	if _, err := f.s.OperatorFingers(ctx, op1); !errors.Is(err, operator.ErrForbidden) {
		t.Errorf("operator lists fingers: %v", err)
	}
	if err := f.s.EnrollOperatorFinger(ctx, f.admin, "op2", "", 2, &finger.Template{}); !errors.Is(err, store.ErrFingerUnusable) {
		t.Errorf("empty template: %v", err)
	}
	if err := f.s.EnrollOperatorFinger(ctx, f.admin, "op2", "", 11, tm); err == nil {
		t.Error("position 11 accepted")
	}
	if err := f.s.RemoveOperatorFinger(ctx, op1, "op1", fpPassword); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveOperatorFinger(ctx, op1, "op1", fpPassword); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second removal: %v", err)
	}
	if _, err := f.s.FingerLogin(ctx, template(t, 11, 1)); !errors.Is(err, store.ErrFingerNoMatch) {
		t.Fatalf("removed finger still logs in: %v", err)
	}
	for _, e := range auditTail(t, f, 40) {
		if strings.Contains(e, "RF") {
			t.Errorf("template bytes in the audit log: %q", e)
		}
	}
	if n, err := f.s.VerifyAudit(ctx, f.admin); err != nil {
		t.Fatalf("audit chain after %d entries: %v", n, err)
	}
}

func TestFingerLoginThreshold(t *testing.T) {
	tests := []struct {
		n    int
		want float64
	}{{0, 6}, {1, 6}, {10, 7}, {100, 8}}
	for _, tt := range tests {
		if got := store.FingerLoginThreshold(tt.n); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("FingerLoginThreshold(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestFingerLoginThrottle(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	if err := f.s.EnrollOperatorFinger(ctx, f.admin, "op1", "", 2, template(t, 11, 0)); err != nil {
		t.Fatal(err)
	}
	stranger := template(t, 77, 0)
	for i := 0; i < operator.DefaultPolicy.LockoutAfter; i++ {
		if _, err := f.s.FingerLogin(ctx, stranger); !errors.Is(err, store.ErrFingerNoMatch) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	// Even the right finger waits now; the password still works.
	if _, err := f.s.FingerLogin(ctx, template(t, 11, 1)); !errors.Is(err, store.ErrFingerThrottled) {
		t.Fatalf("after %d strangers: %v", operator.DefaultPolicy.LockoutAfter, err)
	}
	if got := auditTail(t, f, 1)[0]; got != "unknown login.refused finger: throttled" {
		t.Errorf("audit %q", got)
	}
	if _, err := f.s.Login(ctx, "op1", fpPassword); err != nil {
		t.Fatalf("password login while finger login pauses: %v", err)
	}
	f.mu.Lock()
	f.now = f.now.Add(store.FingerThrottleWindow + time.Second)
	f.mu.Unlock()
	if s, err := f.s.FingerLogin(ctx, template(t, 11, 1)); err != nil || s.Name != "op1" {
		t.Fatalf("after the window: %v", err)
	}
}
