package server

import (
	"context"
	"errors"
	"time"
)

// Station is a registered (or invited) station as the server knows it.
type Station struct {
	ID        string
	Kecamatan string
	// TokenHash is the SHA-256 of the one-time registration token; empty once used.
	TokenHash string
	// CertFingerprint is the SHA-256 of the station's TLS certificate.
	CertFingerprint string
	// SigningKey is the station's Ed25519 packet-signing key.
	SigningKey   []byte
	RegisteredAt time.Time
	Revoked      bool
	LastContact  time.Time
}

// PacketRecord is the server's row for one announced or received packet.
type PacketRecord struct {
	Name         string
	StationID    string
	EnrollmentID string
	Size         int64
	// State is "announced", "received" or "rejected".
	State      string
	Receipt    string
	Reason     string
	ReceivedAt time.Time
}

// Packet states on the server.
const (
	PacketAnnounced = "announced"
	PacketReceived  = "received"
	PacketRejected  = "rejected"
)

// ErrNotFound is returned by a Backend for a missing row.
var ErrNotFound = errors.New("not found")

// Backend is the server's durable state. One conformance suite
// (backendtest) runs against every implementation.
type Backend interface {
	// AddStation invites a station with a one-time token hash.
	AddStation(ctx context.Context, st Station) error
	// Station returns one station or ErrNotFound.
	Station(ctx context.Context, id string) (Station, error)
	// CompleteRegistration stores the station's certificate fingerprint
	// and signing key and consumes the token, atomically; it fails when
	// the token hash does not match or was used.
	CompleteRegistration(ctx context.Context, id, tokenHash, certFP string, signingKey []byte, at time.Time) error
	// RevokeStation refuses the station from now on.
	RevokeStation(ctx context.Context, id string) error
	// Touch records the station's last contact.
	Touch(ctx context.Context, id string, at time.Time) error
	// Packet returns one packet record or ErrNotFound.
	Packet(ctx context.Context, name string) (PacketRecord, error)
	// Announce records an announced packet; announcing again is a no-op.
	Announce(ctx context.Context, p PacketRecord) error
	// ReceivedForEnrollment returns the received packet of an enrollment
	// from a station, or ErrNotFound.
	ReceivedForEnrollment(ctx context.Context, stationID, enrollmentID string) (PacketRecord, error)
	// Receive marks a packet received with its receipt, assigning the next
	// receipt serial via sign, and appends the RECEIVED_AT_CENTRAL status
	// and, when outcome is not nil, the centre's decision after it, in one
	// transaction. sign gets the serial and returns the encoded signed
	// receipt. A packet already received returns its receipt unchanged.
	Receive(ctx context.Context, name string, at time.Time, sign func(serial int64) (string, error), outcome *StatusRow) (string, error)
	// Reject marks a packet rejected with a reason.
	Reject(ctx context.Context, name, reason string) error
	// Undecided lists received packets that have no decision after
	// RECEIVED_AT_CENTRAL yet, oldest first.
	Undecided(ctx context.Context, limit int) ([]string, error)
	// AddStatus appends a status update for an enrollment.
	AddStatus(ctx context.Context, stationID, enrollmentID, packet, status, reason string, at time.Time) error
	// StatusSince returns a station's status updates after seq, oldest first.
	StatusSince(ctx context.Context, stationID string, seq int64, limit int) ([]StatusRow, error)
	// PutResidents upserts SIAK biodata records (opaque JSON keyed by NIK).
	PutResidents(ctx context.Context, rs []ResidentRow) error
	// ResidentByNIK returns one SIAK record or ErrNotFound, and appends an
	// audit row for the lookup (station, a keyed hash of the NIK, result)
	// in the same transaction.
	ResidentByNIK(ctx context.Context, stationID, nik, nikHash string, at time.Time) ([]byte, error)
	// Lookups returns the NIK call-up audit rows of a station, newest first.
	Lookups(ctx context.Context, stationID string, limit int) ([]LookupRow, error)
	// Stats summarises packets per station for the monitoring page.
	Stats(ctx context.Context) ([]StationStats, error)
	// Failures counts rejected packets by the part that failed
	// verification (signature, recipient, hash, …), for the monitoring page.
	Failures(ctx context.Context) (map[string]int64, error)
	// Close releases the backend.
	Close() error
}

// StatusRow is one stored status update.
type StatusRow struct {
	Seq          int64
	EnrollmentID string
	Packet       string
	Status       string
	Reason       string
	At           time.Time
}

// StationStats is one row of the monitoring page.
type StationStats struct {
	StationID   string
	Received    int64
	Announced   int64
	Rejected    int64
	LastContact time.Time
	Revoked     bool
}

// ResidentRow is one SIAK record held by the centre.
type ResidentRow struct {
	NIK      string
	Biodata  []byte
	Modified time.Time
}

// LookupRow is one audited NIK call-up; it holds a keyed hash of the NIK,
// never the NIK.
type LookupRow struct {
	StationID string
	NIKHash   string
	Found     bool
	At        time.Time
}
