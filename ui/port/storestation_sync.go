package port

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/sync/client"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

var _ Sync = (*StoreStation)(nil)

// OrphanAge is how old a packet file no outbox row names must be before a
// sync pass removes it (a crash while sealing leaves such files).
const OrphanAge = time.Hour

// Registered reports whether the config folder holds a registration.
func (st *StoreStation) Registered() bool {
	_, err := syncstation.LoadRegistration(st.configDir)
	return err == nil
}

// LastSync returns the last sync pass recorded in the store.
func (st *StoreStation) LastSync(ctx context.Context) (syncstation.LastRun, bool, error) {
	return syncstation.LoadLastRun(ctx, st.S)
}

// Packets lists the outbox with each enrollment's state and packet size.
func (st *StoreStation) Packets(ctx context.Context, sess *operator.Session) ([]Packet, error) {
	items, err := st.S.Outbox(ctx, sess, "")
	if err != nil {
		return nil, fmt.Errorf("list packets: %w", err)
	}
	out := make([]Packet, 0, len(items))
	for _, it := range items {
		e, err := st.S.Enrollment(ctx, sess, it.EnrollmentID)
		if err != nil {
			return nil, fmt.Errorf("list packets: %w", err)
		}
		p := Packet{OutboxItem: it, State: e.State, Size: -1}
		if fi, err := os.Stat(it.PacketPath); err == nil {
			p.Size = fi.Size()
		}
		out = append(out, p)
	}
	return out, nil
}

// SyncNow checks sess may sync, then runs one pass of the station's
// unattended sync (syncstation.NewSyncer) with the purge the retention
// policy asks for.
func (st *StoreStation) SyncNow(ctx context.Context, sess *operator.Session, progress func(syncstation.Progress)) (syncstation.Report, error) {
	if err := st.S.Check(ctx, sess, operator.EnrollmentSync); err != nil {
		return syncstation.Report{}, err
	}
	reg, err := syncstation.LoadRegistration(st.configDir)
	if err != nil {
		return syncstation.Report{}, fmt.Errorf("sync: %w", err)
	}
	sy, err := st.newSyncer(reg)
	if err != nil {
		return syncstation.Report{}, err
	}
	sy.Progress = progress
	if _, err := syncstation.RemoveOrphanPackets(ctx, st.S, st.dataDir, OrphanAge, time.Now()); err != nil {
		return syncstation.Report{}, fmt.Errorf("sync: %w", err)
	}
	return sy.Run(ctx, true)
}

// newSyncer builds the station's sync with the upload cap of its settings
// (config.Settings.SyncRateKBps), like the nightly daemon's.
func (st *StoreStation) newSyncer(reg *client.Registration) (*syncstation.Syncer, error) {
	c, err := config.Load(st.configDir)
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	sy, err := syncstation.NewSyncer(st.S, reg, int64(c.Tunables().SyncRateKBps)*1024, slog.Default())
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	sy.DataDir = st.dataDir
	return sy, nil
}

// ExportOutbox writes the unsent packets to dir (syncstation.ExportOutbox).
func (st *StoreStation) ExportOutbox(ctx context.Context, sess *operator.Session, dir string) (int, error) {
	reg, err := syncstation.LoadRegistration(st.configDir)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	m, err := syncstation.ExportOutbox(ctx, st.S, sess, st.keys.Signing, reg, dir, time.Now())
	if err != nil {
		return 0, err
	}
	return len(m.Packets), nil
}

// Rerecords lists ENROLL_FAILURE_AT_CENTRAL enrollments with the centre's
// reason (from the audited history) and the resident (an audited read).
func (st *StoreStation) Rerecords(ctx context.Context, sess *operator.Session) ([]Rerecord, error) {
	if err := st.S.Check(ctx, sess, operator.EnrollmentSync); err != nil {
		return nil, err
	}
	failed, err := st.S.Enrollments(ctx, sess, enroll.EnrollFailureAtCentral)
	if err != nil {
		return nil, fmt.Errorf("re-record list: %w", err)
	}
	out := make([]Rerecord, 0, len(failed))
	for _, e := range failed {
		r := Rerecord{Enrollment: e}
		if r.Resident, err = st.S.Resident(ctx, sess, e.ResidentID); err != nil {
			return nil, fmt.Errorf("re-record list: %w", err)
		}
		hist, err := st.S.Transitions(ctx, sess, e.ID)
		if err != nil {
			return nil, fmt.Errorf("re-record list: %w", err)
		}
		for _, t := range hist {
			if t.To == enroll.EnrollFailureAtCentral {
				r.Reason = t.Reason
			}
		}
		others, err := st.S.ResidentEnrollments(ctx, sess, e.ResidentID)
		if err != nil {
			return nil, fmt.Errorf("re-record list: %w", err)
		}
		for _, o := range others {
			if o.ID > e.ID && o.State != enroll.Voided && o.State != enroll.Rejected {
				r.Again = o.ID
			}
		}
		out = append(out, r)
	}
	return out, nil
}
