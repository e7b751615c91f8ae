package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// SQLBackend is a Backend over database/sql: the embedded SQLite store by
// default, PostgreSQL for a national deployment. Queries use $n
// placeholders, numbered in order of appearance, which both accept.
type SQLBackend struct {
	db       *sql.DB
	postgres bool
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS stations (
		id TEXT PRIMARY KEY,
		kecamatan TEXT NOT NULL,
		token_hash TEXT NOT NULL DEFAULT '',
		cert_fp TEXT NOT NULL DEFAULT '',
		signing_key BYTEA,
		registered_at BIGINT NOT NULL DEFAULT 0,
		revoked INTEGER NOT NULL DEFAULT 0,
		last_contact BIGINT NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS packets (
		name TEXT PRIMARY KEY,
		station_id TEXT NOT NULL REFERENCES stations(id),
		enrollment_id TEXT NOT NULL,
		size BIGINT NOT NULL,
		state TEXT NOT NULL,
		receipt TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL DEFAULT '',
		serial BIGINT,
		received_at BIGINT NOT NULL DEFAULT 0)`,
	`CREATE UNIQUE INDEX IF NOT EXISTS packets_one_received ON packets(station_id, enrollment_id) WHERE state = 'received'`,
	`CREATE UNIQUE INDEX IF NOT EXISTS packets_serial ON packets(serial)`,
	`CREATE TABLE IF NOT EXISTS statuses (
		seq SERIALPK,
		station_id TEXT NOT NULL,
		enrollment_id TEXT NOT NULL,
		packet TEXT NOT NULL,
		status TEXT NOT NULL,
		reason TEXT NOT NULL DEFAULT '',
		at BIGINT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS statuses_station ON statuses(station_id, seq)`,
	`CREATE INDEX IF NOT EXISTS statuses_packet ON statuses(packet)`,
	`CREATE TABLE IF NOT EXISTS siak_residents (
		nik TEXT PRIMARY KEY,
		biodata BYTEA NOT NULL,
		modified BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS nik_lookups (
		seq SERIALPK,
		station_id TEXT NOT NULL,
		nik_hash TEXT NOT NULL,
		found INTEGER NOT NULL,
		at BIGINT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS nik_lookups_station ON nik_lookups(station_id, seq)`,
}

// OpenSQL prepares the schema on db. driver names the database/sql driver
// ("sqlite3" or "pgx") so the few dialect differences can be handled.
func OpenSQL(ctx context.Context, db *sql.DB, driver string) (*SQLBackend, error) {
	b := &SQLBackend{db: db, postgres: driver == "pgx" || driver == "postgres"}
	if !b.postgres {
		db.SetMaxOpenConns(1) // one writer: SQLite serialises anyway
	}
	for _, stmt := range schema {
		if b.postgres {
			stmt = strings.ReplaceAll(stmt, "SERIALPK", "BIGSERIAL PRIMARY KEY")
		} else {
			stmt = strings.ReplaceAll(stmt, "SERIALPK", "INTEGER PRIMARY KEY AUTOINCREMENT")
			stmt = strings.ReplaceAll(stmt, "BYTEA", "BLOB")
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("server schema: %w", err)
		}
	}
	return b, nil
}

// Close closes the database.
func (b *SQLBackend) Close() error { return b.db.Close() }

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// AddStation implements Backend.
func (b *SQLBackend) AddStation(ctx context.Context, st Station) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO stations(id, kecamatan, token_hash) VALUES ($1, $2, $3)
		ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, kecamatan = excluded.kecamatan`,
		st.ID, st.Kecamatan, st.TokenHash)
	if err != nil {
		return fmt.Errorf("add station %s: %w", st.ID, err)
	}
	return nil
}

// Station implements Backend.
func (b *SQLBackend) Station(ctx context.Context, id string) (Station, error) {
	var st Station
	var reg, last int64
	var revoked int
	err := b.db.QueryRowContext(ctx, `SELECT id, kecamatan, token_hash, cert_fp, signing_key, registered_at, revoked, last_contact
		FROM stations WHERE id = $1`, id).Scan(&st.ID, &st.Kecamatan, &st.TokenHash, &st.CertFingerprint, &st.SigningKey, &reg, &revoked, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("station %s: %w", id, err)
	}
	st.RegisteredAt, st.LastContact, st.Revoked = fromUnix(reg), fromUnix(last), revoked != 0
	return st, nil
}

// CompleteRegistration implements Backend.
func (b *SQLBackend) CompleteRegistration(ctx context.Context, id, tokenHash, certFP string, key []byte, at time.Time) error {
	res, err := b.db.ExecContext(ctx, `UPDATE stations SET cert_fp = $1, signing_key = $2, registered_at = $3, token_hash = ''
		WHERE id = $4 AND token_hash = $5 AND token_hash <> '' AND revoked = 0`, certFP, key, unix(at), id, tokenHash)
	if err != nil {
		return fmt.Errorf("register station %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("register station %s: unknown station, wrong or used token", id)
	}
	return nil
}

// RevokeStation implements Backend.
func (b *SQLBackend) RevokeStation(ctx context.Context, id string) error {
	res, err := b.db.ExecContext(ctx, `UPDATE stations SET revoked = 1 WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("revoke station %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

// Touch implements Backend.
func (b *SQLBackend) Touch(ctx context.Context, id string, at time.Time) error {
	_, err := b.db.ExecContext(ctx, `UPDATE stations SET last_contact = $1 WHERE id = $2`, unix(at), id)
	return err
}

const packetCols = `name, station_id, enrollment_id, size, state, receipt, reason, received_at`

func scanPacket(row *sql.Row) (PacketRecord, error) {
	var p PacketRecord
	var at int64
	err := row.Scan(&p.Name, &p.StationID, &p.EnrollmentID, &p.Size, &p.State, &p.Receipt, &p.Reason, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.ReceivedAt = fromUnix(at)
	return p, err
}

// Packet implements Backend.
func (b *SQLBackend) Packet(ctx context.Context, name string) (PacketRecord, error) {
	return scanPacket(b.db.QueryRowContext(ctx, `SELECT `+packetCols+` FROM packets WHERE name = $1`, name))
}

// ReceivedForEnrollment implements Backend.
func (b *SQLBackend) ReceivedForEnrollment(ctx context.Context, stationID, enrollmentID string) (PacketRecord, error) {
	return scanPacket(b.db.QueryRowContext(ctx, `SELECT `+packetCols+` FROM packets
		WHERE station_id = $1 AND enrollment_id = $2 AND state = 'received'`, stationID, enrollmentID))
}

// Announce implements Backend.
func (b *SQLBackend) Announce(ctx context.Context, p PacketRecord) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO packets(name, station_id, enrollment_id, size, state) VALUES ($1, $2, $3, $4, 'announced')
		ON CONFLICT(name) DO NOTHING`, p.Name, p.StationID, p.EnrollmentID, p.Size)
	if err != nil {
		return fmt.Errorf("announce %s: %w", p.Name, err)
	}
	return nil
}

// Receive implements Backend.
func (b *SQLBackend) Receive(ctx context.Context, name string, at time.Time, sign func(serial int64) (string, error), outcome *StatusRow) (string, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("receive %s: %w", name, err)
	}
	defer tx.Rollback()
	var state, receipt, station, enrollment string
	if err := tx.QueryRowContext(ctx, `SELECT state, receipt, station_id, enrollment_id FROM packets WHERE name = $1`, name).Scan(&state, &receipt, &station, &enrollment); err != nil {
		return "", fmt.Errorf("receive %s: %w", name, err)
	}
	if state == PacketReceived {
		return receipt, nil
	}
	var serial int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(serial), 0) + 1 FROM packets`).Scan(&serial); err != nil {
		return "", fmt.Errorf("receive %s: serial: %w", name, err)
	}
	receipt, err = sign(serial)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE packets SET state = 'received', receipt = $1, serial = $2, received_at = $3 WHERE name = $4`,
		receipt, serial, unix(at), name); err != nil {
		return "", fmt.Errorf("receive %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO statuses(station_id, enrollment_id, packet, status, reason, at) VALUES ($1, $2, $3, 'RECEIVED_AT_CENTRAL', '', $4)`,
		station, enrollment, name, unix(at)); err != nil {
		return "", fmt.Errorf("receive %s: status: %w", name, err)
	}
	if outcome != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO statuses(station_id, enrollment_id, packet, status, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			station, enrollment, name, outcome.Status, outcome.Reason, unix(outcome.At)); err != nil {
			return "", fmt.Errorf("receive %s: outcome: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("receive %s: commit: %w", name, err)
	}
	return receipt, nil
}

// Reject implements Backend.
func (b *SQLBackend) Reject(ctx context.Context, name, reason string) error {
	_, err := b.db.ExecContext(ctx, `UPDATE packets SET state = 'rejected', reason = $1 WHERE name = $2 AND state <> 'received'`, reason, name)
	return err
}

// AddStatus implements Backend.
func (b *SQLBackend) AddStatus(ctx context.Context, stationID, enrollmentID, packet, status, reason string, at time.Time) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO statuses(station_id, enrollment_id, packet, status, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		stationID, enrollmentID, packet, status, reason, unix(at))
	return err
}

// StatusSince implements Backend.
func (b *SQLBackend) StatusSince(ctx context.Context, stationID string, seq int64, limit int) ([]StatusRow, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT seq, enrollment_id, packet, status, reason, at FROM statuses
		WHERE station_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, stationID, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("status since %d: %w", seq, err)
	}
	defer rows.Close()
	var out []StatusRow
	for rows.Next() {
		var r StatusRow
		var at int64
		if err := rows.Scan(&r.Seq, &r.EnrollmentID, &r.Packet, &r.Status, &r.Reason, &at); err != nil {
			return nil, err
		}
		r.At = fromUnix(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Stats implements Backend.
func (b *SQLBackend) Stats(ctx context.Context) ([]StationStats, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT s.id, s.revoked, s.last_contact,
		COALESCE(SUM(CASE WHEN p.state = 'received' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN p.state = 'announced' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN p.state = 'rejected' THEN 1 ELSE 0 END), 0)
		FROM stations s LEFT JOIN packets p ON p.station_id = s.id GROUP BY s.id, s.revoked, s.last_contact ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	var out []StationStats
	for rows.Next() {
		var s StationStats
		var revoked int
		var last int64
		if err := rows.Scan(&s.StationID, &revoked, &last, &s.Received, &s.Announced, &s.Rejected); err != nil {
			return nil, err
		}
		s.Revoked, s.LastContact = revoked != 0, fromUnix(last)
		out = append(out, s)
	}
	return out, rows.Err()
}

// PutResidents implements Backend.
func (b *SQLBackend) PutResidents(ctx context.Context, rs []ResidentRow) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put residents: %w", err)
	}
	defer tx.Rollback()
	for _, r := range rs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO siak_residents(nik, biodata, modified) VALUES ($1, $2, $3)
			ON CONFLICT(nik) DO UPDATE SET biodata = excluded.biodata, modified = excluded.modified`, r.NIK, r.Biodata, unix(r.Modified)); err != nil {
			return fmt.Errorf("put residents: %w", err)
		}
	}
	return tx.Commit()
}

// ResidentByNIK implements Backend.
func (b *SQLBackend) ResidentByNIK(ctx context.Context, stationID, nik, nikHash string, at time.Time) ([]byte, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("resident lookup: %w", err)
	}
	defer tx.Rollback()
	var bio []byte
	err = tx.QueryRowContext(ctx, `SELECT biodata FROM siak_residents WHERE nik = $1`, nik).Scan(&bio)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("resident lookup: %w", err)
	}
	f := 0
	if found {
		f = 1
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO nik_lookups(station_id, nik_hash, found, at) VALUES ($1, $2, $3, $4)`, stationID, nikHash, f, unix(at)); err != nil {
		return nil, fmt.Errorf("resident lookup audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resident lookup: %w", err)
	}
	if !found {
		return nil, ErrNotFound
	}
	return bio, nil
}

// Lookups implements Backend.
func (b *SQLBackend) Lookups(ctx context.Context, stationID string, limit int) ([]LookupRow, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT station_id, nik_hash, found, at FROM nik_lookups WHERE station_id = $1 ORDER BY seq DESC LIMIT $2`, stationID, limit)
	if err != nil {
		return nil, fmt.Errorf("lookups: %w", err)
	}
	defer rows.Close()
	var out []LookupRow
	for rows.Next() {
		var r LookupRow
		var f int
		var at int64
		if err := rows.Scan(&r.StationID, &r.NIKHash, &f, &at); err != nil {
			return nil, err
		}
		r.Found, r.At = f != 0, fromUnix(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Failures implements Backend. Reasons start with "packet <part>:" (see
// package packet), so the part is the second word.
func (b *SQLBackend) Failures(ctx context.Context) (map[string]int64, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT reason FROM packets WHERE state = 'rejected'`)
	if err != nil {
		return nil, fmt.Errorf("failures: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var reason string
		if err := rows.Scan(&reason); err != nil {
			return nil, err
		}
		part := "other"
		if f := strings.Fields(reason); len(f) > 1 && f[0] == "packet" {
			part = strings.TrimSuffix(f[1], ":")
		}
		out[part]++
	}
	return out, rows.Err()
}

// Undecided implements Backend.
func (b *SQLBackend) Undecided(ctx context.Context, limit int) ([]string, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT p.name FROM packets p WHERE p.state = 'received'
		AND NOT EXISTS (SELECT 1 FROM statuses s WHERE s.packet = p.name AND s.status <> 'RECEIVED_AT_CENTRAL')
		ORDER BY p.serial LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("undecided: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
