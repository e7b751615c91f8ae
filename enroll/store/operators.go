package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

// ErrLastAdmin: locking the account would leave no unlocked admin.
var ErrLastAdmin = errors.New("is the last unlocked admin: add another admin first")

// OperatorInfo is an account as listed to an admin (never the hash).
type OperatorInfo struct {
	ID        int64         `json:"id"`
	Name      string        `json:"name"`
	Role      operator.Role `json:"role"`
	Failures  int           `json:"failures"`
	Locked    bool          `json:"locked"`
	CreatedAt time.Time     `json:"created_at"`
	LastLogin *time.Time    `json:"last_login,omitempty"`
}

var operatorNameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// CheckOperatorName validates an account name: 2-32 characters, lower-case
// letters, digits, '.', '_' or '-', starting with a letter.
// The names "station", "unknown" and "sync" are reserved: the audit log
// uses them for the station itself, failed logins of unknown accounts, and
// the unattended sync.
func CheckOperatorName(name string) error {
	if !operatorNameRE.MatchString(name) {
		return fmt.Errorf("operator name %q: want 2-32 lower-case letters, digits, '.', '_' or '-', starting with a letter", name)
	}
	switch name {
	case "station", "unknown", "sync":
		return fmt.Errorf("operator name %q is reserved", name)
	}
	return nil
}

// hashNew validates a new account's name and password and hashes the
// password (outside any transaction: argon2id is slow on purpose).
func (s *Store) hashNew(name, password string) (string, error) {
	if err := CheckOperatorName(name); err != nil {
		return "", err
	}
	return operator.HashPassword(password, s.opt.HashParams)
}

func (tx *wtx) insertOperator(actor, name string, role operator.Role, hash string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(tx.ctx, `INSERT INTO operators (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO NOTHING RETURNING id`, name, string(role), hash, nanos(tx.s.now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("operator %s: %w", name, ErrExists)
	}
	if err != nil {
		return 0, fmt.Errorf("add operator %s: %w", name, err)
	}
	return id, tx.audit(actor, "operator.add", fmt.Sprintf("operator:%d", id), "role="+string(role))
}

// AddOperator creates an account; only an admin may.
func (s *Store) AddOperator(ctx context.Context, sess *operator.Session, name string, role operator.Role, password string) (int64, error) {
	if err := s.authorize(ctx, sess, operator.OperatorManage, "operator:new"); err != nil {
		return 0, err
	}
	if _, err := operator.ParseRole(string(role)); err != nil {
		return 0, err
	}
	hash, err := s.hashNew(name, password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(tx *wtx) error {
		id, err = tx.insertOperator(sess.Name, name, role, hash)
		return err
	})
	return id, err
}

// Operators lists every account; only an admin may.
func (s *Store) Operators(ctx context.Context, sess *operator.Session) ([]OperatorInfo, error) {
	if err := s.authorize(ctx, sess, operator.OperatorManage, "operator:all"); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role, failures, locked, created_at, last_login FROM operators ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	defer rows.Close()
	var out []OperatorInfo
	for rows.Next() {
		var o OperatorInfo
		var created int64
		var last sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Name, &o.Role, &o.Failures, &o.Locked, &created, &last); err != nil {
			return nil, fmt.Errorf("list operators: %w", err)
		}
		o.CreatedAt = fromNanos(created)
		if last.Valid {
			t := fromNanos(last.Int64)
			o.LastLogin = &t
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetLocked locks or unlocks an account (unlocking clears its failure
// count); only an admin may. The last unlocked admin cannot be locked.
func (s *Store) SetLocked(ctx context.Context, sess *operator.Session, name string, locked bool) error {
	if err := CheckOperatorName(name); err != nil {
		return fmt.Errorf("operator %q: %w", name, ErrNotFound)
	}
	if err := s.authorize(ctx, sess, operator.OperatorManage, "operator:"+name); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		var id int64
		var role string
		err := tx.QueryRowContext(ctx, `SELECT id, role FROM operators WHERE name = ?`, name).Scan(&id, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("operator %s: %w", name, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("operator %s: %w", name, err)
		}
		if locked && role == string(operator.RoleAdmin) {
			var admins int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM operators WHERE role = 'admin' AND locked = 0 AND id != ?`, id).Scan(&admins); err != nil {
				return fmt.Errorf("operator %s: %w", name, err)
			}
			if admins == 0 {
				return fmt.Errorf("operator %s: %w", name, ErrLastAdmin)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET locked = ?, failures = CASE WHEN ? THEN failures ELSE 0 END WHERE id = ?`, locked, locked, id); err != nil {
			return fmt.Errorf("operator %s: %w", name, err)
		}
		action := "operator.unlock"
		if locked {
			action = "operator.lock"
		}
		return tx.audit(sess.Name, action, fmt.Sprintf("operator:%d", id), "")
	})
}

// Login checks an operator's password and starts a session. Every attempt,
// good or bad, is audited; after Policy.LockoutAfter consecutive failures
// the account locks. Failures return ErrLogin or ErrLocked and are
// committed (the failure count must survive the error).
func (s *Store) Login(ctx context.Context, name, password string) (*operator.Session, error) {
	var id int64
	var role, hash string
	var locked bool
	err := s.r.QueryRowContext(ctx, `SELECT id, role, password_hash, locked FROM operators WHERE name = ?`, name).Scan(&id, &role, &hash, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		if werr := s.write(ctx, func(tx *wtx) error {
			return tx.audit("unknown", "login.fail", "", "no such account")
		}); werr != nil {
			return nil, werr
		}
		return nil, ErrLogin
	}
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	obj := fmt.Sprintf("operator:%d", id)
	if role != string(operator.RoleAdmin) && s.operatorListExpired(ctx) {
		if werr := s.write(ctx, func(tx *wtx) error { return tx.audit(name, "login.refused", obj, "operator list expired") }); werr != nil {
			return nil, werr
		}
		return nil, fmt.Errorf("%s: %w", name, ErrOperatorListExpired)
	}
	if locked {
		if werr := s.write(ctx, func(tx *wtx) error { return tx.audit(name, "login.locked", obj, "") }); werr != nil {
			return nil, werr
		}
		return nil, fmt.Errorf("%s: %w", name, ErrLocked)
	}
	ok, verr := operator.VerifyPassword(password, hash)
	if verr != nil {
		return nil, fmt.Errorf("login %s: stored hash: %w", name, verr)
	}
	err = s.write(ctx, func(tx *wtx) error {
		if ok {
			// Re-check the lock inside the transaction: an admin may have
			// locked the account while the password was being checked.
			res, err := tx.ExecContext(ctx, `UPDATE operators SET failures = 0, last_login = ? WHERE id = ? AND locked = 0`, nanos(s.now()), id)
			if err != nil {
				return fmt.Errorf("login: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				if err := tx.audit(name, "login.locked", obj, ""); err != nil {
					return err
				}
				return &commitThen{fmt.Errorf("%s: %w", name, ErrLocked)}
			}
			return tx.audit(name, "login.ok", obj, "")
		}
		return s.addFailure(tx, id, name, "login.fail")
	})
	if err != nil {
		return nil, err
	}
	return operator.NewSession(id, name, operator.Role(role), s.opt.Policy.IdleTimeout, s.now()), nil
}

// addFailure counts a wrong password against account id inside tx and
// audits it as action (detail "failures=N"); at Policy.LockoutAfter
// failures the account is locked (audited "operator.lock"). It returns a
// *commitThen carrying ErrLogin, or ErrLocked once locked, or the error
// that stopped it.
func (s *Store) addFailure(tx *wtx, id int64, name, action string) error {
	obj := fmt.Sprintf("operator:%d", id)
	var failures int
	if err := tx.QueryRowContext(tx.ctx, `UPDATE operators SET failures = failures + 1 WHERE id = ? RETURNING failures`, id).Scan(&failures); err != nil {
		return fmt.Errorf("%s: count failure: %w", name, err)
	}
	result := ErrLogin
	if err := tx.audit(name, action, obj, fmt.Sprintf("failures=%d", failures)); err != nil {
		return err
	}
	if failures >= s.opt.Policy.LockoutAfter {
		result = fmt.Errorf("%s: %d failed logins: %w", name, failures, ErrLocked)
		if _, err := tx.ExecContext(tx.ctx, `UPDATE operators SET locked = 1 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("%s: lock: %w", name, err)
		}
		if err := tx.audit("station", "operator.lock", obj, fmt.Sprintf("after %d failures", failures)); err != nil {
			return err
		}
	}
	return &commitThen{result}
}

// SystemSession is the session of the station's own unattended jobs (the
// nightly sync). It has the system role and cannot log in with a password.
func (s *Store) SystemSession(job string) *operator.Session {
	return operator.NewSession(0, job, operator.RoleSystem, 0, s.now())
}
