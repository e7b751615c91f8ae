package dedup

import (
	"context"
	"fmt"
	"strings"

	"github.com/rekam-ktp/rekam/enroll/dedup/galleryfile"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// CentralRecords turns a verified gallery payload into store records
// (entries with their first-stage codes, ids prefixed "c:").
func CentralRecords(p *galleryfile.Payload, recs []*index.Record) ([]store.GalleryRecord, []*index.Entry, error) {
	out := make([]store.GalleryRecord, len(recs))
	entries := make([]*index.Entry, len(recs))
	for i, r := range recs {
		e, err := index.NewEntry(r)
		if err != nil {
			return nil, nil, fmt.Errorf("gallery record %s: %w", p.Records[i].ID, err)
		}
		b, err := e.MarshalBinary()
		if err != nil {
			return nil, nil, fmt.Errorf("gallery record %s: %w", p.Records[i].ID, err)
		}
		out[i] = store.GalleryRecord{RecordID: CentralRecordID(p.Records[i].ID), Source: store.GalleryCentral, Templates: b}
		entries[i] = e
	}
	return out, entries, nil
}

// ImportCentral replaces the centre's gallery in the store and, when the
// checker has an index, in memory. The payload's signature, kind and
// expiry are the caller's to verify first (sync/feed).
func (c *Checker) ImportCentral(ctx context.Context, sess *operator.Session, p *galleryfile.Payload, recs []*index.Record) (int, error) {
	rows, entries, err := CentralRecords(p, recs)
	if err != nil {
		return 0, fmt.Errorf("import central gallery: %w", err)
	}
	if err := c.Store.ReplaceCentralGallery(ctx, sess, rows); err != nil {
		return 0, fmt.Errorf("import central gallery: %w", err)
	}
	if c.Index != nil {
		c.Index.RemoveIf(func(id string) bool { return strings.HasPrefix(id, "c:") })
		for i, e := range entries {
			if err := c.Index.AddEntry(rows[i].RecordID, e); err != nil {
				return i, fmt.Errorf("import central gallery: %w", err)
			}
		}
	}
	return len(rows), nil
}
