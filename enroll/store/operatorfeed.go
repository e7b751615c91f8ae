package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

// operatorsExpiryKey is the sync checkpoint holding when the last applied
// central operator list stops being trustworthy.
const operatorsExpiryKey = "operators_expires_at"

// ErrOperatorListExpired refuses a login when the centre's operator list the
// station holds has expired: a station offline for too long cannot keep
// using an account that may have been revoked since. The station admin can
// still log in (to export, back up, or reconnect).
var ErrOperatorListExpired = errors.New("the national operator list has expired: sync with the national server")

// ApplyOperatorRevocations applies the centre's signed operator list (the
// caller verified it): each revoked account that exists here is locked, and
// the list's expiry is recorded, in one transaction. It returns how many
// accounts it locked.
func (s *Store) ApplyOperatorRevocations(ctx context.Context, sess *operator.Session, revoked []string, expires time.Time) (int, error) {
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "operator:feed"); err != nil {
		return 0, err
	}
	n := 0
	err := s.write(ctx, func(tx *wtx) error {
		for _, name := range revoked {
			if CheckOperatorName(name) != nil {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE operators SET locked = 1 WHERE name = ? AND locked = 0 AND role <> 'admin'`, name)
			if err != nil {
				return fmt.Errorf("revoke %s: %w", name, err)
			}
			if k, _ := res.RowsAffected(); k > 0 {
				n++
				var id int64
				if err := tx.QueryRowContext(ctx, `SELECT id FROM operators WHERE name = ?`, name).Scan(&id); err != nil {
					return err
				}
				if err := tx.audit(sess.Name, "operator.revoke", fmt.Sprintf("operator:%d", id), "central list"); err != nil {
					return err
				}
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
			operatorsExpiryKey, strconv.FormatInt(nanos(expires), 10))
		return err
	})
	return n, err
}

// operatorListExpired reports whether a central operator list was applied
// and has since expired.
func (s *Store) operatorListExpired(ctx context.Context) bool {
	v, err := s.SyncValue(ctx, operatorsExpiryKey)
	if err != nil || v == "" {
		return false
	}
	exp, err := strconv.ParseInt(v, 10, 64)
	return err == nil && !s.now().Before(fromNanos(exp))
}
