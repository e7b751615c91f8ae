package port

import (
	"context"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

// Sync is what the Sync screen asks of the station: the outbox with the
// centre's statuses, a sync pass on demand, an export to a drive, and the
// enrollments the centre asks to record again. Every method needs a role
// allowed to sync (operator.EnrollmentSync).
type Sync interface {
	// Registered reports whether the station is registered with the
	// national server; unregistered, it can neither seal nor sync.
	Registered() bool
	// LastSync returns the last sync pass (the app's or the nightly
	// one's); ok is false when the station has never synced.
	LastSync(ctx context.Context) (run syncstation.LastRun, ok bool, err error)
	// Packets lists every sealed packet, oldest first.
	Packets(ctx context.Context, sess *operator.Session) ([]Packet, error)
	// SyncNow runs one sync pass: upload, status pull, feeds and the
	// retention purge. progress (may be nil) is told each step, from the
	// syncing goroutine.
	SyncNow(ctx context.Context, sess *operator.Session, progress func(syncstation.Progress)) (syncstation.Report, error)
	// ExportOutbox writes the unsent packets and a signed manifest into
	// dir (a removable drive) and returns how many it wrote.
	ExportOutbox(ctx context.Context, sess *operator.Session, dir string) (int, error)
	// Rerecords lists the enrollments the centre refused with
	// ENROLL_FAILURE_AT_CENTRAL, with the centre's reason.
	Rerecords(ctx context.Context, sess *operator.Session) ([]Rerecord, error)
}

// Packet is one outbox row with its enrollment's state (the centre's
// status once pulled) and the packet file's size (-1 when the file is
// gone, e.g. removed by hand).
type Packet struct {
	store.OutboxItem
	State enroll.State
	Size  int64
}

// Rerecord is an enrollment the centre asks to record again.
type Rerecord struct {
	Enrollment store.Enrollment
	// Resident is the resident to record again.
	Resident store.ResidentRecord
	// Reason is the centre's reason.
	Reason string
	// Again is the resident's newer enrollment already started (0: none).
	Again int64
}
