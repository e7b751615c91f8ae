package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// ResidentRecord is a stored resident.
type ResidentRecord struct {
	ID        int64           `json:"id"`
	Resident  enroll.Resident `json:"resident"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// AddResident stores a resident's biodata, encrypted, findable by NIK
// through the blind index. Validation is the caller's: the store only
// insists on a NIK. A NIK already stored gives ErrExists.
func (s *Store) AddResident(ctx context.Context, sess *operator.Session, r enroll.Resident) (int64, error) {
	if err := s.authorize(ctx, sess, operator.ResidentWrite, "resident:new"); err != nil {
		return 0, err
	}
	if r.NIK == "" {
		return 0, errors.New("add resident: empty NIK")
	}
	plain, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("add resident: %w", err)
	}
	var id int64
	err = s.write(ctx, func(tx *wtx) error {
		now := nanos(s.now())
		err := tx.QueryRowContext(ctx, `INSERT INTO residents (nik_index, biodata, created_at, updated_at) VALUES (?, x'', ?, ?)
			ON CONFLICT (nik_index) DO NOTHING RETURNING id`, s.nikIndex(r.NIK), now, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("add resident: NIK %w", ErrExists)
		}
		if err != nil {
			return fmt.Errorf("add resident: %w", err)
		}
		if err := tx.putBiodata(id, plain); err != nil {
			return err
		}
		return tx.audit(sess.Name, "resident.add", fmt.Sprintf("resident:%d", id), "")
	})
	return id, err
}

// UpdateResident replaces a resident's biodata; the NIK may not change.
func (s *Store) UpdateResident(ctx context.Context, sess *operator.Session, id int64, r enroll.Resident) error {
	obj := fmt.Sprintf("resident:%d", id)
	if err := s.authorize(ctx, sess, operator.ResidentWrite, obj); err != nil {
		return err
	}
	plain, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("update resident: %w", err)
	}
	return s.write(ctx, func(tx *wtx) error {
		var idx []byte
		err := tx.QueryRowContext(ctx, `SELECT nik_index FROM residents WHERE id = ?`, id).Scan(&idx)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("update %s: %w", obj, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("update %s: %w", obj, err)
		}
		if string(idx) != string(s.nikIndex(r.NIK)) {
			return fmt.Errorf("update %s: the NIK of a stored resident cannot change", obj)
		}
		if err := tx.putBiodata(id, plain); err != nil {
			return err
		}
		return tx.audit(sess.Name, "resident.update", obj, "")
	})
}

func (tx *wtx) putBiodata(id int64, plain []byte) error {
	ct, err := tx.s.seal(plain, aad("resident", id))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE residents SET biodata = ?, updated_at = ? WHERE id = ?`, ct, nanos(tx.s.now()), id); err != nil {
		return fmt.Errorf("store resident %d: %w", id, err)
	}
	return nil
}

// ResidentByNIK finds a resident by NIK. The read is audited.
func (s *Store) ResidentByNIK(ctx context.Context, sess *operator.Session, nik string) (ResidentRecord, error) {
	return s.readResident(ctx, sess, `nik_index = ?`, s.nikIndex(nik), "resident:by-nik")
}

// Resident returns the resident with a row id. The read is audited.
func (s *Store) Resident(ctx context.Context, sess *operator.Session, id int64) (ResidentRecord, error) {
	return s.readResident(ctx, sess, `id = ?`, id, fmt.Sprintf("resident:%d", id))
}

func (s *Store) readResident(ctx context.Context, sess *operator.Session, where string, arg any, obj string) (ResidentRecord, error) {
	var rec ResidentRecord
	if err := s.authorize(ctx, sess, operator.ResidentRead, obj); err != nil {
		return rec, err
	}
	err := s.write(ctx, func(tx *wtx) error {
		row := tx.QueryRowContext(ctx, `SELECT id, biodata, created_at, updated_at FROM residents WHERE `+where, arg)
		var err error
		rec, err = s.scanResident(row)
		if errors.Is(err, sql.ErrNoRows) {
			if aerr := tx.audit(sess.Name, "resident.read", obj, "not found"); aerr != nil {
				return aerr
			}
			return &commitThen{fmt.Errorf("resident: %w", ErrNotFound)}
		}
		if err != nil {
			return err
		}
		return tx.audit(sess.Name, "resident.read", fmt.Sprintf("resident:%d", rec.ID), "")
	})
	return rec, err
}

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanResident(row scanner) (ResidentRecord, error) {
	var rec ResidentRecord
	var ct []byte
	var created, updated int64
	if err := row.Scan(&rec.ID, &ct, &created, &updated); err != nil {
		return rec, err
	}
	plain, err := s.open(ct, aad("resident", rec.ID))
	if err != nil {
		return rec, fmt.Errorf("resident %d: %w", rec.ID, err)
	}
	if err := json.Unmarshal(plain, &rec.Resident); err != nil {
		return rec, fmt.Errorf("resident %d: decode biodata: %w", rec.ID, err)
	}
	rec.CreatedAt, rec.UpdatedAt = fromNanos(created), fromNanos(updated)
	return rec, nil
}

// Residents returns every stored resident, decrypted, in id order. The
// listing is audited as one entry.
func (s *Store) Residents(ctx context.Context, sess *operator.Session) ([]ResidentRecord, error) {
	if err := s.authorize(ctx, sess, operator.ResidentRead, "resident:all"); err != nil {
		return nil, err
	}
	var out []ResidentRecord
	err := s.write(ctx, func(tx *wtx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, biodata, created_at, updated_at FROM residents ORDER BY id`)
		if err != nil {
			return fmt.Errorf("list residents: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			rec, err := s.scanResident(rows)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list residents: %w", err)
		}
		rows.Close()
		return tx.audit(sess.Name, "resident.list", "resident:all", fmt.Sprintf("n=%d", len(out)))
	})
	return out, err
}
