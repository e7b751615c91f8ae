-- Local duplicate check. dedup_gallery holds the templates each identity
-- contributes to the in-memory 1:N gallery (sealed; no image, no biodata):
-- the station's own sealed enrollments ("local", linked to the row) and
-- the centre's kecamatan gallery ("central", an opaque record id only).
CREATE TABLE dedup_gallery (
	record_id     TEXT    PRIMARY KEY,
	source        TEXT    NOT NULL CHECK (source IN ('local', 'central')),
	enrollment_id INTEGER REFERENCES enrollments (id),
	templates     BLOB    NOT NULL,
	added_at      INTEGER NOT NULL
);
CREATE INDEX dedup_gallery_source ON dedup_gallery (source);

-- Adjudication cases opened by a review or duplicate decision; the
-- candidate list (scores, record ids) is sealed, the verdict's reason too.
CREATE TABLE dedup_cases (
	id            INTEGER PRIMARY KEY,
	enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
	decision      TEXT    NOT NULL CHECK (decision IN ('review', 'duplicate')),
	candidates    BLOB    NOT NULL,
	status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'duplicate', 'not_duplicate')),
	opened_by     TEXT    NOT NULL,
	opened_at     INTEGER NOT NULL,
	decided_by    TEXT    NOT NULL DEFAULT '',
	decided_at    INTEGER NOT NULL DEFAULT 0,
	reason        BLOB
);
CREATE INDEX dedup_cases_status ON dedup_cases (status, id);
CREATE INDEX dedup_cases_enrollment ON dedup_cases (enrollment_id);

-- A re-recording after ENROLL_FAILURE_AT_CENTRAL names the enrollment it
-- replaces.
ALTER TABLE enrollments ADD COLUMN supersedes INTEGER REFERENCES enrollments (id);
