package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// OutboxItem is one sealed packet waiting for (or done with) the sync.
type OutboxItem struct {
	ID           int64     `json:"id"`
	EnrollmentID int64     `json:"enrollment_id"`
	PacketPath   string    `json:"packet_path"`
	PacketSHA256 string    `json:"packet_sha256"`
	Status       string    `json:"status"`
	Attempts     int       `json:"attempts"`
	LastError    string    `json:"last_error,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// OutboxPending is the status of a packet not yet uploaded.
const OutboxPending = "pending"

var sha256HexRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// EnqueuePacket records a sealed packet: in one transaction the enrollment
// moves APPROVED → PROCESSING and the outbox row is inserted. The packet
// file must already be written (atomically) at path.
func (s *Store) EnqueuePacket(ctx context.Context, sess *operator.Session, enrollmentID int64, path, sha256Hex string) (int64, error) {
	obj := fmt.Sprintf("enrollment:%d", enrollmentID)
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, obj); err != nil {
		return 0, err
	}
	if path == "" || !sha256HexRE.MatchString(sha256Hex) {
		return 0, fmt.Errorf("enqueue packet for %s: need a path and a lower-case hex SHA-256", obj)
	}
	var id int64
	err := s.write(ctx, func(tx *wtx) error {
		if _, err := tx.move(sess, enrollmentID, enroll.Processing, ""); err != nil {
			return err
		}
		now := nanos(s.now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO outbox (enrollment_id, packet_path, packet_sha256, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, enrollmentID, path, sha256Hex, OutboxPending, now, now).Scan(&id); err != nil {
			return fmt.Errorf("enqueue packet for %s: %w", obj, err)
		}
		return tx.audit(sess.Name, "outbox.add", obj, fmt.Sprintf("outbox=%d", id))
	})
	return id, err
}

// Outbox lists outbox rows with a status (all when status is ""), by id.
func (s *Store) Outbox(ctx context.Context, sess *operator.Session, status string) ([]OutboxItem, error) {
	if err := s.authorize(ctx, sess, operator.EnrollmentSync, "outbox:all"); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+outboxColumns+`
		FROM outbox WHERE ? = '' OR status = ? ORDER BY id`, status, status)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return scanOutbox(rows, "list outbox")
}

// outboxColumns are the outbox columns scanOutbox reads, in its order.
const outboxColumns = `id, enrollment_id, packet_path, packet_sha256, status, attempts, last_error, created_at, updated_at`

// scanOutbox reads outbox rows selected as outboxColumns; what names the
// query in errors.
func scanOutbox(rows *sql.Rows, what string) ([]OutboxItem, error) {
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var o OutboxItem
		var c, u int64
		if err := rows.Scan(&o.ID, &o.EnrollmentID, &o.PacketPath, &o.PacketSHA256, &o.Status, &o.Attempts, &o.LastError, &c, &u); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		o.CreatedAt, o.UpdatedAt = fromNanos(c), fromNanos(u)
		out = append(out, o)
	}
	return out, rows.Err()
}
