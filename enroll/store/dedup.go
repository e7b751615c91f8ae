package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// Gallery sources.
const (
	// GalleryLocal marks templates of the station's own enrollments.
	GalleryLocal = "local"
	// GalleryCentral marks templates from the centre's kecamatan gallery.
	GalleryCentral = "central"
)

// Adjudication verdicts and case states.
const (
	CaseOpen         = "open"
	CaseDuplicate    = "duplicate"
	CaseNotDuplicate = "not_duplicate"
)

// ErrSelfAdjudication: a supervisor tried to decide a duplicate case of an
// enrollment they created or captured.
var ErrSelfAdjudication = errors.New("a duplicate case cannot be decided by the operator who captured the enrollment")

// ErrOpenDedupCase: an enrollment with an undecided duplicate case cannot
// be approved around it; the case's verdict moves it (DecideDedupCase).
var ErrOpenDedupCase = errors.New("the enrollment has an undecided duplicate case: adjudicate the case instead")

// checkNoOpenCase refuses approving an enrollment whose duplicate case is
// still open.
func (tx *wtx) checkNoOpenCase(enrollmentID int64) error {
	var n int
	if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM dedup_cases WHERE enrollment_id = ? AND status = ?`, enrollmentID, CaseOpen).Scan(&n); err != nil {
		return fmt.Errorf("enrollment %d: %w", enrollmentID, err)
	}
	if n > 0 {
		return fmt.Errorf("enrollment %d: %w", enrollmentID, ErrOpenDedupCase)
	}
	return nil
}

// GalleryRecord is one identity's dedup templates as the store holds them:
// an encoded template set (enroll/dedup/index.Entry: templates and the
// first-stage codes derived from them), no image, no biodata.
type GalleryRecord struct {
	// RecordID is the gallery id: "enr:<id>" for the station's own
	// enrollments, the centre's opaque id for its gallery.
	RecordID string
	// Source is GalleryLocal or GalleryCentral.
	Source string
	// EnrollmentID is the local enrollment (0 for central records).
	EnrollmentID int64
	// Templates is the encoded template set.
	Templates []byte
}

var recordIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$`)

// MaxGalleryTemplates bounds one record's template set.
const MaxGalleryTemplates = 64 << 10

func (r GalleryRecord) check() error {
	if !recordIDRE.MatchString(r.RecordID) {
		return fmt.Errorf("gallery record id %q: want 1–128 letters, digits, ':', '.', '_' or '-'", r.RecordID)
	}
	if r.Source != GalleryLocal && r.Source != GalleryCentral {
		return fmt.Errorf("gallery record %s: unknown source %q", r.RecordID, r.Source)
	}
	if len(r.Templates) == 0 || len(r.Templates) > MaxGalleryTemplates {
		return fmt.Errorf("gallery record %s: %d template bytes, want 1–%d", r.RecordID, len(r.Templates), MaxGalleryTemplates)
	}
	return nil
}

func (tx *wtx) putGallery(r GalleryRecord) error {
	if err := r.check(); err != nil {
		return err
	}
	ct, err := tx.s.seal(r.Templates, aad("dedup-templates", r.RecordID))
	if err != nil {
		return err
	}
	var eid any
	if r.EnrollmentID != 0 {
		eid = r.EnrollmentID
	}
	if _, err := tx.ExecContext(tx.ctx, `INSERT INTO dedup_gallery (record_id, source, enrollment_id, templates, added_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (record_id) DO UPDATE SET source = excluded.source, enrollment_id = excluded.enrollment_id, templates = excluded.templates, added_at = excluded.added_at`,
		r.RecordID, r.Source, eid, ct, nanos(tx.s.now())); err != nil {
		return fmt.Errorf("store gallery record %s: %w", r.RecordID, err)
	}
	return nil
}

// PutGalleryRecords adds or replaces gallery records (the station's own
// enrollments as they are sealed, or a benchmark's gallery) in one
// transaction, audited as one entry. Needs the sync permission.
func (s *Store) PutGalleryRecords(ctx context.Context, sess *operator.Session, recs []GalleryRecord) error {
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "dedup:gallery"); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		for _, r := range recs {
			if err := tx.putGallery(r); err != nil {
				return err
			}
		}
		return tx.audit(sess.Name, "dedup.gallery.put", "dedup:gallery", fmt.Sprintf("n=%d", len(recs)))
	})
}

// ReplaceCentralGallery replaces every central record with recs (the
// centre's latest kecamatan gallery) in one transaction; the station's own
// records stay. Every record must have the central source.
func (s *Store) ReplaceCentralGallery(ctx context.Context, sess *operator.Session, recs []GalleryRecord) error {
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "dedup:gallery"); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM dedup_gallery WHERE source = ?`, GalleryCentral)
		if err != nil {
			return fmt.Errorf("replace central gallery: %w", err)
		}
		old, _ := res.RowsAffected()
		for _, r := range recs {
			if r.Source != GalleryCentral {
				return fmt.Errorf("replace central gallery: record %s has source %q", r.RecordID, r.Source)
			}
			if err := tx.putGallery(r); err != nil {
				return err
			}
		}
		return tx.audit(sess.Name, "dedup.gallery.import", "dedup:gallery", fmt.Sprintf("removed=%d added=%d", old, len(recs)))
	})
}

// GalleryRecords calls fn with every gallery record, decrypted, in record
// id order (the start-up load of the in-memory index). The load is audited
// as one entry. fn must not call back into the store.
func (s *Store) GalleryRecords(ctx context.Context, sess *operator.Session, fn func(GalleryRecord) error) (int, error) {
	if err := s.authorizeAny(ctx, sess, "dedup:gallery"); err != nil {
		return 0, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT record_id, source, COALESCE(enrollment_id, 0), templates FROM dedup_gallery ORDER BY record_id`)
	if err != nil {
		return 0, fmt.Errorf("load gallery: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r GalleryRecord
		var ct []byte
		if err := rows.Scan(&r.RecordID, &r.Source, &r.EnrollmentID, &ct); err != nil {
			return n, fmt.Errorf("load gallery: %w", err)
		}
		if r.Templates, err = s.open(ct, aad("dedup-templates", r.RecordID)); err != nil {
			return n, fmt.Errorf("load gallery record %s: %w", r.RecordID, err)
		}
		if err := fn(r); err != nil {
			return n, fmt.Errorf("load gallery record %s: %w", r.RecordID, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("load gallery: %w", err)
	}
	rows.Close()
	return n, s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, "dedup.gallery.load", "dedup:gallery", fmt.Sprintf("n=%d", n))
	})
}

// ResidentEnrollments lists a resident's enrollments by id (states and
// references only, no personal data).
func (s *Store) ResidentEnrollments(ctx context.Context, sess *operator.Session, residentID int64) ([]Enrollment, error) {
	if err := s.authorizeAny(ctx, sess, fmt.Sprintf("resident:%d", residentID)); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, resident_id, state, captures, created_by, created_at, updated_at FROM enrollments
		WHERE resident_id = ? ORDER BY id`, residentID)
	if err != nil {
		return nil, fmt.Errorf("resident %d enrollments: %w", residentID, err)
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

// Supersede records that enrollment newID re-records the resident after the
// centre refused oldID (ENROLL_FAILURE_AT_CENTRAL). Both must belong to the
// same resident and newID must still be in capture (DRAFT or BIO_CAPTURED).
func (s *Store) Supersede(ctx context.Context, sess *operator.Session, newID, oldID int64) error {
	obj := fmt.Sprintf("enrollment:%d", newID)
	if err := s.authorize(ctx, sess, operator.BiometricWrite, obj); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		var nres, ores int64
		var nst, ost string
		if err := tx.QueryRowContext(ctx, `SELECT resident_id, state FROM enrollments WHERE id = ?`, newID).Scan(&nres, &nst); err != nil {
			return fmt.Errorf("supersede: %s: %w", obj, notFound(err))
		}
		if err := tx.QueryRowContext(ctx, `SELECT resident_id, state FROM enrollments WHERE id = ?`, oldID).Scan(&ores, &ost); err != nil {
			return fmt.Errorf("supersede: enrollment %d: %w", oldID, notFound(err))
		}
		if nres != ores {
			return fmt.Errorf("supersede: enrollments %d and %d belong to different residents", newID, oldID)
		}
		if enroll.State(ost) != enroll.EnrollFailureAtCentral {
			return fmt.Errorf("supersede: enrollment %d is %s, not %s", oldID, ost, enroll.EnrollFailureAtCentral)
		}
		if st := enroll.State(nst); st != enroll.Draft && st != enroll.BioCaptured {
			return fmt.Errorf("supersede: %s is %s, past capture", obj, st)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET supersedes = ? WHERE id = ?`, oldID, newID); err != nil {
			return fmt.Errorf("supersede: %w", err)
		}
		return tx.audit(sess.Name, "enrollment.supersede", obj, fmt.Sprintf("old=%d", oldID))
	})
}

// Superseded returns the enrollment that id re-records (0 when none).
func (s *Store) Superseded(ctx context.Context, sess *operator.Session, id int64) (int64, error) {
	if err := s.authorizeAny(ctx, sess, fmt.Sprintf("enrollment:%d", id)); err != nil {
		return 0, err
	}
	var old sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT supersedes FROM enrollments WHERE id = ?`, id).Scan(&old); err != nil {
		return 0, fmt.Errorf("enrollment %d: %w", id, notFound(err))
	}
	return old.Int64, nil
}

// DedupCase is an adjudication case.
type DedupCase struct {
	ID           int64  `json:"id"`
	EnrollmentID int64  `json:"enrollment_id"`
	Decision     string `json:"decision"`
	// Candidates is the search's result as the dedup package encoded it
	// (sealed at rest).
	Candidates []byte    `json:"candidates,omitempty"`
	Status     string    `json:"status"`
	OpenedBy   string    `json:"opened_by"`
	OpenedAt   time.Time `json:"opened_at"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	DecidedAt  time.Time `json:"decided_at,omitzero"`
	Reason     string    `json:"reason,omitempty"`
}

// OpenDedupCase opens an adjudication case for an enrollment whose search
// decided review or duplicate, and moves the enrollment BIO_CAPTURED →
// REVIEW in the same transaction.
func (s *Store) OpenDedupCase(ctx context.Context, sess *operator.Session, enrollmentID int64, decision string, candidates []byte) (int64, error) {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.BiometricWrite, obj); err != nil {
		return 0, err
	}
	if decision != "review" && decision != "duplicate" {
		return 0, fmt.Errorf("open dedup case: decision %q: want review or duplicate", decision)
	}
	var id int64
	err := s.write(ctx, func(tx *wtx) error {
		st, err := tx.state(enrollmentID)
		if err != nil {
			return err
		}
		if st != enroll.Review {
			if _, err := tx.move(sess, enrollmentID, enroll.Review, ""); err != nil {
				return fmt.Errorf("open dedup case: %w", err)
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO dedup_cases (enrollment_id, decision, candidates, opened_by, opened_at)
			VALUES (?, ?, x'', ?, ?) RETURNING id`, enrollmentID, decision, sess.Name, nanos(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("open dedup case: %w", err)
		}
		ct, err := s.seal(candidates, aad("dedup-candidates", id))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dedup_cases SET candidates = ? WHERE id = ?`, ct, id); err != nil {
			return fmt.Errorf("open dedup case: %w", err)
		}
		return tx.audit(sess.Name, "dedup.case.open", fmt.Sprintf("dedup_case:%d", id), fmt.Sprintf("enrollment=%d decision=%s", enrollmentID, decision))
	})
	return id, err
}

// DedupCases lists cases in status (all when ""), by id, without their
// candidate lists.
func (s *Store) DedupCases(ctx context.Context, sess *operator.Session, status string) ([]DedupCase, error) {
	if err := s.authorize(ctx, sess, operator.BiometricRead, "dedup_case:all"); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, enrollment_id, decision, status, opened_by, opened_at, decided_by, decided_at FROM dedup_cases
		WHERE ? = '' OR status = ? ORDER BY id`, status, status)
	if err != nil {
		return nil, fmt.Errorf("list dedup cases: %w", err)
	}
	defer rows.Close()
	var out []DedupCase
	for rows.Next() {
		var c DedupCase
		var opened, decided int64
		if err := rows.Scan(&c.ID, &c.EnrollmentID, &c.Decision, &c.Status, &c.OpenedBy, &opened, &c.DecidedBy, &decided); err != nil {
			return nil, fmt.Errorf("list dedup cases: %w", err)
		}
		c.OpenedAt = fromNanos(opened)
		if decided != 0 {
			c.DecidedAt = fromNanos(decided)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DedupCaseByID reads one case with its candidates and reason decrypted.
// The read is audited.
func (s *Store) DedupCaseByID(ctx context.Context, sess *operator.Session, id int64) (DedupCase, error) {
	obj := fmt.Sprintf("dedup_case:%d", id)
	var c DedupCase
	if err := s.authorize(ctx, sess, operator.BiometricRead, obj); err != nil {
		return c, err
	}
	err := s.write(ctx, func(tx *wtx) error {
		var cand, reason []byte
		var opened, decided int64
		err := tx.QueryRowContext(ctx, `SELECT id, enrollment_id, decision, candidates, status, opened_by, opened_at, decided_by, decided_at, reason
			FROM dedup_cases WHERE id = ?`, id).Scan(&c.ID, &c.EnrollmentID, &c.Decision, &cand, &c.Status, &c.OpenedBy, &opened, &c.DecidedBy, &decided, &reason)
		if err != nil {
			return fmt.Errorf("%s: %w", obj, notFound(err))
		}
		if c.Candidates, err = s.open(cand, aad("dedup-candidates", id)); err != nil {
			return fmt.Errorf("%s candidates: %w", obj, err)
		}
		if reason != nil {
			p, err := s.open(reason, aad("dedup-reason", id))
			if err != nil {
				return fmt.Errorf("%s reason: %w", obj, err)
			}
			c.Reason = string(p)
		}
		c.OpenedAt = fromNanos(opened)
		if decided != 0 {
			c.DecidedAt = fromNanos(decided)
		}
		return tx.audit(sess.Name, "dedup.case.read", obj, "")
	})
	return c, err
}

// DecideDedupCase records a supervisor's verdict on an open case and moves
// the enrollment in the same transaction: not_duplicate → APPROVED,
// duplicate → REJECTED (a reason is then required). The supervisor may not
// be the operator who created the enrollment or saved any of its captures;
// such an attempt is refused with ErrSelfAdjudication and audited.
func (s *Store) DecideDedupCase(ctx context.Context, sess *operator.Session, id int64, verdict, reason string) error {
	obj := fmt.Sprintf("dedup_case:%d", id)
	if err := s.authorize(ctx, sess, operator.EnrollmentDecide, obj); err != nil {
		return err
	}
	to := enroll.Approved
	switch verdict {
	case CaseNotDuplicate:
	case CaseDuplicate:
		to = enroll.Rejected
		if reason == "" {
			return fmt.Errorf("decide %s: a duplicate verdict needs a reason", obj)
		}
	default:
		return fmt.Errorf("decide %s: verdict %q: want %s or %s", obj, verdict, CaseDuplicate, CaseNotDuplicate)
	}
	return s.write(ctx, func(tx *wtx) error {
		var eid int64
		var status string
		err := tx.QueryRowContext(ctx, `SELECT enrollment_id, status FROM dedup_cases WHERE id = ?`, id).Scan(&eid, &status)
		if err != nil {
			return fmt.Errorf("decide %s: %w", obj, notFound(err))
		}
		if status != CaseOpen {
			return fmt.Errorf("decide %s: already decided (%s)", obj, status)
		}
		var own int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM enrollments WHERE id = ?1 AND created_by = ?2)
			+ (SELECT COUNT(*) FROM captures WHERE enrollment_id = ?1 AND saved_by = ?2)`, eid, sess.Name).Scan(&own); err != nil {
			return fmt.Errorf("decide %s: %w", obj, err)
		}
		if own > 0 {
			if err := tx.audit(sess.Name, "access.denied", obj, "dedup.decide: captured by the same operator"); err != nil {
				return err
			}
			return &commitThen{fmt.Errorf("decide %s: %w", obj, ErrSelfAdjudication)}
		}
		var rct []byte
		if reason != "" {
			if rct, err = s.seal([]byte(reason), aad("dedup-reason", id)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dedup_cases SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ?`,
			verdict, sess.Name, nanos(s.now()), rct, id); err != nil {
			return fmt.Errorf("decide %s: %w", obj, err)
		}
		if _, err := tx.move(sess, eid, to, reason); err != nil {
			return fmt.Errorf("decide %s: %w", obj, err)
		}
		return tx.audit(sess.Name, "dedup.case.decide", obj, fmt.Sprintf("enrollment=%d verdict=%s", eid, verdict))
	})
}
