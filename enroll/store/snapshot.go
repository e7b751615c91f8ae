package store

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// Snapshot writes a consistent, compacted copy of the whole database to
// dst, which must not exist (SQLite's VACUUM INTO). The backup is audited
// first, so the copy records its own making. The copy holds personal data
// only as ciphertext, like the live file; package backup encrypts it as a
// whole for carrying off the station.
func (s *Store) Snapshot(ctx context.Context, sess *operator.Session, dst string) error {
	if err := s.authorize(ctx, sess, operator.StationBackup, "station:backup"); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("snapshot: %s already exists", dst)
	}
	if err := s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, "station.backup", "station:db", "")
	}); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.w.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("snapshot to %s: %w", dst, err)
	}
	return nil
}

// FileCheck is the verdict on a database file about to be restored.
type FileCheck struct {
	Station      Station `json:"station"`
	AuditEntries int64   `json:"audit_entries"`
	Residents    int64   `json:"residents"`
	Enrollments  int64   `json:"enrollments"`
}

// CheckFile opens a database file nobody else uses (a restored copy) with
// the station keys and checks it end to end: PRAGMA integrity_check, the
// keys' match, and the audit chain. Any failure is an error saying which.
func CheckFile(ctx context.Context, path string, k *keys.Keys) (FileCheck, error) {
	var fc FileCheck
	s, err := Open(ctx, path, k, Options{})
	if err != nil {
		return fc, err
	}
	defer s.Close()
	verdict, err := s.IntegrityCheck(ctx)
	if err != nil {
		return fc, err
	}
	if verdict != "ok" {
		return fc, fmt.Errorf("integrity check of %s: %s", path, verdict)
	}
	if fc.Station, err = s.Station(ctx); err != nil {
		return fc, err
	}
	if err := s.checkKeys(ctx); err != nil {
		return fc, err
	}
	if fc.AuditEntries, err = s.verifyAudit(ctx); err != nil {
		return fc, fmt.Errorf("%s: %w", path, err)
	}
	for q, dst := range map[string]*int64{`SELECT COUNT(*) FROM residents`: &fc.Residents, `SELECT COUNT(*) FROM enrollments`: &fc.Enrollments} {
		if err := s.r.QueryRowContext(ctx, q).Scan(dst); err != nil {
			return fc, fmt.Errorf("check %s: %w", path, err)
		}
	}
	return fc, nil
}

// RecordRestore audits, in the restored database itself, that it was put
// in place from a backup made at backupTime.
func (s *Store) RecordRestore(ctx context.Context, backupTime time.Time) error {
	return s.write(ctx, func(tx *wtx) error {
		return tx.audit("station", "station.restore", "station:db", "backup="+backupTime.UTC().Format("2006-01-02T15:04:05Z"))
	})
}
