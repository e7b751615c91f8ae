package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/bundle"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
	"github.com/rekam-ktp/rekam/ui/port"
)

// registerStation registers the harness's station with a fresh in-process
// national server, as `rekamctl station register` would.
func (h *harness) registerStation() {
	h.t.Helper()
	ctx := context.Background()
	srv := pusattest.Start(h.t, "3211-01", "32.11.01")
	k, err := keys.Load(h.l.ConfigDir)
	if err != nil {
		h.t.Fatal(err)
	}
	reg, err := client.Register(ctx, srv.URL, srv.Token, "3211-01", k.PublicKey())
	if err != nil {
		h.t.Fatal(err)
	}
	if err := syncstation.SaveRegistration(h.l.ConfigDir, reg); err != nil {
		h.t.Fatal(err)
	}
}

// syncWidgets finds the sync screen's two lists (packets, re-records) and
// its drive entry.
func (h *harness) syncWidgets() (packets, rerecords *widget.List, drive *widget.Entry) {
	h.t.Helper()
	if h.a.Screen() != "sync" {
		h.t.Fatalf("screen %q, want sync", h.a.Screen())
	}
	lists := find[*widget.List](h.w.Canvas().Content())
	entries := find[*widget.Entry](h.w.Canvas().Content())
	if len(lists) != 2 || len(entries) != 1 {
		h.t.Fatalf("sync screen has %d lists, %d entries", len(lists), len(entries))
	}
	return lists[0], lists[1], entries[0]
}

func TestSyncScreenExportThenSyncNowToCentre(t *testing.T) {
	h := newHarness(t, true)
	h.registerStation()
	ctx := context.Background()
	id := h.submitted("op1", "3211010101900005")
	if err := h.store().Decide(ctx, h.session("sup2"), id, true, ""); err != nil {
		t.Fatal(err)
	}
	h.login("sup1")
	test.Tap(button(h.w.Canvas().Content(), lang.L("cmd.sync"))) // the dashboard's button
	h.a.Wait()
	packets, _, drive := h.syncWidgets()
	content := h.w.Canvas().Content()
	if packets.Length() != 1 || !strings.Contains(labelsText(content), lang.L("sync.registered")) || !strings.Contains(labelsText(content), lang.L("sync.never")) {
		t.Fatalf("%d packets:\n%s", packets.Length(), labelsText(content))
	}
	// Export to a drive.
	dir := t.TempDir()
	drive.SetText(dir)
	test.Tap(button(content, lang.L("sync.export")))
	h.a.Wait()
	if m, _, _, err := bundle.ReadManifest(dir); err != nil || len(m.Packets) != 1 {
		t.Fatalf("drive manifest %+v, %v", m, err)
	}
	if !strings.Contains(labelsText(content), lang.X("sync.exported", "", map[string]any{"N": 1, "Dir": dir})) {
		t.Fatalf("export not told:\n%s", labelsText(content))
	}
	// Sync now (Ctrl+L) runs in the background and ends received.
	h.shortcut(fyne.KeyL, false)
	e, err := h.store().Enrollment(ctx, h.session("sup2"), id)
	if err != nil || !(e.State == enroll.ReceivedAtCentral || slices.Contains(enroll.ReceivedAtCentral.Next(), e.State)) {
		t.Fatalf("after sync now the enrollment is %s (%v), want RECEIVED_AT_CENTRAL or the centre's decision", e.State, err)
	}
	// The signed receipt moved it to RECEIVED_AT_CENTRAL (the centre may
	// have decided on it since, in the same pass's status pull).
	hist, err := h.store().S.Transitions(ctx, h.session("sup2"), id)
	if err != nil || !slices.ContainsFunc(hist, func(tr enroll.Transition) bool { return tr.To == enroll.ReceivedAtCentral }) {
		t.Fatalf("history %+v, %v: never RECEIVED_AT_CENTRAL", hist, err)
	}
	text := labelsText(content)
	if !strings.Contains(text, lang.X("sync.result", "", map[string]any{"Received": 1, "Failed": 0, "Refused": 0, "Statuses": 1})) &&
		!strings.Contains(text, lang.X("sync.result", "", map[string]any{"Received": 1, "Failed": 0, "Refused": 0, "Statuses": 2})) {
		t.Fatalf("no result told:\n%s", text)
	}
	last, ok, err := h.store().LastSync(ctx)
	if err != nil || !ok || last.Report.Received != 1 || !strings.Contains(text, lastSyncLabel(last, true, h.clk.Now())) {
		t.Fatalf("last sync %+v %v %v not shown:\n%s", last, ok, err, text)
	}
	if !strings.Contains(text, lang.L("sync.outbox.received")) {
		t.Fatalf("the packet row does not say received:\n%s", text)
	}
	// The dashboard tells the last sync too.
	h.shortcut(fyne.KeyD, false)
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lastSyncLabel(last, true, h.clk.Now())) {
		t.Fatalf("the dashboard does not tell the last sync:\n%s", labelsText(h.w.Canvas().Content()))
	}
	h.shortcut(fyne.KeyK, false)
	packets, _, _ = h.syncWidgets()
	content = h.w.Canvas().Content()
	// The packet's receipt is one selection away.
	packets.Select(0)
	test.Tap(button(content, lang.L("receipt.button")))
	h.a.Wait()
	if h.a.Screen() != "receipt" {
		t.Fatalf("receipt button went to %q", h.a.Screen())
	}
}

func TestSyncScreenRerecordStartsANewEnrollment(t *testing.T) {
	h := newHarness(t, true)
	ctx := context.Background()
	const n = "3211010101900001"
	id := h.submitted("op1", n)
	e, _ := h.store().Enrollment(ctx, h.session("sup2"), id)
	full := enroll.Resident{NIK: n, KK: "3211010101090001", Name: "ASEP", BirthPlace: "SUMEDANG", BirthDate: "1990-01-01",
		Sex: 1, Religion: 1, Marital: 2, FamilyRelation: 1, Education: 5, Occupation: 15, MotherName: "IBU",
		Address: "JL 1", RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1}
	if _, err := h.store().SaveResident(ctx, h.session("op1"), e.ResidentID, full); err != nil {
		t.Fatal(err)
	}
	if err := h.store().Decide(ctx, h.session("sup2"), id, true, ""); err != nil {
		t.Fatal(err)
	}
	// The centre refuses it, as the status pull would apply.
	sys := h.store().S.SystemSession("sync")
	for _, to := range []enroll.State{enroll.Processing, enroll.SentForEnrollment, enroll.ReceivedAtCentral, enroll.EnrollFailureAtCentral} {
		if err := h.store().S.ApplyCentralStatus(ctx, sys, id, to, "sidik jari tidak terbaca"); err != nil {
			t.Fatal(err)
		}
	}
	h.login("sup1")
	h.shortcut(fyne.KeyK, false) // Ctrl+K (kirim): sync
	_, rerecords, _ := h.syncWidgets()
	content := h.w.Canvas().Content()
	text := labelsText(content)
	if !strings.Contains(text, lang.L("sync.not_registered")) || !button(content, lang.L("sync.now")).Disabled() {
		t.Fatalf("an unregistered station offers sync:\n%s", text)
	}
	if rerecords.Length() != 1 {
		t.Fatalf("%d re-record requests", rerecords.Length())
	}
	rerecords.Select(0)
	h.a.Wait()
	again := button(content, lang.L("sync.rerecord"))
	if again.Disabled() {
		t.Fatal("re-record stays disabled on a selection")
	}
	test.Tap(again)
	if h.a.Screen() != "enroll.privacy" {
		t.Fatalf("re-record opened %q", h.a.Screen())
	}
	h.a.flow.consent = true
	h.shortcut(fyne.KeyL, false)
	if b := h.biodata(); b.nik.Text != n || b.name.Text != "ASEP" {
		t.Fatalf("biodata not filled for the re-record: %q %q", b.nik.Text, b.name.Text)
	}
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("screen %q, want enroll.fingers", h.a.Screen())
	}
	newID := h.a.flow.enrollmentID
	if ne, _ := h.store().Enrollment(ctx, h.session("sup2"), newID); newID == id || ne.ResidentID != e.ResidentID || ne.State != enroll.Draft {
		t.Fatalf("new enrollment %d: %+v", newID, ne)
	}
	h.shortcut(fyne.KeyK, false)
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.X("sync.rerecorded", "", map[string]any{"ID": newID})) {
		t.Fatalf("the request does not name the new enrollment:\n%s", labelsText(h.w.Canvas().Content()))
	}
}

func TestSyncScreenForbiddenToOperators(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	if button(h.w.Canvas().Content(), lang.L("cmd.sync")) != nil {
		t.Fatal("the dashboard offers sync to an operator")
	}
	h.shortcut(fyne.KeyK, false)
	if h.a.Screen() == "sync" || !strings.Contains(h.overlayText(), lang.L("error.forbidden")) {
		t.Fatalf("an operator reached %q (%q)", h.a.Screen(), h.overlayText())
	}
}

func TestSyncScreenRows(t *testing.T) {
	at := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	tests := []struct {
		name      string
		got       string
		want      []string
		forbidden []string
	}{
		{name: "never synced", got: lastSyncLabel(syncstation.LastRun{}, false, at), want: []string{lang.L("sync.never")}},
		{name: "last pass ok", got: lastSyncLabel(syncstation.LastRun{At: at, Report: syncstation.Report{Received: 3, Statuses: 2}}, true, at),
			want: []string{lang.X("sync.last_ok", "", map[string]any{"At": "27-11-2026 01:30", "Received": 3, "Statuses": 2})}},
		{name: "last pass failed counts refused", got: lastSyncLabel(syncstation.LastRun{At: at, Failed: true, Report: syncstation.Report{Received: 1, Failed: 1, Refused: 1}}, true, at),
			want: []string{lang.X("sync.last_failed", "", map[string]any{"At": "27-11-2026 01:30", "Received": 1, "Failed": 2})}},
		{name: "packet with error", got: packetRow(port.Packet{OutboxItem: store.OutboxItem{EnrollmentID: 7, Status: store.OutboxPending, Attempts: 2, LastError: "connection reset"}, State: enroll.SentForEnrollment, Size: 2048}),
			want: []string{"#7", lang.L("sync.state.sent"), lang.L("sync.outbox.pending"), "2.0 KB", "connection reset"}},
		{name: "packet file gone", got: packetRow(port.Packet{OutboxItem: store.OutboxItem{EnrollmentID: 8, Status: store.OutboxRefused}, State: enroll.Processing, Size: -1}),
			want: []string{lang.L("sync.file_missing"), lang.L("sync.outbox.refused"), stateLabel(enroll.Processing)}},
		{name: "re-record row masks the NIK", got: rerecordRow(port.Rerecord{Enrollment: store.Enrollment{ID: 9}, Reason: "foto buram",
			Resident: store.ResidentRecord{Resident: enroll.Resident{NIK: "3211010101900009", Name: "ASEP"}}, Again: 12}),
			want:      []string{"#9", nik.Mask("3211010101900009"), "ASEP", "foto buram", lang.X("sync.rerecorded", "", map[string]any{"ID": 12})},
			forbidden: []string{"3211010101900009"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				if !strings.Contains(tc.got, w) {
					t.Errorf("%q lacks %q", tc.got, w)
				}
			}
			for _, f := range tc.forbidden {
				if strings.Contains(tc.got, f) {
					t.Errorf("%q holds %q", tc.got, f)
				}
			}
		})
	}
}

// TestDashboardUnreadableLastSync: a last-sync record that cannot be read
// is not shown as "never synced" on the dashboard.
func TestDashboardUnreadableLastSync(t *testing.T) {
	h := newHarness(t, true)
	if err := h.store().S.SetSyncValue(context.Background(), "last_run", "{not json"); err != nil {
		t.Fatal(err)
	}
	h.login("sup1")
	if h.a.Screen() != "dashboard" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	if text := labelsText(h.w.Canvas().Content()); strings.Contains(text, lang.L("sync.never")) {
		t.Fatalf("an unreadable last sync shown as never synced:\n%s", text)
	}
}
