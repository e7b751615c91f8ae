package station_test

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/sync/bundle"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
	"github.com/rekam-ktp/rekam/sync/station"
)

// TestExportOutboxThenNewSyncerReportsProgress: the unsent outbox goes to
// a drive with a manifest the station's key verifies; a syncer built by
// NewSyncer then delivers it and tells each phase and packet on the way.
func TestExportOutboxThenNewSyncerReportsProgress(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	f := newStation(t)
	reg, err := client.Register(ctx, srv.URL, srv.Token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer := &station.Sealer{Store: f.s, Keys: f.k, DataDir: f.data, Reg: reg}
	ids := []int64{f.approved(t, "3211010101900011"), f.approved(t, "3211010101900012")}
	for _, id := range ids {
		if _, err := sealer.Seal(ctx, f.sup, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := station.ExportOutbox(ctx, f.s, f.op, f.k.Signing, reg, t.TempDir(), time.Now()); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator exported the outbox: %v", err)
	}
	drive := t.TempDir()
	m, err := station.ExportOutbox(ctx, f.s, f.sup, f.k.Signing, reg, drive, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, body, sig, err := bundle.ReadManifest(drive)
	if err != nil || len(got.Packets) != 2 || len(m.Packets) != 2 || got.Packets[0].EnrollmentID != station.EnrollmentRef("ST-01", ids[0]) {
		t.Fatalf("manifest %+v, %v", got, err)
	}
	if err := bundle.Verify(body, sig, f.k.PublicKey()); err != nil {
		t.Fatal(err)
	}

	sy, err := station.NewSyncer(f.s, reg, 1<<30, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var seen []station.Progress
	sy.Progress = func(p station.Progress) { seen = append(seen, p) }
	if _, ok, err := station.LoadLastRun(ctx, f.s); ok || err != nil {
		t.Fatalf("a last pass before any: %v %v", ok, err)
	}
	rep, err := sy.Run(ctx, false)
	if err != nil || rep.Received != 2 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	if last, ok, err := station.LoadLastRun(ctx, f.s); !ok || err != nil || last.Failed || last.Report != rep || last.At.IsZero() {
		t.Fatalf("last pass %+v %v %v, want the report %+v", last, ok, err, rep)
	}
	want := []station.Progress{{Phase: "upload"}, {Phase: "upload", Done: 0, Total: 2}, {Phase: "upload", Done: 1, Total: 2},
		{Phase: "status"}, {Phase: "feeds"}}
	if len(seen) != len(want) {
		t.Fatalf("progress %+v, want %+v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("progress %+v, want %+v", seen, want)
		}
	}
	// Nothing unsent is left to export.
	if m, err := station.ExportOutbox(ctx, f.s, f.sup, f.k.Signing, reg, t.TempDir(), time.Now()); err != nil || len(m.Packets) != 0 {
		t.Fatalf("second export %+v, %v", m, err)
	}
}
