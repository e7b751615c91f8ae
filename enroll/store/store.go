// Package store is the station's offline database: one SQLite file (WAL,
// foreign keys, synchronous=FULL, numbered embedded migrations) holding
// region master data, operators, residents, enrollments with their captures
// and transitions, the outbox and the audit log.
//
// Personal data never reaches the file in plaintext: biodata, capture blobs
// and their metadata, and transition reasons are sealed with AES-256-GCM
// under the station's data key, with additional data naming the row and
// purpose so ciphertexts cannot be swapped between rows; a resident is
// found by a keyed HMAC blind index of the NIK.
//
// Every method that touches personal data takes the acting operator's
// session, checks the role, and appends an audit entry in the same
// transaction as the read or write. All writes go through one connection
// and one mutex (the single writer path); plain reads use a separate
// read-only pool.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// FileName is the database's name inside the data folder.
const FileName = "station.db"

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("not found")
	// ErrExists: the record (a NIK, an operator name, a station) exists.
	ErrExists = errors.New("already exists")
	// ErrNoStation: the database has no station yet (run init).
	ErrNoStation = errors.New("no station in this database (run `rekamctl init`)")
	// ErrWrongKeys: the keys given do not belong to this database.
	ErrWrongKeys = errors.New("the station keys do not match this database")
	// ErrLogin: wrong account name or password.
	ErrLogin = errors.New("wrong operator name or password")
	// ErrLocked: the account is locked.
	ErrLocked = errors.New("operator account is locked")
)

// Options tune a store; the zero value is the production default.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Policy is the account policy (operator.DefaultPolicy when zero).
	Policy operator.Policy
	// HashParams are the argon2id parameters for new passwords
	// (operator.DefaultHashParams when zero).
	HashParams operator.HashParams
	// Create allows Open to create a new database file.
	Create bool
}

// Store is an open station database. It is safe for concurrent use.
type Store struct {
	path   string
	w      *sql.DB // the single writer connection
	r      *sql.DB // read-only pool
	wmu    sync.Mutex
	aead   cipher.AEAD
	blind  []byte
	akey   []byte
	kcheck []byte
	opt    Options
	// Prepared read statements for the hot master-data lookups.
	qRegion, qChildren *sql.Stmt
}

// Open opens (or with opt.Create creates) the database at path with the
// station's keys and brings its schema up to date. When the database
// already has a station, the keys must be that station's.
func Open(ctx context.Context, path string, k *keys.Keys, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Policy == (operator.Policy{}) {
		opt.Policy = operator.DefaultPolicy
	}
	if opt.HashParams == (operator.HashParams{}) {
		opt.HashParams = operator.DefaultHashParams
	}
	if err := opt.Policy.Check(); err != nil {
		return nil, fmt.Errorf("open store: policy: %w", err)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open store %q: the path may not contain '?' or '#'", path)
	}
	if _, err := os.Stat(path); err != nil {
		if !opt.Create || !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		// Create the file 0600 first: SQLite gives the -wal and -shm files
		// the database file's mode.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create store %s: %w", path, err)
		}
		f.Close()
	}
	// synchronous=FULL: a commit is on disk when it returns, even across a
	// power cut (NORMAL would only survive a process crash in WAL mode).
	// secure_delete zeroes freed pages, so wiped blobs leave no ciphertext.
	base := "file:" + path + "?_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL&_secure_delete=1"
	w, err := sql.Open("sqlite3", base+"&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w, aead: k.AEAD(), blind: k.BlindIndexKey(), akey: k.AuditKey(),
		kcheck: k.Derive("key-check", []byte(k.Station)), opt: opt}
	if _, err := migrate(ctx, w, migrationFS); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", base+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	if s.qRegion, err = r.PrepareContext(ctx, `SELECT name, level FROM regions WHERE code = ?`); err == nil {
		s.qChildren, err = r.PrepareContext(ctx, `SELECT code, name, level FROM regions WHERE parent = ? ORDER BY code`)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: prepare: %w", path, err)
	}
	if err := s.checkKeys(ctx); err != nil && !errors.Is(err, ErrNoStation) {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.qRegion, s.qChildren} {
		if st != nil {
			st.Close()
		}
	}
	err1 := s.r.Close()
	err2 := s.w.Close()
	return errors.Join(err1, err2)
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Policy returns the account policy the store enforces.
func (s *Store) Policy() operator.Policy { return s.opt.Policy }

func (s *Store) now() time.Time { return s.opt.Now().UTC() }

// wtx is a write transaction on the single writer connection.
type wtx struct {
	*sql.Tx
	s   *Store
	ctx context.Context
}

// write runs fn in one IMMEDIATE transaction on the writer connection,
// serialised with every other write, and commits when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(tx *wtx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	var keep *commitThen
	if err := fn(&wtx{Tx: tx, s: s, ctx: ctx}); err != nil && !errors.As(err, &keep) {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if keep != nil {
		return keep.err
	}
	return nil
}

// commitThen, returned by a write function, commits the transaction and
// then returns err: a refused login or a lookup that found nothing is still
// audited.
type commitThen struct{ err error }

// Error returns the wrapped error's message.
func (c *commitThen) Error() string { return c.err.Error() }

// authorize checks sess for action. A refused action by a live session is
// itself audited (action "access.denied").
func (s *Store) authorize(ctx context.Context, sess *operator.Session, action operator.Action, object string) error {
	err := sess.Authorize(action, s.now())
	if err != nil && errors.Is(err, operator.ErrForbidden) {
		if aerr := s.write(ctx, func(tx *wtx) error {
			return tx.audit(sess.Name, "access.denied", object, string(action))
		}); aerr != nil {
			return errors.Join(err, aerr)
		}
	}
	return err
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok"
// when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	rows, err := s.r.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var out string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", fmt.Errorf("integrity check: %w", err)
		}
		if out != "" {
			out += "; "
		}
		out += line
	}
	return out, rows.Err()
}

func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// Check reports whether sess may perform action now, auditing a refusal
// like every other refused action. Front ends use it before showing
// something the store itself does not gate (e.g. unmasked NIKs in a list).
func (s *Store) Check(ctx context.Context, sess *operator.Session, action operator.Action) error {
	return s.authorize(ctx, sess, action, "")
}
