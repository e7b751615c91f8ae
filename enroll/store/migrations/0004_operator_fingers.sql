-- Fingerprint login, and an index for the audit viewer.
--
-- Fingerprint login: at most one enrolled finger per operator account. The
-- template (native layout of biometric/finger) is sealed with the station's
-- data key, bound to the operator's row; the position and quality are not
-- personal and stay in the clear for the admin's list.
CREATE TABLE operator_fingers (
	operator_id INTEGER PRIMARY KEY REFERENCES operators (id),
	position    INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
	quality     INTEGER NOT NULL,
	template    BLOB    NOT NULL,
	enrolled_by TEXT    NOT NULL,
	enrolled_at INTEGER NOT NULL
);

-- The audit viewer filters the log by time.
CREATE INDEX audit_log_at ON audit_log (at);
