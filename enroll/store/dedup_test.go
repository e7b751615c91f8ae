package store

import (
	"context"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

func TestGalleryRecords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := f.s.SystemSession("sync")
	put := []GalleryRecord{
		{RecordID: "enr:1", Source: GalleryLocal, Templates: []byte("local templates")},
		{RecordID: "c:abc", Source: GalleryCentral, Templates: []byte("central templates 1")},
	}
	if err := f.s.PutGalleryRecords(ctx, f.op(), put); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator wrote the gallery: %v", err)
	}
	if err := f.s.PutGalleryRecords(ctx, sys, put); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReplaceCentralGallery(ctx, sys, []GalleryRecord{{RecordID: "c:def", Source: GalleryCentral, Templates: []byte("central 2")}}); err != nil {
		t.Fatal(err)
	}
	bad := []GalleryRecord{
		{RecordID: "../x", Source: GalleryCentral, Templates: []byte("x")},
		{RecordID: "c:x", Source: "elsewhere", Templates: []byte("x")},
		{RecordID: "c:x", Source: GalleryCentral},
		{RecordID: "enr:9", Source: GalleryLocal, Templates: []byte("x")}, // not central
	}
	for _, r := range bad {
		if err := f.s.ReplaceCentralGallery(ctx, sys, []GalleryRecord{r}); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	got := map[string]string{}
	n, err := f.s.GalleryRecords(ctx, f.op(), func(r GalleryRecord) error { got[r.RecordID] = string(r.Templates); return nil })
	if err != nil || n != 2 {
		t.Fatalf("loaded %d, %v", n, err)
	}
	if got["enr:1"] != "local templates" || got["c:def"] != "central 2" || got["c:abc"] != "" {
		t.Fatalf("gallery after replacing the central part: %v", got)
	}
	if f.lastAction(t) != "dedup.gallery.load" {
		t.Fatalf("load not audited: %s", f.lastAction(t))
	}
	// Ciphertexts are bound to their record: a swap fails to open.
	if _, err := f.s.w.Exec(`UPDATE dedup_gallery SET templates = (SELECT templates FROM dedup_gallery WHERE record_id = 'c:def') WHERE record_id = 'enr:1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GalleryRecords(ctx, f.op(), func(GalleryRecord) error { return nil }); err == nil {
		t.Fatal("a swapped ciphertext opened")
	}
}
