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

// Enrollment is one recording of a resident, as the store holds it.
type Enrollment struct {
	ID         int64        `json:"id"`
	ResidentID int64        `json:"resident_id"`
	State      enroll.State `json:"state"`
	// Captures is the number of capture steps saved.
	Captures  int       `json:"captures"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CreateEnrollment opens a DRAFT enrollment for a stored resident; its
// creation is stored as the first transition ("" → DRAFT).
func (s *Store) CreateEnrollment(ctx context.Context, sess *operator.Session, residentID int64) (int64, error) {
	if err := s.authorize(ctx, sess, operator.BiometricWrite, fmt.Sprintf("resident:%d", residentID)); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(tx *wtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM residents WHERE id = ?`, residentID).Scan(&n); err != nil {
			return fmt.Errorf("create enrollment: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("create enrollment: resident %d: %w", residentID, ErrNotFound)
		}
		now := nanos(s.now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO enrollments (resident_id, state, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, residentID, string(enroll.Draft), sess.Name, now, now).Scan(&id); err != nil {
			return fmt.Errorf("create enrollment: %w", err)
		}
		if err := tx.insertTransition(id, "", enroll.Draft, sess.Name, ""); err != nil {
			return err
		}
		return tx.audit(sess.Name, "enrollment.create", fmt.Sprintf("enrollment:%d", id), fmt.Sprintf("resident=%d", residentID))
	})
	return id, err
}

func (tx *wtx) insertTransition(id int64, from, to enroll.State, actor, reason string) error {
	var tid int64
	if err := tx.QueryRowContext(tx.ctx, `INSERT INTO enrollment_transitions (enrollment_id, from_state, to_state, actor, at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, id, string(from), string(to), actor, nanos(tx.s.now())).Scan(&tid); err != nil {
		return fmt.Errorf("enrollment %d: record transition: %w", id, err)
	}
	if reason == "" {
		return nil
	}
	// A reason is free text typed by a person: sealed like biodata.
	ct, err := tx.s.seal([]byte(reason), aad("transition-reason", tid))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE enrollment_transitions SET reason = ? WHERE id = ?`, ct, tid); err != nil {
		return fmt.Errorf("enrollment %d: record transition: %w", id, err)
	}
	return nil
}

// state reads an enrollment's state inside a write transaction.
func (tx *wtx) state(id int64) (enroll.State, error) {
	var st string
	err := tx.QueryRowContext(tx.ctx, `SELECT state FROM enrollments WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("enrollment %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("enrollment %d: %w", id, err)
	}
	return enroll.State(st), nil
}

// move checks and applies one transition and its audit entry.
func (tx *wtx) move(sess *operator.Session, id int64, to enroll.State, reason string) (enroll.State, error) {
	from, err := tx.state(id)
	if err != nil {
		return "", err
	}
	if err := enroll.CheckTransition(from, to); err != nil {
		return from, fmt.Errorf("enrollment %d: %w", id, err)
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE enrollments SET state = ?, updated_at = ? WHERE id = ?`, string(to), nanos(tx.s.now()), id); err != nil {
		return from, fmt.Errorf("enrollment %d: %w", id, err)
	}
	if err := tx.insertTransition(id, from, to, sess.Name, reason); err != nil {
		return from, err
	}
	return from, tx.audit(sess.Name, "enrollment.transition", fmt.Sprintf("enrollment:%d", id), string(from)+">"+string(to))
}

// Transition moves an enrollment to state to if the lifecycle allows it and
// the session's role may (operator.ForTransition), storing who, when and
// why in the same transaction. Voiding goes through Void.
func (s *Store) Transition(ctx context.Context, sess *operator.Session, id int64, to enroll.State, reason string) error {
	if to == enroll.Voided {
		return s.Void(ctx, sess, id, reason)
	}
	if err := s.authorize(ctx, sess, operator.ForTransition(to), fmt.Sprintf("enrollment:%d", id)); err != nil {
		return err
	}
	if (to == enroll.Rejected || to == enroll.EnrollFailureAtCentral) && reason == "" {
		return fmt.Errorf("enrollment %d: moving to %s needs a reason", id, to)
	}
	return s.write(ctx, func(tx *wtx) error {
		if to == enroll.Approved || to == enroll.Rejected {
			if err := tx.checkFourEyes(sess, id); err != nil {
				return err
			}
		}
		if to == enroll.Approved {
			if err := tx.checkNoOpenCase(id); err != nil {
				return err
			}
		}
		_, err := tx.move(sess, id, to, reason)
		return err
	})
}

// ErrOwnEnrollment refuses a decision on an enrollment by the person who
// created it or captured any of it: approval needs a second pair of eyes.
var ErrOwnEnrollment = errors.New("an enrollment cannot be decided by the person who recorded it")

// checkFourEyes refuses sess deciding an enrollment it created or captured.
func (tx *wtx) checkFourEyes(sess *operator.Session, id int64) error {
	var n int
	err := tx.QueryRowContext(tx.ctx, `SELECT (SELECT COUNT(*) FROM enrollments WHERE id = ? AND created_by = ?)
		+ (SELECT COUNT(*) FROM captures WHERE enrollment_id = ? AND saved_by = ?)`, id, sess.Name, id, sess.Name).Scan(&n)
	if err != nil {
		return fmt.Errorf("enrollment %d: %w", id, err)
	}
	if n > 0 {
		if err := tx.audit(sess.Name, "access.denied", fmt.Sprintf("enrollment:%d", id), "own enrollment"); err != nil {
			return err
		}
		return &commitThen{fmt.Errorf("enrollment %d: %w", id, ErrOwnEnrollment)}
	}
	return nil
}

// Void ends a DRAFT enrollment and wipes its biometric data (the capture
// rows are deleted; secure_delete zeroes the freed pages).
func (s *Store) Void(ctx context.Context, sess *operator.Session, id int64, reason string) error {
	if err := s.authorize(ctx, sess, operator.ForTransition(enroll.Voided), fmt.Sprintf("enrollment:%d", id)); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		if _, err := tx.move(sess, id, enroll.Voided, reason); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM captures WHERE enrollment_id = ?`, id)
		if err != nil {
			return fmt.Errorf("void enrollment %d: %w", id, err)
		}
		n, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET captures = 0 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("void enrollment %d: %w", id, err)
		}
		return tx.audit(sess.Name, "biometric.wipe", fmt.Sprintf("enrollment:%d", id), fmt.Sprintf("captures=%d", n))
	})
}

// Enrollment returns an enrollment's record (no personal data: state and
// references only).
func (s *Store) Enrollment(ctx context.Context, sess *operator.Session, id int64) (Enrollment, error) {
	var e Enrollment
	if err := s.authorizeAny(ctx, sess, fmt.Sprintf("enrollment:%d", id)); err != nil {
		return e, err
	}
	row := s.r.QueryRowContext(ctx, `SELECT id, resident_id, state, captures, created_by, created_at, updated_at FROM enrollments WHERE id = ?`, id)
	e, err := scanEnrollment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("enrollment %d: %w", id, ErrNotFound)
	}
	return e, err
}

// Enrollments lists enrollments in state (all when state is ""), by id.
func (s *Store) Enrollments(ctx context.Context, sess *operator.Session, state enroll.State) ([]Enrollment, error) {
	if err := s.authorizeAny(ctx, sess, "enrollment:all"); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, resident_id, state, captures, created_by, created_at, updated_at FROM enrollments
		WHERE ? = '' OR state = ? ORDER BY id`, string(state), string(state))
	if err != nil {
		return nil, fmt.Errorf("list enrollments: %w", err)
	}
	defer rows.Close()
	var out []Enrollment
	for rows.Next() {
		e, err := scanEnrollment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// authorizeAny lets through the roles that work on enrollments: capture
// staff and the sync.
func (s *Store) authorizeAny(ctx context.Context, sess *operator.Session, obj string) error {
	if sess != nil && operator.Allowed(sess.Role, operator.EnrollmentSync) {
		return s.authorize(ctx, sess, operator.EnrollmentSync, obj)
	}
	return s.authorize(ctx, sess, operator.BiometricRead, obj)
}

func scanEnrollment(row scanner) (Enrollment, error) {
	var e Enrollment
	var st string
	var created, updated int64
	if err := row.Scan(&e.ID, &e.ResidentID, &st, &e.Captures, &e.CreatedBy, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, err
		}
		return e, fmt.Errorf("read enrollment: %w", err)
	}
	e.State, e.CreatedAt, e.UpdatedAt = enroll.State(st), fromNanos(created), fromNanos(updated)
	return e, nil
}

// Transitions returns an enrollment's history, oldest first, reasons
// decrypted. The read is audited.
func (s *Store) Transitions(ctx context.Context, sess *operator.Session, id int64) ([]enroll.Transition, error) {
	obj := fmt.Sprintf("enrollment:%d", id)
	if err := s.authorizeAny(ctx, sess, obj); err != nil {
		return nil, err
	}
	var out []enroll.Transition
	err := s.write(ctx, func(tx *wtx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, from_state, to_state, actor, at, reason FROM enrollment_transitions WHERE enrollment_id = ? ORDER BY id`, id)
		if err != nil {
			return fmt.Errorf("%s history: %w", obj, err)
		}
		defer rows.Close()
		for rows.Next() {
			var t enroll.Transition
			var tid, at int64
			var from, to string
			var reason []byte
			if err := rows.Scan(&tid, &from, &to, &t.Actor, &at, &reason); err != nil {
				return fmt.Errorf("%s history: %w", obj, err)
			}
			t.From, t.To, t.At = enroll.State(from), enroll.State(to), fromNanos(at)
			if reason != nil {
				p, err := s.open(reason, aad("transition-reason", tid))
				if err != nil {
					return fmt.Errorf("%s history: transition %d: %w", obj, tid, err)
				}
				t.Reason = string(p)
			}
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s history: %w", obj, err)
		}
		rows.Close()
		return tx.audit(sess.Name, "enrollment.history", obj, "")
	})
	return out, err
}
