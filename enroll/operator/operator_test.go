package operator

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
)

var allActions = []Action{ResidentRead, ResidentWrite, ResidentListFull, BiometricWrite, BiometricRead,
	EnrollmentDecide, EnrollmentSync, OperatorManage, AuditRead, DeviceUse, DeviceService, StationConfigure, StationBackup, MasterDataImport}

func TestAllowedTable(t *testing.T) {
	tests := []struct {
		role   Role
		action Action
		want   bool
	}{
		{RoleOperator, ResidentRead, true},
		{RoleOperator, EnrollmentDecide, false},
		{RoleOperator, ResidentListFull, false},
		{RoleSupervisor, EnrollmentDecide, true},
		{RoleSupervisor, OperatorManage, false},
		{RoleTechnician, DeviceUse, true},
		{RoleTechnician, ResidentRead, false},
		{RoleAuditor, AuditRead, true},
		{RoleAuditor, ResidentRead, false},
		{RoleAdmin, OperatorManage, true},
		{RoleAdmin, ResidentRead, false},
		{RoleTechnician, DeviceService, true},
		{RoleAdmin, DeviceService, true},
		{RoleOperator, DeviceService, false},
		{RoleSupervisor, DeviceService, false},
		{RoleAdmin, StationConfigure, true},
		{RoleTechnician, StationConfigure, false},
		{RoleSupervisor, StationConfigure, false},
		{Role("root"), ResidentRead, false},
	}
	for _, tt := range tests {
		if got := Allowed(tt.role, tt.action); got != tt.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", tt.role, tt.action, got, tt.want)
		}
	}
}

func TestTechnicianAndAuditorNeverSeePersonalData(t *testing.T) {
	for _, a := range allActions {
		if Personal(a) && Allowed(RoleTechnician, a) {
			t.Errorf("technician may %s", a)
		}
		if a != AuditRead && Allowed(RoleAuditor, a) {
			t.Errorf("auditor may %s", a)
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range AccountRoles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%s) = %v, %v", r, got, err)
		}
	}
	if _, err := ParseRole("system"); err == nil {
		t.Error("system accepted as an account role")
	}
}

func TestForTransition(t *testing.T) {
	tests := map[enroll.State]Action{
		enroll.BioCaptured: BiometricWrite, enroll.Voided: BiometricWrite, enroll.Review: BiometricWrite,
		enroll.Approved: EnrollmentDecide, enroll.Rejected: EnrollmentDecide,
		enroll.Processing: EnrollmentSync, enroll.CardIssued: EnrollmentSync,
	}
	for to, want := range tests {
		if got := ForTransition(to); got != want {
			t.Errorf("ForTransition(%s) = %s, want %s", to, got, want)
		}
	}
}

var fast = HashParams{Time: 1, Memory: 64, Threads: 1}

func TestHashVerify(t *testing.T) {
	h, err := HashPassword("s3cret-password", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	h2, _ := HashPassword("s3cret-password", fast)
	if h == h2 {
		t.Fatal("same hash twice: salt not random")
	}
	for pw, want := range map[string]bool{"s3cret-password": true, "s3cret-passwore": false, "": false} {
		ok, err := VerifyPassword(pw, h)
		if err != nil || ok != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := HashPassword("short", fast); err == nil {
		t.Error("short password accepted")
	}
}

func TestParseHashRejects(t *testing.T) {
	for _, s := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if _, _, _, err := ParseHash(s); !errors.Is(err, ErrBadHash) {
			t.Errorf("ParseHash(%q) err = %v", s, err)
		}
	}
}

func FuzzParseHash(f *testing.F) {
	h, _ := HashPassword("s3cret-password", fast)
	f.Add(h)
	f.Add("$argon2id$v=19$m=99999999,t=99,p=300$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, hash, err := ParseHash(s)
		if err != nil {
			return
		}
		if p.Memory > maxHashMemory || p.Time > maxHashTime || len(salt) == 0 || len(hash) == 0 {
			t.Fatalf("accepted out-of-bounds hash %+v", p)
		}
	})
}

func TestSessionAuthorize(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	s := NewSession(1, "budi", RoleOperator, 10*time.Minute, t0)
	if err := s.Authorize(ResidentRead, t0.Add(9*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// The clock restarts at each use.
	if err := s.Authorize(ResidentRead, t0.Add(18*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Authorize(OperatorManage, t0.Add(19*time.Minute)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("forbidden action: %v", err)
	}
	if err := s.Authorize(ResidentRead, t0.Add(29*time.Minute)); !errors.Is(err, ErrIdle) {
		t.Fatalf("after idle: %v", err)
	}
	var none *Session
	if err := none.Authorize(ResidentRead, t0); !errors.Is(err, ErrNoSession) {
		t.Fatalf("nil session: %v", err)
	}
}

func TestPolicyCheck(t *testing.T) {
	if err := DefaultPolicy.Check(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Policy{{0, time.Hour}, {5, time.Second}, {5, 48 * time.Hour}} {
		if p.Check() == nil {
			t.Errorf("policy %+v accepted", p)
		}
	}
}
