package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll/audit"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// MaxAuditPage is the largest page AuditQuery returns.
const MaxAuditPage = 500

// AuditFilter selects audit entries for the viewer; zero fields match all.
type AuditFilter struct {
	// From and To bound the entry time: From ≤ at < To.
	From, To time.Time
	// Actor and Action match exactly.
	Actor, Action string
	// Page (from 0) and PageSize (1..MaxAuditPage) page the matches,
	// newest first.
	Page, PageSize int
}

// AuditPage is one page of matching entries, newest first.
type AuditPage struct {
	Entries []audit.Entry
	// Total is how many entries match the filter.
	Total int
	// Page and PageSize echo the (clamped) request.
	Page, PageSize int
}

// Pages is how many pages the matches fill (at least 1).
func (p AuditPage) Pages() int {
	if p.PageSize <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.PageSize - 1) / p.PageSize
}

// where builds the filter's SQL condition and arguments.
func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	if !f.From.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, nanos(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, nanos(f.To))
	}
	if f.Actor != "" {
		conds, args = append(conds, "actor = ?"), append(args, f.Actor)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// detail describes the filter for the audit entry of the read: which
// fields were set, never their values beyond codes and dates.
func (f AuditFilter) detail(n int) string {
	d := fmt.Sprintf("page=%d,n=%d", f.Page, n)
	if !f.From.IsZero() {
		d += ",from=" + f.From.UTC().Format("20060102")
	}
	if !f.To.IsZero() {
		d += ",to=" + f.To.UTC().Format("20060102")
	}
	if f.Actor != "" {
		d += ",actor"
	}
	if f.Action != "" && (&audit.Entry{Actor: "x", Action: f.Action}).Check() == nil {
		d += ",action=" + f.Action
	}
	return d
}

// AuditQuery returns one page of the audit entries matching f, newest
// first, for the roles that may read the log. The read is itself audited
// (action "audit.read"), like AuditLog.
func (s *Store) AuditQuery(ctx context.Context, sess *operator.Session, f AuditFilter) (AuditPage, error) {
	if err := s.authorize(ctx, sess, operator.AuditRead, "audit:log"); err != nil {
		return AuditPage{}, err
	}
	if f.PageSize <= 0 || f.PageSize > MaxAuditPage {
		f.PageSize = MaxAuditPage
	}
	f.Page = max(f.Page, 0)
	page := AuditPage{Page: f.Page, PageSize: f.PageSize}
	where, args := f.where()
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return page, fmt.Errorf("query audit log: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("query audit log: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, object, detail, prev, hash, mac FROM audit_log`+where+
		` ORDER BY seq DESC LIMIT ? OFFSET ?`, append(args, f.PageSize, f.Page*f.PageSize)...)
	if err != nil {
		return page, fmt.Errorf("query audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return page, err
		}
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("query audit log: %w", err)
	}
	return page, s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, "audit.read", "audit:log", f.detail(len(page.Entries)))
	})
}

// AuditFacets lists the distinct actors and actions in the log, for the
// viewer's filter choices; only the roles that may read the log may, and
// the read is audited like AuditQuery's ("audit.read", detail "facets").
func (s *Store) AuditFacets(ctx context.Context, sess *operator.Session) (actors, actions []string, err error) {
	if err := s.authorize(ctx, sess, operator.AuditRead, "audit:log"); err != nil {
		return nil, nil, err
	}
	for _, q := range []struct {
		col string
		out *[]string
	}{{"actor", &actors}, {"action", &actions}} {
		rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT `+q.col+` FROM audit_log ORDER BY 1`)
		if err != nil {
			return nil, nil, fmt.Errorf("audit facets: %w", err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("audit facets: %w", err)
			}
			*q.out = append(*q.out, v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("audit facets: %w", err)
		}
	}
	if err := s.write(ctx, func(tx *wtx) error { return tx.audit(sess.Name, "audit.read", "audit:log", "facets") }); err != nil {
		return nil, nil, err
	}
	return actors, actions, nil
}
