package server_test

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/sync/bundle"
)

func TestBundleRoundTrip(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	ctx := context.Background()
	drive := t.TempDir()
	var items []bundle.Item
	for _, enr := range []string{"E-1", "E-2", "E-3"} {
		_, path := st.seal(t, enr, 20_000, h.srv.PacketKey.PublicKey())
		items = append(items, bundle.Item{Path: path, EnrollmentID: enr})
	}
	m, err := bundle.Export(drive, "ST-1", st.sign, items, time.Now())
	if err != nil || len(m.Packets) != 3 {
		t.Fatalf("export: %v", err)
	}
	// One packet already went up over the network: importing it again
	// returns the same receipt, no duplicate.
	netSigned, _, err := st.c.Upload(ctx, m.Packets[0].Packet, items[0].Path, "E-1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.srv.ImportBundle(ctx, drive)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.EnrollmentID, r.Err)
		}
	}
	if res[0].Receipt != netSigned.Encode() {
		t.Fatal("a packet received twice got two receipts")
	}
	signed, rs, errs := bundle.Receipts(drive, ed25519.PublicKey(st.reg.ReceiptKey))
	if len(signed) != 3 || len(errs) != 0 {
		t.Fatalf("station read %d receipts, errors %v", len(signed), errs)
	}
	seen := map[string]bool{}
	for _, r := range rs {
		seen[r.EnrollmentID] = true
	}
	if !seen["E-1"] || !seen["E-2"] || !seen["E-3"] {
		t.Fatalf("receipts for %v", seen)
	}
	stats, _ := h.backend.Stats(ctx)
	if stats[0].Received != 3 {
		t.Fatalf("server holds %d packets, want 3", stats[0].Received)
	}
	// A forged receipt on the drive is not believed.
	os.WriteFile(filepath.Join(drive, bundle.ReceiptsDir, "forged.receipt"), []byte("e30.AAAA"), 0o600)
	if _, _, errs := bundle.Receipts(drive, ed25519.PublicKey(st.reg.ReceiptKey)); len(errs) != 1 {
		t.Fatalf("forged receipt: errors %v", errs)
	}
}

func TestBundleRefusals(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	ctx := context.Background()
	_, path := st.seal(t, "E-1", 5_000, h.srv.PacketKey.PublicKey())

	// Signed by a key that is not the station's.
	_, other, _ := ed25519.GenerateKey(nil)
	drive := t.TempDir()
	if _, err := bundle.Export(drive, "ST-1", other, []bundle.Item{{Path: path, EnrollmentID: "E-1"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.ImportBundle(ctx, drive); err == nil {
		t.Fatal("bundle signed by another key imported")
	}
	// A packet swapped on the drive after export.
	drive2 := t.TempDir()
	m, _ := bundle.Export(drive2, "ST-1", st.sign, []bundle.Item{{Path: path, EnrollmentID: "E-1"}}, time.Now())
	p := filepath.Join(drive2, bundle.PacketsDir, m.Packets[0].Packet+".pkt")
	b, _ := os.ReadFile(p)
	b[100] ^= 1
	os.WriteFile(p, b, 0o600)
	res, err := h.srv.ImportBundle(ctx, drive2)
	if err != nil || len(res) != 1 || res[0].Err == nil {
		t.Fatalf("swapped packet: %+v %v", res, err)
	}
	// Unknown station.
	drive3 := t.TempDir()
	bundle.Export(drive3, "ST-404", st.sign, []bundle.Item{{Path: path, EnrollmentID: "E-1"}}, time.Now())
	if _, err := h.srv.ImportBundle(ctx, drive3); err == nil {
		t.Fatal("bundle from an unknown station imported")
	}
}
