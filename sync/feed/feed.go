// Package feed carries what flows down from the national server to its
// stations: region master data, SIAK lists, operator accounts and
// revocations, and each kecamatan's dedup gallery. Every document is signed
// by the server and carries an expiry, so a station offline for too long
// stops trusting (for example) an operator list that may have been revoked
// since.
package feed

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Kinds of documents the feed carries. A gallery's kind is
// "gallery/<kecamatan code>".
const (
	KindRegions   = "regions"
	KindSIAK      = "siak"
	KindOperators = "operators"
	KindGallery   = "gallery"
)

const signContext = "rekam feed v1\x00"

// MaxDocument bounds a feed document.
const MaxDocument = 256 << 20

var kindRE = regexp.MustCompile(`^[a-z]+(/[0-9.]+)?$`)

// ValidKind reports whether k is a well-formed document kind.
func ValidKind(k string) bool { return kindRE.MatchString(k) && len(k) <= 64 }

// Header says what a document is and how long it may be trusted.
type Header struct {
	Kind      string    `json:"kind"`
	Version   int64     `json:"version"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Document is a signed feed document.
type Document struct {
	Header    Header          `json:"header"`
	Payload   json.RawMessage `json:"payload"`
	Signature []byte          `json:"signature"`
}

func signed(h Header, payload []byte) ([]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	b := append([]byte(signContext), hb...)
	b = append(b, 0)
	return append(b, payload...), nil
}

// Sign makes a document of payload (JSON) under the server key.
func Sign(h Header, payload []byte, key ed25519.PrivateKey) (*Document, error) {
	if !ValidKind(h.Kind) {
		return nil, fmt.Errorf("feed: bad kind %q", h.Kind)
	}
	if !h.ExpiresAt.After(h.IssuedAt) {
		return nil, errors.New("feed: a document must expire after it is issued")
	}
	if !json.Valid(payload) {
		return nil, errors.New("feed: payload is not JSON")
	}
	msg, err := signed(h, payload)
	if err != nil {
		return nil, err
	}
	return &Document{Header: h, Payload: payload, Signature: ed25519.Sign(key, msg)}, nil
}

// Errors of Verify.
var (
	ErrSignature = errors.New("feed: document is not signed by the national server")
	ErrExpired   = errors.New("feed: document has expired")
	ErrKind      = errors.New("feed: document is of another kind")
)

// Verify checks a document's signature, kind and expiry at now.
func (d *Document) Verify(server ed25519.PublicKey, kind string, now time.Time) error {
	msg, err := signed(d.Header, d.Payload)
	if err != nil {
		return err
	}
	if len(server) != ed25519.PublicKeySize || !ed25519.Verify(server, msg, d.Signature) {
		return ErrSignature
	}
	if d.Header.Kind != kind {
		return fmt.Errorf("%w: %q, want %q", ErrKind, d.Header.Kind, kind)
	}
	if !now.Before(d.Header.ExpiresAt) {
		return fmt.Errorf("%w (at %s)", ErrExpired, d.Header.ExpiresAt.Format(time.RFC3339))
	}
	return nil
}

// Parse decodes a document, refusing unknown fields.
func Parse(b []byte) (*Document, error) {
	if len(b) > MaxDocument {
		return nil, fmt.Errorf("feed: document of %d bytes is too large", len(b))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	if !ValidKind(d.Header.Kind) || len(d.Payload) == 0 {
		return nil, errors.New("feed: document without kind or payload")
	}
	return &d, nil
}

// Operator is one account in the operators document: the station replaces
// its centrally managed accounts with the list, and a revoked account can
// no longer log in once the station applies it — or once the list it holds
// expires.
type Operator struct {
	Name         string `json:"name"`
	Role         string `json:"role"`
	PasswordHash string `json:"password_hash,omitempty"`
	Revoked      bool   `json:"revoked"`
}
