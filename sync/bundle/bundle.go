// Package bundle carries sealed packets on a removable drive when the link
// is down for long: the station exports its outbox with a signed manifest,
// the national server (or the kab/kota office on its behalf) imports it with
// the same checks as an upload and writes signed receipts back to the
// drive, and the station imports those receipts. Nothing is trusted from
// the drive without a signature.
package bundle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/proto"
	"github.com/rekam-ktp/rekam/sync/receipt"
)

// File names on the drive.
const (
	ManifestFile  = "manifest.json"
	SignatureFile = "manifest.sig"
	PacketsDir    = "packets"
	ReceiptsDir   = "receipts"
)

const signContext = "rekam export bundle v1\x00"

// Manifest lists the packets of one export.
type Manifest struct {
	StationID string    `json:"station_id"`
	CreatedAt time.Time `json:"created_at"`
	Packets   []Entry   `json:"packets"`
}

// Entry is one exported packet.
type Entry struct {
	Packet       string `json:"packet"`
	Size         int64  `json:"size"`
	EnrollmentID string `json:"enrollment_id"`
}

// Item is a sealed packet to export.
type Item struct {
	Path         string
	EnrollmentID string
}

// Export copies packets into dir and writes the station-signed manifest.
// Copies are written atomically and checked against their content name.
func Export(dir, stationID string, key ed25519.PrivateKey, items []Item, now time.Time) (*Manifest, error) {
	if err := os.MkdirAll(filepath.Join(dir, PacketsDir), 0o700); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	m := &Manifest{StationID: stationID, CreatedAt: now.UTC()}
	for _, it := range items {
		data, err := os.ReadFile(it.Path)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		name := packet.Name(data)
		if filepath.Base(it.Path) != name+".pkt" {
			return nil, fmt.Errorf("export: %s does not hold the packet its name says", it.Path)
		}
		if _, err := packet.WriteFile(filepath.Join(dir, PacketsDir), data); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		m.Packets = append(m.Packets, Entry{Packet: name, Size: int64(len(data)), EnrollmentID: it.EnrollmentID})
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, ManifestFile), 0o600, body); err != nil {
		return nil, err
	}
	sig := ed25519.Sign(key, append([]byte(signContext), body...))
	if err := atomicfile.WriteBytes(filepath.Join(dir, SignatureFile), 0o600, []byte(hex.EncodeToString(sig))); err != nil {
		return nil, err
	}
	return m, nil
}

// ReadManifest reads and parses the manifest and its signature without
// checking it; the caller checks with Verify once it knows the station key.
func ReadManifest(dir string) (*Manifest, []byte, []byte, error) {
	body, err := readLimited(filepath.Join(dir, ManifestFile), proto.MaxBody)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bundle manifest: %w", err)
	}
	sigHex, err := readLimited(filepath.Join(dir, SignatureFile), 1024)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bundle signature: %w", err)
	}
	sig, err := hex.DecodeString(string(bytes.TrimSpace(sigHex)))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bundle signature: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, nil, nil, fmt.Errorf("bundle manifest: %w", err)
	}
	for _, e := range m.Packets {
		if !proto.ValidPacketName(e.Packet) || e.Size <= 0 || e.EnrollmentID == "" {
			return nil, nil, nil, fmt.Errorf("bundle manifest: bad entry %+v", e)
		}
	}
	return &m, body, sig, nil
}

// Verify checks the manifest signature against the station's key.
func Verify(body, sig []byte, station ed25519.PublicKey) error {
	if len(station) != ed25519.PublicKeySize || !ed25519.Verify(station, append([]byte(signContext), body...), sig) {
		return errors.New("bundle manifest is not signed by the station's registered key")
	}
	return nil
}

// ReadPacket returns an exported packet's bytes after checking them
// against the manifest entry.
func ReadPacket(dir string, e Entry) ([]byte, error) {
	data, err := readLimited(filepath.Join(dir, PacketsDir, e.Packet+".pkt"), e.Size)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) != e.Size || packet.Name(data) != e.Packet {
		return nil, fmt.Errorf("packet %s on the drive does not match the manifest", e.Packet[:12])
	}
	return data, nil
}

// WriteReceipt stores a signed receipt on the drive for the station.
func WriteReceipt(dir, name, encoded string) error {
	if err := os.MkdirAll(filepath.Join(dir, ReceiptsDir), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, ReceiptsDir, name+".receipt"), 0o600, []byte(encoded))
}

// Receipts reads every receipt on the drive and keeps those that verify
// against the server's key and name a packet of the manifest; the others
// are returned as errors, one per file.
func Receipts(dir string, server ed25519.PublicKey) ([]receipt.Signed, []receipt.Receipt, []error) {
	entries, _ := os.ReadDir(filepath.Join(dir, ReceiptsDir))
	var signed []receipt.Signed
	var rs []receipt.Receipt
	var errs []error
	for _, de := range entries {
		if filepath.Ext(de.Name()) != ".receipt" {
			continue
		}
		b, err := readLimited(filepath.Join(dir, ReceiptsDir, de.Name()), 64<<10)
		if err == nil {
			var sg receipt.Signed
			if sg, err = receipt.Decode(string(bytes.TrimSpace(b))); err == nil {
				var r receipt.Receipt
				if r, err = sg.Verify(server); err == nil {
					signed, rs = append(signed, sg), append(rs, r)
					continue
				}
			}
		}
		errs = append(errs, fmt.Errorf("%s: %w", de.Name(), err))
	}
	return signed, rs, errs
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}
