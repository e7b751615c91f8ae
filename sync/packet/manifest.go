// Package packet builds, seals, opens and verifies enrollment packets: one
// packet per enrollment, holding a manifest and the enrollment's files
// (ANSI/NIST-ITL transaction, ISO records, templates, audit excerpt), signed
// with the station's Ed25519 key and encrypted to the national server's HPKE
// public key. Packets are named by the SHA-256 of their sealed bytes and
// written atomically. The byte layout and manifest schema are documented in
// FORMAT.md beside this file.
package packet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SchemaVersion is the manifest schema this package writes. Readers accept
// exactly the versions in supportedSchemas.
const SchemaVersion = 1

var supportedSchemas = map[int]bool{1: true}

// Limits that keep a hostile packet from making the reader allocate without
// bound.
const (
	MaxFiles        = 256
	MaxFileSize     = 64 << 20
	MaxManifestSize = 1 << 20
	MaxPacketSize   = 256 << 20
)

// Manifest describes one sealed enrollment. It is signed; every file it
// lists is bound to it by SHA-256.
type Manifest struct {
	Schema       int       `json:"schema"`
	PacketID     string    `json:"packet_id"`
	EnrollmentID string    `json:"enrollment_id"`
	StationID    string    `json:"station_id"`
	Kecamatan    string    `json:"kecamatan"`
	Operator     Actor     `json:"operator"`
	Supervisor   Actor     `json:"supervisor"`
	CreatedAt    time.Time `json:"created_at"`
	SealedAt     time.Time `json:"sealed_at"`
	// Lifecycle is the enrollment's stored transitions up to sealing.
	Lifecycle []Step `json:"lifecycle"`
	// Files lists the payload files in the order they follow the manifest.
	Files []FileEntry `json:"files"`
}

// Actor names who did something and how they proved who they were.
type Actor struct {
	ID         string `json:"id"`
	AuthMethod string `json:"auth_method"`
}

// Step is one lifecycle transition as carried in a packet.
type Step struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// FileEntry binds one payload file to the manifest.
type FileEntry struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Validate checks the manifest's own consistency (not the files).
func (m *Manifest) Validate() error {
	if !supportedSchemas[m.Schema] {
		return &Error{Part: PartSchema, Reason: fmt.Sprintf("unknown manifest schema %d", m.Schema)}
	}
	var missing []string
	for name, v := range map[string]string{"packet_id": m.PacketID, "enrollment_id": m.EnrollmentID, "station_id": m.StationID} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return &Error{Part: PartManifest, Reason: "missing " + strings.Join(missing, ", ")}
	}
	if len(m.Files) > MaxFiles {
		return &Error{Part: PartManifest, Reason: fmt.Sprintf("%d files, at most %d", len(m.Files), MaxFiles)}
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		switch {
		case f.Name == "" || strings.ContainsAny(f.Name, "/\\\x00") || f.Name == "." || f.Name == "..":
			return &Error{Part: PartManifest, Reason: fmt.Sprintf("file %d: bad name %q", i, f.Name)}
		case seen[f.Name]:
			return &Error{Part: PartManifest, Reason: fmt.Sprintf("file %q listed twice", f.Name)}
		case f.Size < 0 || f.Size > MaxFileSize:
			return &Error{Part: PartManifest, Reason: fmt.Sprintf("file %q: size %d out of range", f.Name, f.Size)}
		case len(f.SHA256) != 64:
			return &Error{Part: PartManifest, Reason: fmt.Sprintf("file %q: sha256 is not 64 hex digits", f.Name)}
		}
		seen[f.Name] = true
	}
	return nil
}

// ParseManifest decodes and validates a manifest's JSON, rejecting unknown
// fields so a schema change can never be misread silently.
func ParseManifest(b []byte) (*Manifest, error) {
	if len(b) > MaxManifestSize {
		return nil, &Error{Part: PartManifest, Reason: fmt.Sprintf("manifest of %d bytes exceeds %d", len(b), MaxManifestSize)}
	}
	// Read the schema first so an unknown schema is reported as such, not as
	// an unknown field.
	var probe struct {
		Schema int `json:"schema"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, &Error{Part: PartManifest, Reason: "not JSON: " + err.Error()}
	}
	if !supportedSchemas[probe.Schema] {
		return nil, &Error{Part: PartSchema, Reason: fmt.Sprintf("unknown manifest schema %d", probe.Schema)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, &Error{Part: PartManifest, Reason: "decode: " + err.Error()}
	}
	if dec.More() {
		return nil, &Error{Part: PartManifest, Reason: "trailing data after the manifest"}
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}
