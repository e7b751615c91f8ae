// Package proto defines the messages of the station ↔ national server sync
// protocol (HTTPS with mutual TLS, JSON bodies). Uploads are two-phase and
// resumable: announce (name, size) → PUT the bytes from the offset the
// server has durably committed → finalize, which verifies the packet and
// returns a receipt signed by the server. Everything is idempotent: a packet
// already received answers every call with its receipt.
package proto

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
)

// Paths of the protocol's endpoints.
const (
	PathRegister = "/v1/register"
	PathAnnounce = "/v1/announce"
	PathUpload   = "/v1/upload/"   // + packet name; query offset=N
	PathFinalize = "/v1/finalize/" // + packet name
	PathStatus   = "/v1/status"    // query since=N
	PathFeed     = "/v1/feed/"     // + document kind; query have=VERSION
	PathResident = "/v1/resident"  // POST ResidentQuery: NIK call-up
)

// MaxBody bounds any JSON request or response body.
const MaxBody = 1 << 20

// RegisterRequest is a station's first contact, authenticated by the
// one-time token from `rekam-pusat station add`.
type RegisterRequest struct {
	StationID string `json:"station_id"`
	Token     string `json:"token"`
	// CSR is the DER certificate request for the station's TLS key.
	CSR []byte `json:"csr"`
	// SigningKey is the station's Ed25519 packet-signing public key.
	SigningKey []byte `json:"signing_key"`
}

// RegisterResponse gives the station everything it needs to seal and send.
type RegisterResponse struct {
	Certificate []byte `json:"certificate"` // PEM
	CA          []byte `json:"ca"`          // PEM
	// PacketKey is the server's HPKE public key that packets are sealed to.
	PacketKey []byte `json:"packet_key"`
	// ReceiptKey is the server's Ed25519 key that signs receipts.
	ReceiptKey []byte `json:"receipt_key"`
}

// Announce opens (or resumes) the upload of one packet.
type Announce struct {
	Packet       string `json:"packet"`
	Size         int64  `json:"size"`
	EnrollmentID string `json:"enrollment_id"`
}

// Progress is the server's answer to announce and upload: the offset it has
// durably committed, or the receipt when the packet is already received.
type Progress struct {
	Offset  int64  `json:"offset"`
	Receipt string `json:"receipt,omitempty"`
}

// Rejection explains why the server refused a packet or request; Part names
// the failing part (as in package packet) where there is one.
type Rejection struct {
	Part   string `json:"part,omitempty"`
	Reason string `json:"reason"`
	// Permanent is true when resending cannot help.
	Permanent bool `json:"permanent"`
}

// StatusUpdate is one decision of the centre about one enrollment.
type StatusUpdate struct {
	Seq          int64  `json:"seq"`
	EnrollmentID string `json:"enrollment_id"`
	Packet       string `json:"packet"`
	Status       string `json:"status"`
	Reason       string `json:"reason,omitempty"`
	At           string `json:"at"`
}

// StatusPage is a page of status updates after a cursor.
type StatusPage struct {
	Updates []StatusUpdate `json:"updates"`
	Next    int64          `json:"next"`
}

var packetName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidPacketName reports whether s is a packet content name (SHA-256 hex).
func ValidPacketName(s string) bool { return packetName.MatchString(s) }

// Decode reads one bounded JSON value of type T, refusing unknown fields
// and trailing data.
func Decode[T any](r io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(io.LimitReader(r, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fmt.Errorf("decode %T: %w", v, err)
	}
	if dec.More() {
		return v, fmt.Errorf("decode %T: trailing data", v)
	}
	return v, nil
}

// ResidentQuery asks the centre for a resident's SIAK biodata. The NIK
// travels in the body, never in a URL that could be logged.
type ResidentQuery struct {
	NIK string `json:"nik"`
}
