package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// Outbox statuses after pending.
const (
	OutboxSending  = "sending"
	OutboxReceived = "received"
	OutboxRefused  = "refused"
)

// DueOutbox lists outbox rows not yet received whose backoff has passed at
// now, oldest first: the sync's work list.
func (s *Store) DueOutbox(ctx context.Context, sess *operator.Session, now time.Time) ([]OutboxItem, error) {
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "outbox:due"); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+outboxColumns+`
		FROM outbox WHERE status IN (?, ?) AND next_attempt <= ? ORDER BY id`, OutboxPending, OutboxSending, nanos(now))
	if err != nil {
		return nil, fmt.Errorf("due outbox: %w", err)
	}
	return scanOutbox(rows, "due outbox")
}

// MarkSending records that an upload of an outbox row starts: the first
// time, its enrollment moves PROCESSING → SENT_FOR_ENROLLMENT.
func (s *Store) MarkSending(ctx context.Context, sess *operator.Session, outboxID int64) error {
	obj := fmt.Sprintf("outbox:%d", outboxID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		var enr int64
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT enrollment_id, status FROM outbox WHERE id = ?`, outboxID).Scan(&enr, &status); err != nil {
			return fmt.Errorf("mark sending %s: %w", obj, notFound(err))
		}
		if status != OutboxPending {
			return nil
		}
		if _, err := tx.move(sess, enr, enroll.SentForEnrollment, ""); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, updated_at = ? WHERE id = ?`, OutboxSending, nanos(s.now()), outboxID)
		return err
	})
}

// RecordFailure keeps an upload's failure and when to try again, so a
// restart does not hammer the server; permanent marks the row refused
// (the centre rejected the packet: it needs a supervisor, not a retry).
func (s *Store) RecordFailure(ctx context.Context, sess *operator.Session, outboxID int64, reason string, next time.Time, permanent bool) error {
	obj := fmt.Sprintf("outbox:%d", outboxID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		q := `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?, updated_at = ? WHERE id = ? AND status <> 'received'`
		args := []any{reason, nanos(next), nanos(s.now()), outboxID}
		if permanent {
			q = `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?, updated_at = ?, status = 'refused' WHERE id = ? AND status <> 'received'`
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("record failure %s: %w", obj, err)
		}
		return tx.audit(sess.Name, "outbox.failure", obj, "")
	})
}

// RecordReceipt stores the centre's signed receipt (already verified by the
// caller) and moves the enrollment to RECEIVED_AT_CENTRAL, in one
// transaction. Recording the same receipt again is a no-op.
func (s *Store) RecordReceipt(ctx context.Context, sess *operator.Session, outboxID int64, receipt string) error {
	obj := fmt.Sprintf("outbox:%d", outboxID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return err
	}
	if receipt == "" {
		return fmt.Errorf("record receipt %s: empty receipt", obj)
	}
	return s.write(ctx, func(tx *wtx) error {
		var enr int64
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT enrollment_id, status FROM outbox WHERE id = ?`, outboxID).Scan(&enr, &status); err != nil {
			return fmt.Errorf("record receipt %s: %w", obj, notFound(err))
		}
		if status == OutboxReceived {
			return nil
		}
		st, err := tx.state(enr)
		if err != nil {
			return err
		}
		if st == enroll.Processing {
			if _, err := tx.move(sess, enr, enroll.SentForEnrollment, ""); err != nil {
				return err
			}
		}
		if _, err := tx.move(sess, enr, enroll.ReceivedAtCentral, ""); err != nil {
			return err
		}
		now := nanos(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, receipt = ?, received_at = ?, updated_at = ?, last_error = '' WHERE id = ?`,
			OutboxReceived, receipt, now, now, outboxID); err != nil {
			return fmt.Errorf("record receipt %s: %w", obj, err)
		}
		return tx.audit(sess.Name, "outbox.receipt", obj, "")
	})
}

// OutboxByPacket finds the outbox row of a packet by its content name.
func (s *Store) OutboxByPacket(ctx context.Context, sess *operator.Session, sha256Hex string) (OutboxItem, error) {
	var o OutboxItem
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "outbox:packet"); err != nil {
		return o, err
	}
	var c, u int64
	err := s.r.QueryRowContext(ctx, `SELECT `+outboxColumns+`
		FROM outbox WHERE packet_sha256 = ?`, sha256Hex).Scan(&o.ID, &o.EnrollmentID, &o.PacketPath, &o.PacketSHA256, &o.Status, &o.Attempts, &o.LastError, &c, &u)
	if err != nil {
		return o, fmt.Errorf("outbox packet %s: %w", sha256Hex[:min(12, len(sha256Hex))], notFound(err))
	}
	o.CreatedAt, o.UpdatedAt = fromNanos(c), fromNanos(u)
	return o, nil
}

// ApplyCentralStatus moves an enrollment to the centre's decision (from
// the status feed). A status it already holds, or one behind it, is a
// no-op, so replaying the feed is safe.
func (s *Store) ApplyCentralStatus(ctx context.Context, sess *operator.Session, enrollmentID int64, to enroll.State, reason string) error {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		from, err := tx.state(enrollmentID)
		if err != nil {
			return err
		}
		if from == to || enroll.CheckTransition(from, to) != nil && reached(from, to) {
			return nil
		}
		_, err = tx.move(sess, enrollmentID, to, reason)
		return err
	})
}

// reached reports whether state to lies behind from in the lifecycle (so an
// old status arriving late is ignored).
func reached(from, to enroll.State) bool {
	seen := map[enroll.State]bool{}
	var walk func(s enroll.State) bool
	walk = func(s enroll.State) bool {
		if seen[s] {
			return false
		}
		seen[s] = true
		for _, n := range s.Next() {
			if n == from || walk(n) {
				return true
			}
		}
		return false
	}
	return walk(to)
}

// Purge drops an enrollment's images and biodata after the centre's signed
// receipt, per the retention policy; steps whose meta marks them as
// templates are kept (encrypted) for local dedup. Nothing is purged
// without a receipt.
func (s *Store) Purge(ctx context.Context, sess *operator.Session, enrollmentID int64, keepSteps func(step string) bool) (int, error) {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return 0, err
	}
	var n int
	err := s.write(ctx, func(tx *wtx) error {
		var receipt string
		err := tx.QueryRowContext(ctx, `SELECT receipt FROM outbox WHERE enrollment_id = ? AND status = 'received' ORDER BY id DESC LIMIT 1`, enrollmentID).Scan(&receipt)
		if err != nil || receipt == "" {
			return fmt.Errorf("purge %s: %w", obj, ErrNoReceipt)
		}
		rows, err := tx.QueryContext(ctx, `SELECT step FROM captures WHERE enrollment_id = ?`, enrollmentID)
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var step string
			if err := rows.Scan(&step); err != nil {
				rows.Close()
				return err
			}
			if keepSteps == nil || !keepSteps(step) {
				drop = append(drop, step)
			}
		}
		rows.Close()
		for _, step := range drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM captures WHERE enrollment_id = ? AND step = ?`, enrollmentID, step); err != nil {
				return err
			}
		}
		n = len(drop)
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET captures = captures - ?, purged_at = ? WHERE id = ?`, n, nanos(s.now()), enrollmentID); err != nil {
			return err
		}
		return tx.audit(sess.Name, "enrollment.purge", obj, fmt.Sprintf("steps=%d", n))
	})
	return n, err
}

// ErrNoReceipt refuses a purge of an enrollment the centre has not receipted.
var ErrNoReceipt = errors.New("no signed receipt from the centre yet")

// SyncValue reads a sync checkpoint ("" when unset).
func (s *Store) SyncValue(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM sync_state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSyncValue writes a sync checkpoint.
func (s *Store) SetSyncValue(ctx context.Context, key, value string) error {
	return s.write(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
