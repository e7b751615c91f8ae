package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// fastHash keeps tests quick; parameters travel inside each hash.
var fastHash = operator.HashParams{Time: 1, Memory: 64, Threads: 1}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a bootstrapped station with one account per role.
type fixture struct {
	s        *Store
	k        *keys.Keys
	path     string
	clk      *clock
	sess     map[operator.Role]*operator.Session
	password string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	k, err := keys.Generate("ST-TEST")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{k: k, path: filepath.Join(t.TempDir(), FileName), clk: &clock{t: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)},
		sess: map[operator.Role]*operator.Session{}, password: "correct-horse-1"}
	f.s, err = Open(ctx, f.path, k, Options{Create: true, Now: f.clk.Now, HashParams: fastHash})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Close() })
	if err := f.s.Bootstrap(ctx, Station{ID: "ST-TEST", Kecamatan: "32.11.01"}, "admin", f.password); err != nil {
		t.Fatal(err)
	}
	admin, err := f.s.Login(ctx, "admin", f.password)
	if err != nil {
		t.Fatal(err)
	}
	f.sess[operator.RoleAdmin] = admin
	for _, r := range []operator.Role{operator.RoleOperator, operator.RoleSupervisor, operator.RoleTechnician, operator.RoleAuditor} {
		if _, err := f.s.AddOperator(ctx, admin, string(r)+"1", r, f.password); err != nil {
			t.Fatal(err)
		}
		if f.sess[r], err = f.s.Login(ctx, string(r)+"1", f.password); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) op() *operator.Session  { return f.sess[operator.RoleOperator] }
func (f *fixture) sup() *operator.Session { return f.sess[operator.RoleSupervisor] }

// resident returns synthetic biodata with a given NIK and name.
func resident(nik, name string) enroll.Resident {
	return enroll.Resident{NIK: nik, KK: "3211010101090001", Name: name, BirthPlace: "SUMEDANG", BirthDate: "1990-01-01",
		Sex: 1, Religion: 1, Marital: 2, FamilyRelation: 1, Education: 5, Occupation: 15, MotherName: "IBU " + name,
		Address: "JL MERDEKA 1", RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1}
}

// auditActions returns the actions of every audit entry, in order.
func (f *fixture) auditActions(t testing.TB) []string {
	t.Helper()
	rows, err := f.s.r.Query(`SELECT action FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

// checkAuditGrew reports (as t.Errorf under name) unless the audit log,
// which held before entries, gained exactly one entry with action want, or
// none at all when want is "".
func (f *fixture) checkAuditGrew(t testing.TB, name string, before int, want string) {
	t.Helper()
	after := f.auditActions(t)
	if want == "" {
		if len(after) != before {
			t.Errorf("%s: a refused call still wrote %v", name, after[before:])
		}
		return
	}
	if len(after) != before+1 || after[len(after)-1] != want {
		t.Errorf("%s: log grew %d, last %q, want %q", name, len(after)-before, after[len(after)-1], want)
	}
}

func (f *fixture) lastAction(t testing.TB) string {
	a := f.auditActions(t)
	return a[len(a)-1]
}
