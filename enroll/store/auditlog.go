package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/enroll/audit"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// audit appends one entry to the chain inside the write transaction and
// moves the station's recorded head with it, so the entry and the audited
// write commit or vanish together.
func (tx *wtx) audit(actor, action, object, detail string) error {
	var h audit.Head
	err := tx.QueryRowContext(tx.ctx, `SELECT audit_seq, audit_hash, audit_mac FROM station WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit %s: %w", action, ErrNoStation)
	}
	if err != nil {
		return fmt.Errorf("audit %s: read head: %w", action, err)
	}
	e := audit.Entry{At: tx.s.now(), Actor: actor, Action: action, Object: object, Detail: detail}
	next, err := audit.NewChain(tx.s.akey, h).Next(&e)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(tx.ctx, `INSERT INTO audit_log (seq, at, actor, action, object, detail, prev, hash, mac)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, nanos(e.At), e.Actor, e.Action, e.Object, e.Detail, e.Prev, e.Hash, e.MAC); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE station SET audit_seq = ?, audit_hash = ?, audit_mac = ? WHERE id = 1`,
		next.Seq, next.Hash, next.MAC); err != nil {
		return fmt.Errorf("audit %s: move head: %w", action, err)
	}
	return nil
}

// VerifyAudit checks the whole audit chain against the station key and the
// recorded head. It returns how many entries it checked, and an
// *audit.BreakError naming the first bad entry when the chain is broken.
// The verification itself is then audited.
func (s *Store) VerifyAudit(ctx context.Context, sess *operator.Session) (int64, error) {
	if err := s.authorize(ctx, sess, operator.AuditRead, "audit:log"); err != nil {
		return 0, err
	}
	n, verr := s.verifyAudit(ctx)
	detail := "ok"
	if verr != nil {
		var be *audit.BreakError
		if !errors.As(verr, &be) {
			return n, verr
		}
		detail = fmt.Sprintf("broken at %d", be.Seq)
	}
	if err := s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, "audit.verify", "audit:log", detail)
	}); err != nil {
		return n, errors.Join(verr, err)
	}
	return n, verr
}

// verifyAudit reads the head and the entries in one read transaction.
func (s *Store) verifyAudit(ctx context.Context) (int64, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("verify audit: %w", err)
	}
	defer tx.Rollback()
	var h audit.Head
	if err := tx.QueryRowContext(ctx, `SELECT audit_seq, audit_hash, audit_mac FROM station WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.MAC); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrNoStation
		}
		return 0, fmt.Errorf("verify audit: read head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, object, detail, prev, hash, mac FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier(s.akey)
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return v.Count(), err
		}
		if err := v.Add(e); err != nil {
			return v.Count(), err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count(), fmt.Errorf("verify audit: %w", err)
	}
	return v.Count(), v.Finish(h)
}

func scanEntry(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.Prev, &e.Hash, &e.MAC); err != nil {
		return e, fmt.Errorf("read audit entry: %w", err)
	}
	e.At = fromNanos(at)
	return e, nil
}

// AuditLog returns up to limit entries after sequence number after, oldest
// first. Reading the log is itself audited.
func (s *Store) AuditLog(ctx context.Context, sess *operator.Session, after int64, limit int) ([]audit.Entry, error) {
	if err := s.authorize(ctx, sess, operator.AuditRead, "audit:log"); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, actor, action, object, detail, prev, hash, mac FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, "audit.read", "audit:log", fmt.Sprintf("after=%d,n=%d", after, len(out)))
	})
}
