package store

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// CaptureMeta describes one saved capture step. It is sealed with the blob:
// an exception reason (amputated, bandaged) is health data.
type CaptureMeta struct {
	// Format names the blob's layout, e.g. "iso19794-2", "wsq", "jpeg".
	Format string `json:"format,omitempty"`
	// Quality is the step's quality score on its modality's scale.
	Quality int `json:"quality,omitempty"`
	// Attempts is how many captures the step took.
	Attempts int `json:"attempts,omitempty"`
	// Exception, when set, says why the step has no biometric (e.g.
	// "amputated"); the blob may then be empty.
	Exception string `json:"exception,omitempty"`
	// Device identifies the capture device (model and serial).
	Device string `json:"device,omitempty"`
}

// Capture is one saved step of an enrollment, decrypted.
type Capture struct {
	Step    string      `json:"step"`
	Blob    []byte      `json:"blob"`
	Meta    CaptureMeta `json:"meta"`
	SavedBy string      `json:"saved_by"`
	SavedAt time.Time   `json:"saved_at"`
}

// MaxCaptureSize bounds one capture blob (a 500 ppi slap image is ~2 MB).
const MaxCaptureSize = 16 << 20

var stepRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,63}$`)

// SaveCapture stores one completed capture step of a DRAFT enrollment the
// moment it succeeds, encrypted. Saving a step again replaces it (a retry).
// The enrollment's capture count moves in the same transaction.
func (s *Store) SaveCapture(ctx context.Context, sess *operator.Session, enrollmentID int64, step string, blob []byte, meta CaptureMeta) error {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.BiometricWrite, obj); err != nil {
		return err
	}
	if !stepRE.MatchString(step) {
		return fmt.Errorf("save capture: step name %q: want lower-case letters, digits, '.', '_' or '-'", step)
	}
	if len(blob) > MaxCaptureSize {
		return fmt.Errorf("save capture %s: %d bytes, more than %d", step, len(blob), MaxCaptureSize)
	}
	if len(blob) == 0 && meta.Exception == "" {
		return fmt.Errorf("save capture %s: empty blob without an exception", step)
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("save capture %s: %w", step, err)
	}
	cb, err := s.seal(blob, aad("capture-blob", enrollmentID, step))
	if err != nil {
		return err
	}
	cm, err := s.seal(mj, aad("capture-meta", enrollmentID, step))
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		st, err := tx.state(enrollmentID)
		if err != nil {
			return err
		}
		if st != enroll.Draft {
			return fmt.Errorf("save capture: enrollment %d is %s; captures go into a DRAFT only", enrollmentID, st)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO captures (enrollment_id, step, blob, meta, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (enrollment_id, step) DO UPDATE SET blob = excluded.blob, meta = excluded.meta, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
			enrollmentID, step, cb, cm, sess.Name, nanos(s.now())); err != nil {
			return fmt.Errorf("save capture %s: %w", step, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET captures = (SELECT COUNT(*) FROM captures WHERE enrollment_id = ?), updated_at = ? WHERE id = ?`,
			enrollmentID, nanos(s.now()), enrollmentID); err != nil {
			return fmt.Errorf("save capture %s: %w", step, err)
		}
		return tx.audit(sess.Name, "biometric.save", obj, "step="+step)
	})
}

// Captures returns an enrollment's saved steps, decrypted, in step order.
// The read is audited.
func (s *Store) Captures(ctx context.Context, sess *operator.Session, enrollmentID int64) ([]Capture, error) {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.BiometricRead, obj); err != nil {
		return nil, err
	}
	var out []Capture
	err := s.write(ctx, func(tx *wtx) error {
		if _, err := tx.state(enrollmentID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT step, blob, meta, saved_by, saved_at FROM captures WHERE enrollment_id = ? ORDER BY step`, enrollmentID)
		if err != nil {
			return fmt.Errorf("read captures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c Capture
			var cb, cm []byte
			var at int64
			if err := rows.Scan(&c.Step, &cb, &cm, &c.SavedBy, &at); err != nil {
				return fmt.Errorf("read captures: %w", err)
			}
			if c.Blob, err = s.open(cb, aad("capture-blob", enrollmentID, c.Step)); err != nil {
				return fmt.Errorf("%s capture %s: %w", obj, c.Step, err)
			}
			mj, err := s.open(cm, aad("capture-meta", enrollmentID, c.Step))
			if err != nil {
				return fmt.Errorf("%s capture %s: %w", obj, c.Step, err)
			}
			if err := json.Unmarshal(mj, &c.Meta); err != nil {
				return fmt.Errorf("%s capture %s: meta: %w", obj, c.Step, err)
			}
			c.SavedAt = fromNanos(at)
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read captures: %w", err)
		}
		rows.Close()
		return tx.audit(sess.Name, "biometric.read", obj, fmt.Sprintf("n=%d", len(out)))
	})
	return out, err
}
