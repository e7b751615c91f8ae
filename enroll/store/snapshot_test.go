package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

func TestSnapshotAndCheckFile(t *testing.T) {
	f := newFixture(t)
	for _, nik := range []string{"3211010101900001", "3211010101900002"} {
		if _, err := f.s.AddResident(ctx, f.op(), resident(nik, "A")); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := f.s.Snapshot(ctx, f.op(), dst); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator made a backup: %v", err)
	}
	admin := f.sess[operator.RoleAdmin]
	if err := f.s.Snapshot(ctx, admin, dst); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Snapshot(ctx, admin, dst); err == nil {
		t.Fatal("snapshot overwrote an existing file")
	}
	fc, err := CheckFile(ctx, dst, f.k)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Residents != 2 || fc.Station.ID != "ST-TEST" || fc.AuditEntries < 10 {
		t.Fatalf("CheckFile = %+v", fc)
	}
	other, _ := keys.Generate("ST-TEST")
	if _, err := CheckFile(ctx, dst, other); !errors.Is(err, ErrWrongKeys) {
		t.Fatalf("wrong keys: %v", err)
	}
	// Damage a page in the middle of the copy.
	b, _ := os.ReadFile(dst)
	for i := len(b) / 2; i < len(b)/2+4096 && i < len(b); i++ {
		b[i] ^= 0x5a
	}
	os.WriteFile(dst, b, 0o600)
	if _, err := CheckFile(ctx, dst, f.k); err == nil {
		t.Fatal("damaged copy passed the check")
	}
}
