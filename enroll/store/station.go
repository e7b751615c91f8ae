package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll/audit"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// Station is the recording station a database belongs to.
type Station struct {
	// ID is the station's identifier, e.g. "3211-01".
	ID string `json:"station_id"`
	// Kecamatan is the dotted code of the kecamatan the station serves.
	Kecamatan string    `json:"kecamatan"`
	CreatedAt time.Time `json:"created_at"`
}

var (
	stationIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	kecamatanRE = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$`)
)

// Check validates the station's identity fields.
func (st Station) Check() error {
	if !stationIDRE.MatchString(st.ID) {
		return fmt.Errorf("station id %q: want 1-64 letters, digits, '.', '_' or '-'", st.ID)
	}
	if !kecamatanRE.MatchString(st.Kecamatan) {
		return fmt.Errorf("kecamatan code %q: want the dotted form NN.NN.NN", st.Kecamatan)
	}
	return nil
}

// Bootstrap records the station and its first admin account in one
// transaction. It refuses a database that already has a station.
func (s *Store) Bootstrap(ctx context.Context, st Station, admin, password string) error {
	if err := st.Check(); err != nil {
		return fmt.Errorf("init station: %w", err)
	}
	hash, err := s.hashNew(admin, password)
	if err != nil {
		return fmt.Errorf("init station: %w", err)
	}
	return s.write(ctx, func(tx *wtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM station`).Scan(&n); err != nil {
			return fmt.Errorf("init station: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("init station: %w", ErrExists)
		}
		now := s.now()
		h := audit.NewChain(s.akey, audit.Head{}).Head()
		if _, err := tx.ExecContext(ctx, `INSERT INTO station (id, station_id, kecamatan, key_check, created_at, audit_seq, audit_hash, audit_mac)
			VALUES (1, ?, ?, ?, ?, 0, ?, x'')`, st.ID, st.Kecamatan, s.kcheck, nanos(now), h.Hash); err != nil {
			return fmt.Errorf("init station: %w", err)
		}
		if err := tx.audit("station", "station.init", "station:"+st.ID, "kecamatan="+st.Kecamatan); err != nil {
			return err
		}
		_, err := tx.insertOperator("station", admin, operator.RoleAdmin, hash)
		return err
	})
}

// Station returns the station this database belongs to.
func (s *Store) Station(ctx context.Context) (Station, error) {
	var st Station
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT station_id, kecamatan, created_at FROM station WHERE id = 1`).Scan(&st.ID, &st.Kecamatan, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNoStation
	}
	if err != nil {
		return st, fmt.Errorf("read station: %w", err)
	}
	st.CreatedAt = fromNanos(at)
	return st, nil
}

// checkKeys compares the stored key check with the one from the keys given
// to Open.
func (s *Store) checkKeys(ctx context.Context) error {
	var kc []byte
	err := s.r.QueryRowContext(ctx, `SELECT key_check FROM station WHERE id = 1`).Scan(&kc)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoStation
	}
	if err != nil {
		return fmt.Errorf("read station: %w", err)
	}
	if !hmac.Equal(kc, s.kcheck) {
		return ErrWrongKeys
	}
	return nil
}
