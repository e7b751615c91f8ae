package receipt

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// stationWithEnrollment opens a real store with an operator, a supervisor
// and one enrollment with every step saved (finger 9 amputated); submit
// moves it to BIO_CAPTURED five minutes after its creation.
func stationWithEnrollment(t *testing.T, submit bool) (*store.Store, *keys.Keys, map[string]*operator.Session, int64, *time.Time) {
	t.Helper()
	ctx := context.Background()
	k, err := keys.Generate("3211-01")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), k, store.Options{Create: true,
		Now: func() time.Time { return now }, HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Bootstrap(ctx, store.Station{ID: "3211-01", Kecamatan: "32.11.01"}, "admin", "correct-horse-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRegions(ctx, []wilayah.Region{{Code: "32", Name: "JAWA BARAT", Level: wilayah.Provinsi},
		{Code: "32.11", Name: "KAB. SUMEDANG", Level: wilayah.KabKota}, {Code: "32.11.01", Name: "JATINANGOR", Level: wilayah.Kecamatan}}); err != nil {
		t.Fatal(err)
	}
	sess := map[string]*operator.Session{}
	sess["admin"], _ = s.Login(ctx, "admin", "correct-horse-1")
	for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "sup1": operator.RoleSupervisor, "tech": operator.RoleTechnician} {
		if _, err := s.AddOperator(ctx, sess["admin"], name, role, "correct-horse-1"); err != nil {
			t.Fatal(err)
		}
		sess[name], _ = s.Login(ctx, name, "correct-horse-1")
	}
	rid, err := s.AddResident(ctx, sess["op1"], enroll.Resident{NIK: "3211014501900001", Name: "SITI"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateEnrollment(ctx, sess["op1"], rid)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"finger.01", "finger.02", "finger.03", "finger.04", "finger.05", "finger.06", "finger.07", "finger.08",
		"finger.09", "finger.10", "iris.right", "iris.left", "face", "signature"}
	for _, step := range steps {
		meta := store.CaptureMeta{Format: "png"}
		if step == "finger.09" {
			meta.Exception = "amputated"
		}
		if err := s.SaveCapture(ctx, sess["op1"], id, step, []byte("image of "+step), meta); err != nil {
			t.Fatal(err)
		}
	}
	if submit {
		now = now.Add(5 * time.Minute)
		if err := s.Transition(ctx, sess["op1"], id, enroll.BioCaptured, ""); err != nil {
			t.Fatal(err)
		}
	}
	return s, k, sess, id, &now
}

func TestBuildFromTheStore(t *testing.T) {
	ctx := context.Background()
	s, k, sess, id, now := stationWithEnrollment(t, true)
	wib := time.FixedZone("WIB", 7*3600)
	r, err := Build(ctx, s, sess["sup1"], id, KeyFrom(k), *now, wib)
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != "3211-01/1" || r.NIK != "3211014501900001" || r.Name != "SITI" || r.Operator != "op1" || r.State != enroll.BioCaptured ||
		r.KecamatanName != "JATINANGOR" || r.Kecamatan != "32.11.01" || r.StationID != "3211-01" {
		t.Fatalf("receipt %+v", r)
	}
	if got := r.RecordedAt.Format("15:04 MST"); got != "09:05 WIB" {
		t.Fatalf("recorded at %s, want the submit time 09:05 WIB", got)
	}
	if Count(r.Captured.Fingers[:]) != 9 || r.Captured.Fingers[8].Exception != "amputated" || Count(r.Captured.Irises[:]) != 2 || r.Captured.Purged {
		t.Fatalf("captured %+v", r.Captured)
	}
	if !Verify(KeyFrom(k), r, r.Code) {
		t.Fatal("the built receipt's code does not verify")
	}
	// The code holds for the enrollment's whole life.
	if err := s.Transition(ctx, sess["sup1"], id, enroll.Approved, ""); err != nil {
		t.Fatal(err)
	}
	later, err := Build(ctx, s, sess["sup1"], id, KeyFrom(k), now.Add(time.Minute), wib)
	if err != nil || later.State != enroll.Approved || later.Code != r.Code {
		t.Fatalf("after approval: %s code %s (%v), want %s", later.State, later.Code, err, r.Code)
	}
	other, _ := keys.Generate("3211-01")
	if Verify(KeyFrom(other), r, r.Code) {
		t.Fatal("another station's key verifies the code")
	}
	// Every personal read behind the receipt is on the audit log.
	log, err := s.AuditLog(ctx, sess["admin"], 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if e.Actor == "sup1" && e.Action != "login.ok" {
			actions = append(actions, e.Action)
		}
		if strings.Contains(e.Detail, "3211014501900001") || strings.Contains(e.Detail, "SITI") {
			t.Fatalf("audit entry holds personal data: %+v", e)
		}
	}
	if got := strings.Join(actions, ","); !strings.HasPrefix(got, "resident.read,biometric.read,enrollment.history,") {
		t.Fatalf("sup1's audited reads: %s", got)
	}
}

func TestBuildCases(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		submit  bool
		as      string
		id      int64
		wantErr error
		check   func(t *testing.T, r Receipt, created time.Time)
	}{
		{name: "draft is dated by its creation", as: "op1", id: 1, check: func(t *testing.T, r Receipt, created time.Time) {
			if r.State != enroll.Draft || !r.RecordedAt.Equal(created) {
				t.Fatalf("state %s recorded %s, want DRAFT at %s", r.State, r.RecordedAt, created)
			}
		}},
		{name: "technician may not", submit: true, as: "tech", id: 1, wantErr: operator.ErrForbidden},
		{name: "unknown enrollment", submit: true, as: "op1", id: 99, wantErr: store.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, k, sess, _, now := stationWithEnrollment(t, tc.submit)
			created := *now
			r, err := Build(ctx, s, sess[tc.as], tc.id, KeyFrom(k), *now, time.UTC)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, r, created)
		})
	}
}
