// Package galleryfile defines the kecamatan dedup gallery the national
// server sends down to its stations: the payload of a signed feed document
// of kind "gallery/<kecamatan code>" (package sync/feed signs, dates and
// verifies the envelope with the server's Ed25519 key). The payload holds
// templates only — no image, no biodata — each under an opaque record id
// that means something to the centre alone.
//
// JSON layout:
//
//	{"format":"rekam-dedup-gallery/1","kecamatan":"32.11.01",
//	 "records":[{"id":"9f3a…","templates":"<base64 of an index.Record>"}]}
package galleryfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/rekam-ktp/rekam/enroll/dedup/index"
)

// Format names this payload layout.
const Format = "rekam-dedup-gallery/1"

// MaxRecords bounds a payload (a kecamatan has at most a few hundred
// thousand residents).
const MaxRecords = 1_000_000

// ErrPayload is wrapped by every parse error.
var ErrPayload = errors.New("dedup gallery: malformed payload")

// Payload is a kecamatan's gallery.
type Payload struct {
	Format    string   `json:"format"`
	Kecamatan string   `json:"kecamatan"`
	Records   []Record `json:"records"`
}

// Record is one identity: an opaque id and its templates (an encoded
// index.Record).
type Record struct {
	ID        string `json:"id"`
	Templates []byte `json:"templates"`
}

var (
	idRE        = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	kecamatanRE = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$`)
)

// New makes a payload from records keyed by opaque id, in the given order.
func New(kecamatan string, ids []string, recs []*index.Record) (*Payload, error) {
	if len(ids) != len(recs) {
		return nil, fmt.Errorf("dedup gallery: %d ids for %d records", len(ids), len(recs))
	}
	p := &Payload{Format: Format, Kecamatan: kecamatan}
	for i, r := range recs {
		b, err := r.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("dedup gallery: record %s: %w", ids[i], err)
		}
		p.Records = append(p.Records, Record{ID: ids[i], Templates: b})
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// Marshal encodes the payload as JSON.
func (p *Payload) Marshal() ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("dedup gallery: %w", err)
	}
	return b, nil
}

// Parse decodes and checks a payload: the format, the kecamatan code,
// unique well-formed ids and templates that decode. It returns the
// decoded template sets beside the payload, in record order.
func Parse(b []byte) (*Payload, []*index.Record, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Payload
	if err := dec.Decode(&p); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrPayload, err)
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("%w: trailing data", ErrPayload)
	}
	if err := p.check(); err != nil {
		return nil, nil, err
	}
	recs := make([]*index.Record, len(p.Records))
	for i, r := range p.Records {
		recs[i] = new(index.Record)
		if err := recs[i].UnmarshalBinary(r.Templates); err != nil {
			return nil, nil, fmt.Errorf("%w: record %d (%s): %v", ErrPayload, i, r.ID, err)
		}
		if f, e := recs[i].Modalities(); f+e == 0 {
			return nil, nil, fmt.Errorf("%w: record %d (%s) holds no template", ErrPayload, i, r.ID)
		}
	}
	return &p, recs, nil
}

func (p *Payload) check() error {
	if p.Format != Format {
		return fmt.Errorf("%w: format %q, want %q", ErrPayload, p.Format, Format)
	}
	if !kecamatanRE.MatchString(p.Kecamatan) {
		return fmt.Errorf("%w: kecamatan %q, want NN.NN.NN", ErrPayload, p.Kecamatan)
	}
	if len(p.Records) > MaxRecords {
		return fmt.Errorf("%w: %d records, more than %d", ErrPayload, len(p.Records), MaxRecords)
	}
	seen := make(map[string]bool, len(p.Records))
	for i, r := range p.Records {
		if !idRE.MatchString(r.ID) {
			return fmt.Errorf("%w: record %d: id %q: want 1–64 letters, digits, '.', '_' or '-'", ErrPayload, i, r.ID)
		}
		if seen[r.ID] {
			return fmt.Errorf("%w: record id %s twice", ErrPayload, r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}
