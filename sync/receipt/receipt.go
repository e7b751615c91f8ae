// Package receipt holds the national server's signed acknowledgement of a
// packet. Only a receipt that verifies against the server's key moves an
// enrollment to RECEIVED_AT_CENTRAL, and only then may the station purge.
package receipt

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// signContext separates receipt signatures from any other signature the
// server key makes.
const signContext = "rekam receipt v1\x00"

// Receipt says that the server durably holds a packet.
type Receipt struct {
	// Packet is the packet's content name (SHA-256 hex of its sealed bytes).
	Packet       string    `json:"packet"`
	Size         int64     `json:"size"`
	StationID    string    `json:"station_id"`
	EnrollmentID string    `json:"enrollment_id"`
	ReceivedAt   time.Time `json:"received_at"`
	// Serial is the server's monotonically increasing receipt number.
	Serial int64 `json:"serial"`
}

// Signed is a receipt with the server's signature over its JSON body.
type Signed struct {
	Body      []byte `json:"body"`
	Signature []byte `json:"signature"`
}

// Sign signs r with the server's key.
func Sign(r Receipt, key ed25519.PrivateKey) (Signed, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return Signed{}, fmt.Errorf("receipt: encode: %w", err)
	}
	return Signed{Body: body, Signature: ed25519.Sign(key, append([]byte(signContext), body...))}, nil
}

// ErrBadSignature is returned for a receipt the server's key did not sign.
var ErrBadSignature = errors.New("receipt: signature does not verify against the server key")

// Verify checks the signature and returns the receipt it covers.
func (s Signed) Verify(server ed25519.PublicKey) (Receipt, error) {
	if len(server) != ed25519.PublicKeySize || !ed25519.Verify(server, append([]byte(signContext), s.Body...), s.Signature) {
		return Receipt{}, ErrBadSignature
	}
	dec := json.NewDecoder(bytes.NewReader(s.Body))
	dec.DisallowUnknownFields()
	var r Receipt
	if err := dec.Decode(&r); err != nil {
		return Receipt{}, fmt.Errorf("receipt: decode body: %w", err)
	}
	if len(r.Packet) != 64 || r.StationID == "" || r.EnrollmentID == "" {
		return Receipt{}, fmt.Errorf("receipt: incomplete body (packet %q, station %q, enrollment %q)", r.Packet, r.StationID, r.EnrollmentID)
	}
	return r, nil
}

// Encode returns the signed receipt as compact text for storage.
func (s Signed) Encode() string {
	return base64.RawURLEncoding.EncodeToString(s.Body) + "." + base64.RawURLEncoding.EncodeToString(s.Signature)
}

// Decode parses the text form written by Encode.
func Decode(text string) (Signed, error) {
	i := bytes.IndexByte([]byte(text), '.')
	if i < 0 {
		return Signed{}, errors.New("receipt: no '.' between body and signature")
	}
	body, err := base64.RawURLEncoding.DecodeString(text[:i])
	if err != nil {
		return Signed{}, fmt.Errorf("receipt: body: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(text[i+1:])
	if err != nil {
		return Signed{}, fmt.Errorf("receipt: signature: %w", err)
	}
	return Signed{Body: body, Signature: sig}, nil
}
