package port

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

const pw = "correct-horse-1"

func testLauncher(t *testing.T) Launcher {
	dir := t.TempDir()
	return Launcher{DataDir: filepath.Join(dir, "data"), ConfigDir: filepath.Join(dir, "config"),
		Options:  store.Options{HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}},
		Recovery: keys.KDFParams{Time: 1, Memory: 64, Threads: 1}}
}

func request() SetupRequest {
	return SetupRequest{Station: store.Station{ID: "3211-01", Kecamatan: "32.11.01"}, Admin: "admin", Password: pw, Recovery: "recovery-passphrase-1"}
}

func TestSetupRequestCheck(t *testing.T) {
	for name, mod := range map[string]func(*SetupRequest){
		"bad kecamatan":  func(r *SetupRequest) { r.Station.Kecamatan = "3211" },
		"bad station":    func(r *SetupRequest) { r.Station.ID = "" },
		"bad admin":      func(r *SetupRequest) { r.Admin = "Admin!" },
		"short password": func(r *SetupRequest) { r.Password = "x" },
		"short recovery": func(r *SetupRequest) { r.Recovery = "short" },
	} {
		r := request()
		mod(&r)
		if err := r.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := request().Check(); err != nil {
		t.Fatal(err)
	}
}

func TestLauncherCreateOpen(t *testing.T) {
	ctx := context.Background()
	l := testLauncher(t)
	if l.HasStation() {
		t.Fatal("empty folders hold a station")
	}
	st, err := l.Create(ctx, request())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if !l.HasStation() {
		t.Fatal("no station after Create")
	}
	if _, err := l.Create(ctx, request()); !errors.Is(err, store.ErrExists) {
		t.Fatalf("second Create: %v", err)
	}
	st, err = l.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Login(ctx, "admin", pw); err != nil {
		t.Fatal(err)
	}
	if st.Policy() != operator.DefaultPolicy {
		t.Fatalf("policy %+v", st.Policy())
	}
	if st.NIKRegions(ctx) != nil {
		t.Fatal("NIK regions without master data")
	}
}

// fixture is an open station with op1, sup1 and sup2.
func fixture(t *testing.T) (*StoreStation, map[string]*operator.Session) {
	ctx := context.Background()
	st, err := testLauncher(t).Create(ctx, request())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	admin, _ := st.Login(ctx, "admin", pw)
	sess := map[string]*operator.Session{}
	for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "sup1": operator.RoleSupervisor, "sup2": operator.RoleSupervisor} {
		if err := st.AddOperator(ctx, admin, name, role, pw); err != nil {
			t.Fatal(err)
		}
		if sess[name], err = st.Login(ctx, name, pw); err != nil {
			t.Fatal(err)
		}
	}
	return st, sess
}

func draft(t *testing.T, st *StoreStation, s *operator.Session, nikStr string, steps []string) int64 {
	ctx := context.Background()
	rid, err := st.SaveResident(ctx, s, 0, enroll.Resident{NIK: nikStr, Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.StartEnrollment(ctx, s, rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range steps {
		if err := st.SaveCapture(ctx, s, id, step, []byte{1}, store.CaptureMeta{Format: "png"}); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func TestSubmitNeedsEveryStep(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	id := draft(t, st, s["op1"], "3211010101900002", Steps()[:13])
	if err := st.Submit(ctx, s["op1"], id); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("incomplete submit: %v", err)
	}
	if err := st.SaveCapture(ctx, s["op1"], id, StepSignature, nil, store.CaptureMeta{Exception: "cannot_sign: x"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(ctx, s["op1"], id); err != nil {
		t.Fatal(err)
	}
}

func TestDecideFourEyes(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	// sup1 created it, op1 captured one step after: neither may decide.
	rid, _ := st.SaveResident(ctx, s["sup1"], 0, enroll.Resident{NIK: "3211010101900002", Name: "A"})
	id, _ := st.StartEnrollment(ctx, s["sup1"], rid)
	for _, step := range Steps() {
		if err := st.SaveCapture(ctx, s["sup1"], id, step, []byte{1}, store.CaptureMeta{Format: "png"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, s["sup1"], id); err != nil {
		t.Fatal(err)
	}
	if err := st.Decide(ctx, s["sup1"], id, true, ""); !errors.Is(err, ErrOwnEnrollment) {
		t.Fatalf("own decide: %v", err)
	}
	if err := st.Decide(ctx, s["op1"], id, true, ""); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator decide: %v", err)
	}
	if err := st.Decide(ctx, s["sup2"], id, false, ""); err == nil {
		t.Fatal("rejection without reason accepted")
	}
	if err := st.Decide(ctx, s["sup2"], id, true, ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.Enrollment(ctx, s["sup2"], id); e.State != enroll.Approved {
		t.Fatalf("state %s", e.State)
	}
}

func TestDiskAssumesThenMeasures(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	d, err := st.Disk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Measured || d.PerEnrollment != AssumedEnrollmentSize || d.Free == 0 || d.Fits() != d.Free/AssumedEnrollmentSize {
		t.Fatalf("empty station disk = %+v", d)
	}
	for i := 0; i < MinMeasured; i++ {
		draft(t, st, s["op1"], "32110101019000"+string(rune('1'+i/10))+string(rune('0'+i%10)), []string{"finger.01"})
	}
	d, err = st.Disk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Measured || d.PerEnrollment == AssumedEnrollmentSize || d.PerEnrollment == 0 {
		t.Fatalf("measured disk = %+v", d)
	}
}

func TestDiskInfoFits(t *testing.T) {
	for _, c := range []struct {
		d    DiskInfo
		want uint64
	}{
		{DiskInfo{Free: 10 << 20, PerEnrollment: 3 << 20}, 3},
		{DiskInfo{Free: 1 << 20, PerEnrollment: 3 << 20}, 0},
		{DiskInfo{Free: 1 << 20}, 0},
	} {
		if got := c.d.Fits(); got != c.want {
			t.Errorf("%+v.Fits() = %d, want %d", c.d, got, c.want)
		}
	}
}
