package station

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/enroll/store"
)

// lastRunKey is the sync_state key of the last pass's summary.
const lastRunKey = "last_run"

// LastRun is what the last sync pass did and when it ended, kept in the
// store so the app can tell the operator about a nightly sync it did not
// run itself.
type LastRun struct {
	At     time.Time `json:"at"`
	Report Report    `json:"report"`
	// Failed is true when the pass ended with an error (a part of it did
	// not complete); the report counts what did.
	Failed bool `json:"failed"`
}

// recordRun stores the summary of a pass that ended at now.
func (s *Syncer) recordRun(ctx context.Context, r Report, failed bool) error {
	b, err := json.Marshal(LastRun{At: s.now().UTC(), Report: r, Failed: failed})
	if err != nil {
		return err
	}
	if err := s.Store.SetSyncValue(ctx, lastRunKey, string(b)); err != nil {
		return fmt.Errorf("record sync pass: %w", err)
	}
	return nil
}

// LoadLastRun returns the last pass's summary; ok is false when the
// station has never synced.
func LoadLastRun(ctx context.Context, s *store.Store) (run LastRun, ok bool, err error) {
	v, err := s.SyncValue(ctx, lastRunKey)
	if err != nil || v == "" {
		return run, false, err
	}
	if err := json.Unmarshal([]byte(v), &run); err != nil {
		return run, false, fmt.Errorf("last sync pass: %w", err)
	}
	return run, true, nil
}
