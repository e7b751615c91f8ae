-- Sync state: the receipt and backoff of each outbox row, and the station's
-- sync checkpoints (status cursor, feed versions, last contact).
ALTER TABLE outbox ADD COLUMN receipt TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollments ADD COLUMN purged_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
