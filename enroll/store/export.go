package store

import (
	"context"
	"fmt"
	"regexp"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

// exportKind is what an export names: a short code, never personal data.
var exportKind = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,31}$`)

// RecordExport authorizes and audits ("enrollment.export") that sess is
// about to write personal data of enrollment id out of the encrypted store,
// e.g. a receipt PDF saved to a file. kind names what is written ("receipt.pdf").
// Call it before writing, so no copy leaves the store unrecorded; it needs
// the role that may read the enrollment's data (operator.BiometricRead).
func (s *Store) RecordExport(ctx context.Context, sess *operator.Session, id int64, kind string) error {
	if !exportKind.MatchString(kind) {
		return fmt.Errorf("record export of enrollment %d: kind %q: want a short lower-case code", id, kind)
	}
	obj := fmt.Sprintf("enrollment:%d", id)
	if err := s.authorize(ctx, sess, operator.BiometricRead, obj); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enrollments WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("record export of %s: %w", obj, err)
		}
		if n == 0 {
			return fmt.Errorf("record export of %s: %w", obj, ErrNotFound)
		}
		return tx.audit(sess.Name, "enrollment.export", obj, kind)
	})
}
