package server_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/feed"
	"github.com/rekam-ktp/rekam/sync/server"
)

func TestFeedDownTheChannel(t *testing.T) {
	h := newHarness(t)
	h.srv.FeedDir = filepath.Join(t.TempDir(), "feeds")
	st := h.register(t, "ST-1") // kecamatan 32.11.01
	ctx := context.Background()
	now := time.Now()
	if _, err := st.c.Feed(ctx, feed.KindOperators, 0, now); err == nil {
		t.Fatal("got a document before any was published")
	}
	ops, _ := json.Marshal([]feed.Operator{{Name: "ani", Role: "operator", Revoked: true}})
	d, err := server.Publish(h.srv.FeedDir, feed.KindOperators, ops, 72*time.Hour, h.srv.ReceiptKey, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.c.Feed(ctx, feed.KindOperators, 0, now)
	if err != nil || got == nil || got.Header.Version != d.Header.Version {
		t.Fatalf("feed: %+v %v", got, err)
	}
	if again, err := st.c.Feed(ctx, feed.KindOperators, d.Header.Version, now); err != nil || again != nil {
		t.Fatalf("unchanged feed returned %+v %v", again, err)
	}
	if _, err := st.c.Feed(ctx, feed.KindOperators, 0, now.Add(73*time.Hour)); err == nil {
		t.Fatal("an expired operator list was accepted")
	}
	gal, _ := json.Marshal(map[string]any{"records": 0})
	server.Publish(h.srv.FeedDir, "gallery/32.11.01", gal, 24*time.Hour, h.srv.ReceiptKey, now)
	server.Publish(h.srv.FeedDir, "gallery/32.11.02", gal, 24*time.Hour, h.srv.ReceiptKey, now)
	if g, err := st.c.Feed(ctx, "gallery/32.11.01", 0, now); err != nil || g == nil {
		t.Fatalf("own gallery: %v", err)
	}
	if _, err := st.c.Feed(ctx, "gallery/32.11.02", 0, now); err == nil {
		t.Fatal("got another kecamatan's gallery")
	}
}

func TestNIKCallUp(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	ctx := context.Background()
	h.backend.PutResidents(ctx, []server.ResidentRow{{NIK: "3211010101900001", Biodata: []byte(`{"nik":"3211010101900001","name":"BUDI"}`), Modified: time.Now()}})
	bio, err := st.c.LookupResident(ctx, "3211010101900001")
	if err != nil || string(bio) != `{"nik":"3211010101900001","name":"BUDI"}` {
		t.Fatalf("call-up: %s %v", bio, err)
	}
	if _, err := st.c.LookupResident(ctx, "3211010101900002"); err != client.ErrNoResident {
		t.Fatalf("unknown NIK: %v", err)
	}
	rows, _ := h.backend.Lookups(ctx, "ST-1", 10)
	if len(rows) != 2 {
		t.Fatalf("%d audited lookups, want 2", len(rows))
	}
	for _, r := range rows {
		if len(r.NIKHash) != 64 || r.NIKHash == "3211010101900001" {
			t.Fatalf("audit row holds %q", r.NIKHash)
		}
	}
}
