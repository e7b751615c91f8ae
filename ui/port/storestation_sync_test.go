package port

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/bundle"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

// approvedBy stores a complete enrollment recorded by op (real PNG images,
// so it can be sealed), submits it and has sup approve it (which seals it
// when the station is registered).
func approvedBy(t *testing.T, st *StoreStation, op, sup *operator.Session, nikStr string) int64 {
	t.Helper()
	ctx := context.Background()
	g := image.NewGray(image.Rect(0, 0, 120, 160))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	png.Encode(&b, g)
	rid, err := st.SaveResident(ctx, op, 0, enroll.Resident{NIK: nikStr, Name: "ASEP"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.StartEnrollment(ctx, op, rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range Steps() {
		if err := st.SaveCapture(ctx, op, id, step, b.Bytes(), store.CaptureMeta{Format: "png"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, op, id); err != nil {
		t.Fatal(err)
	}
	if err := st.Decide(ctx, sup, id, true, ""); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSyncPortPacketsExportSyncNow(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	if st.Registered() {
		t.Fatal("a new station is registered")
	}
	if _, err := st.SyncNow(ctx, s["sup1"], nil); !errors.Is(err, syncstation.ErrNotRegistered) {
		t.Fatalf("unregistered sync: %v", err)
	}
	register(t, st)
	if !st.Registered() {
		t.Fatal("not registered after registration")
	}
	id := approvedBy(t, st, s["op1"], s["sup2"], "3211010101900007")

	ps, err := st.Packets(ctx, s["sup1"])
	if err != nil || len(ps) != 1 || ps[0].EnrollmentID != id || ps[0].State != enroll.Processing || ps[0].Status != store.OutboxPending || ps[0].Size <= 0 {
		t.Fatalf("packets %+v, %v", ps, err)
	}
	if _, err := st.Packets(ctx, s["op1"]); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator listed the outbox: %v", err)
	}
	drive := t.TempDir()
	if n, err := st.ExportOutbox(ctx, s["sup1"], drive); err != nil || n != 1 {
		t.Fatalf("export %d, %v", n, err)
	}
	if m, _, _, err := bundle.ReadManifest(drive); err != nil || m.Packets[0].Size != ps[0].Size {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	if _, err := st.SyncNow(ctx, s["op1"], nil); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator synced: %v", err)
	}
	var phases []string
	rep, err := st.SyncNow(ctx, s["sup1"], func(p syncstation.Progress) { phases = append(phases, p.Phase) })
	if err != nil || rep.Received != 1 {
		t.Fatalf("sync %+v, %v", rep, err)
	}
	if !slices.Equal(slices.Compact(phases), []string{"upload", "status", "feeds", "purge"}) {
		t.Fatalf("phases %v", phases)
	}
	if last, ok, err := st.LastSync(ctx); !ok || err != nil || last.Report.Received != 1 {
		t.Fatalf("last sync %+v %v %v", last, ok, err)
	}
	ps, _ = st.Packets(ctx, s["sup1"])
	if ps[0].Status != store.OutboxReceived || !(ps[0].State == enroll.ReceivedAtCentral || slices.Contains(enroll.ReceivedAtCentral.Next(), ps[0].State)) {
		t.Fatalf("after sync %+v", ps[0])
	}
}

// failAtCentral walks an APPROVED enrollment through the centre's statuses
// to ENROLL_FAILURE_AT_CENTRAL with reason, as the status pull would.
func failAtCentral(t *testing.T, s *store.Store, id int64, reason string) {
	t.Helper()
	sys := s.SystemSession("sync")
	for _, to := range []enroll.State{enroll.Processing, enroll.SentForEnrollment, enroll.ReceivedAtCentral, enroll.EnrollFailureAtCentral} {
		if err := s.ApplyCentralStatus(context.Background(), sys, id, to, reason); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyncPortRerecords(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	id := approvedBy(t, st, s["op1"], s["sup2"], "3211010101900008")
	failAtCentral(t, st.S, id, "sidik jari tidak terbaca")
	if _, err := st.Rerecords(ctx, s["op1"]); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator listed re-records: %v", err)
	}
	rs, err := st.Rerecords(ctx, s["sup1"])
	if err != nil || len(rs) != 1 || rs[0].Enrollment.ID != id || rs[0].Reason != "sidik jari tidak terbaca" ||
		rs[0].Resident.Resident.NIK != "3211010101900008" || rs[0].Again != 0 {
		t.Fatalf("re-records %+v, %v", rs, err)
	}
	again, err := st.StartEnrollment(ctx, s["op1"], rs[0].Resident.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rs, _ := st.Rerecords(ctx, s["sup1"]); rs[0].Again != again {
		t.Fatalf("re-record not linked to the new enrollment %d: %+v", again, rs[0])
	}
}

func TestReceiptPortBuildsAndSaves(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	id := approvedBy(t, st, s["op1"], s["sup2"], "3211010101900009")
	info, _ := st.Info(ctx)
	r, err := st.Receipt(ctx, s["op1"], id, info.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != syncstation.EnrollmentRef(info.ID, id) || r.State != enroll.Approved {
		t.Fatalf("receipt number %q state %s, want the centre's reference %q", r.Number, r.State, syncstation.EnrollmentRef(info.ID, id))
	}
	// The receipt package reads the step names Steps() saves.
	c := r.Captured
	if receipt.Count(c.Fingers[:]) != 10 || receipt.Count(c.Irises[:]) != 2 || !c.Face.Captured || !c.Signature.Captured {
		t.Fatalf("the receipt does not count every step of Steps(): %+v", c)
	}
	// The saved PDF is personal data outside the store: a role that may
	// not read the enrollment writes nothing, and every save is audited.
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveReceipt(ctx, admin, r, []byte("%PDF-1.3 x")); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("admin saved a receipt: %v", err)
	}
	if _, err := os.Stat(filepath.Join(st.dataDir, ReceiptsDir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused save left the receipts folder: %v", err)
	}
	path, err := st.SaveReceipt(ctx, s["op1"], r, []byte("%PDF-1.3 x"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.AuditQuery(ctx, admin, store.AuditFilter{Action: "enrollment.export"})
	if err != nil || page.Total != 1 || page.Entries[0].Actor != "op1" || page.Entries[0].Object != fmt.Sprintf("enrollment:%d", id) {
		t.Fatalf("the save is not audited once: %+v %v", page, err)
	}
	fi, err := os.Stat(path)
	if err != nil || filepath.Dir(path) != filepath.Join(st.dataDir, ReceiptsDir) || fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved %s: %v %v", path, fi.Mode(), err)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF-1.3 x" {
		t.Fatalf("saved %q", b)
	}
}

// TestSyncNowUsesTheSettingsRate: the station's manual sync keeps to the
// upload cap the admin set on the Settings screen, like the nightly one.
func TestSyncNowUsesTheSettingsRate(t *testing.T) {
	ctx := context.Background()
	st, _ := fixture(t)
	register(t, st)
	reg, err := syncstation.LoadRegistration(st.configDir)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, kbps := range []int{64, 0} {
		v, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v.SyncRateKBps = kbps
		if err := st.SaveSettings(ctx, admin, v); err != nil {
			t.Fatal(err)
		}
		sy, err := st.newSyncer(reg)
		if err != nil {
			t.Fatal(err)
		}
		if capped := sy.Client.Limit != nil; capped != (kbps > 0) {
			t.Errorf("settings cap %d KiB/s: sync capped %v", kbps, capped)
		}
	}
}
