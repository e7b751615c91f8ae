-- Station identity, key check and the audit chain's head (updated in the
-- same transaction as every audit entry, so a removed tail shows).
CREATE TABLE station (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	station_id  TEXT    NOT NULL,
	kecamatan   TEXT    NOT NULL,
	key_check   BLOB    NOT NULL,
	created_at  INTEGER NOT NULL,
	audit_seq   INTEGER NOT NULL DEFAULT 0,
	audit_hash  BLOB    NOT NULL,
	audit_mac   BLOB    NOT NULL
);

-- Region master data (not personal): dotted Kemendagri codes.
CREATE TABLE regions (
	code   TEXT    PRIMARY KEY,
	parent TEXT    NOT NULL,
	name   TEXT    NOT NULL,
	level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4)
) WITHOUT ROWID;
CREATE INDEX regions_parent ON regions (parent, code);

CREATE TABLE operators (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	failures      INTEGER NOT NULL DEFAULT 0,
	locked        INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	last_login    INTEGER
);

-- Residents: biodata is AES-256-GCM ciphertext; the NIK is only present as a
-- keyed HMAC blind index.
CREATE TABLE residents (
	id         INTEGER PRIMARY KEY,
	nik_index  BLOB    NOT NULL UNIQUE,
	biodata    BLOB    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- captures is the number of capture rows, kept in the same transaction as
-- every capture write: a mismatch would mean a half-written enrollment.
CREATE TABLE enrollments (
	id          INTEGER PRIMARY KEY,
	resident_id INTEGER NOT NULL REFERENCES residents (id),
	state       TEXT    NOT NULL,
	captures    INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX enrollments_resident ON enrollments (resident_id);
CREATE INDEX enrollments_state ON enrollments (state);

CREATE TABLE captures (
	enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
	step          TEXT    NOT NULL,
	blob          BLOB    NOT NULL,
	meta          BLOB    NOT NULL,
	saved_by      TEXT    NOT NULL,
	saved_at      INTEGER NOT NULL,
	PRIMARY KEY (enrollment_id, step)
);

CREATE TABLE enrollment_transitions (
	id            INTEGER PRIMARY KEY,
	enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
	from_state    TEXT    NOT NULL,
	to_state      TEXT    NOT NULL,
	actor         TEXT    NOT NULL,
	at            INTEGER NOT NULL,
	reason        BLOB
);
CREATE INDEX enrollment_transitions_enrollment ON enrollment_transitions (enrollment_id, id);

-- Sealed packets waiting for the sync.
CREATE TABLE outbox (
	id            INTEGER PRIMARY KEY,
	enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
	packet_path   TEXT    NOT NULL,
	packet_sha256 TEXT    NOT NULL,
	status        TEXT    NOT NULL DEFAULT 'pending',
	attempts      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
CREATE INDEX outbox_status ON outbox (status, id);
CREATE INDEX outbox_enrollment ON outbox (enrollment_id);

CREATE TABLE audit_log (
	seq    INTEGER PRIMARY KEY,
	at     INTEGER NOT NULL,
	actor  TEXT    NOT NULL,
	action TEXT    NOT NULL,
	object TEXT    NOT NULL,
	detail TEXT    NOT NULL,
	prev   BLOB    NOT NULL,
	hash   BLOB    NOT NULL,
	mac    BLOB    NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
