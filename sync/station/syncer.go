package station

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/client"
)

// Syncer runs the station's unattended sync against one server.
type Syncer struct {
	Store     *store.Store
	Client    *client.Client
	StationID string
	Now       func() time.Time
	Log       *slog.Logger
	// MaxBackoff caps the wait after repeated failures (default 6 h).
	MaxBackoff time.Duration
	// KeepStep says which capture steps survive a purge (the templates
	// local dedup needs); nil keeps steps named "template.*".
	KeepStep func(step string) bool
	// Progress, when set, is told each phase of Run as it starts and each
	// packet Upload has finished (from the syncing goroutine).
	Progress func(Progress)
	// DataDir, when set, is the station's data folder: the purge also
	// removes the receipt PDFs saved there (receipt.Path), which name the
	// resident.
	DataDir string
}

// Progress is where a sync pass stands: its phase ("upload", "status",
// "feeds", "purge") and, while uploading, packets done out of total.
type Progress struct {
	Phase       string
	Done, Total int
}

func (s *Syncer) progress(p Progress) {
	if s.Progress != nil {
		s.Progress(p)
	}
}

// NewSyncer builds the unattended sync of an open station store for its
// registration; rate > 0 caps the upload bandwidth (bytes per second).
func NewSyncer(s *store.Store, reg *client.Registration, rate int64, log *slog.Logger) (*Syncer, error) {
	c, err := reg.Client()
	if err != nil {
		return nil, fmt.Errorf("sync client: %w", err)
	}
	if rate > 0 {
		c.Limit = client.NewRateLimit(rate)
	}
	return &Syncer{Store: s, Client: c, StationID: reg.StationID, Log: log}, nil
}

// Report counts what one pass did.
type Report struct {
	Due, Received, Failed, Refused int
	Statuses, Purged, Feeds        int
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Syncer) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Backoff is the wait after the n-th consecutive failure: exponential from
// 30 s, capped, with ±20 % jitter so stations do not retry in step.
func Backoff(n int, max time.Duration, rng *rand.Rand) time.Duration {
	if max <= 0 {
		max = 6 * time.Hour
	}
	d := 30 * time.Second << min(n, 20)
	if d > max || d <= 0 {
		d = max
	}
	j := 0.8 + 0.4*rng.Float64()
	return time.Duration(float64(d) * j)
}

// Upload sends every due outbox packet. One failing packet never stops the
// others.
func (s *Syncer) Upload(ctx context.Context, r *Report) error {
	sess := s.Store.SystemSession("sync")
	due, err := s.Store.DueOutbox(ctx, sess, s.now())
	if err != nil {
		return err
	}
	r.Due += len(due)
	rng := rand.New(rand.NewPCG(uint64(s.now().UnixNano()), 7))
	for i, it := range due {
		s.progress(Progress{Phase: "upload", Done: i, Total: len(due)})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := s.Store.MarkSending(ctx, sess, it.ID); err != nil {
			return err
		}
		signed, _, err := s.Client.Upload(ctx, it.PacketSHA256, it.PacketPath, EnrollmentRef(s.StationID, it.EnrollmentID))
		if err == nil {
			if err := s.Store.RecordReceipt(ctx, sess, it.ID, signed.Encode()); err != nil {
				return err
			}
			r.Received++
			continue
		}
		var rej *client.RejectedError
		permanent := errors.As(err, &rej) && rej.Permanent
		if permanent {
			r.Refused++
		} else {
			r.Failed++
		}
		reason := err.Error()
		if len(reason) > 200 {
			reason = reason[:200]
		}
		s.log().Warn("packet not delivered", "outbox", it.ID, "permanent", permanent, "err", reason)
		if err := s.Store.RecordFailure(ctx, sess, it.ID, reason, s.now().Add(Backoff(it.Attempts, s.MaxBackoff, rng)), permanent); err != nil {
			return err
		}
	}
	return nil
}

// PullStatus applies the centre's decisions since the stored cursor.
func (s *Syncer) PullStatus(ctx context.Context, r *Report) error {
	sess := s.Store.SystemSession("sync")
	cur, err := s.Store.SyncValue(ctx, "status_cursor")
	if err != nil {
		return err
	}
	since, _ := strconv.ParseInt(cur, 10, 64)
	for {
		page, err := s.Client.Status(ctx, since)
		if err != nil {
			return fmt.Errorf("status pull: %w", err)
		}
		for _, u := range page.Updates {
			st, id, err := ParseEnrollmentRef(u.EnrollmentID)
			if err != nil || st != s.StationID {
				continue
			}
			to := enroll.State(u.Status)
			if !to.Valid() {
				s.log().Warn("unknown status from the centre", "status", u.Status)
				continue
			}
			if err := s.Store.ApplyCentralStatus(ctx, sess, id, to, u.Reason); err != nil {
				return fmt.Errorf("apply status %s to enrollment %d: %w", u.Status, id, err)
			}
			r.Statuses++
		}
		if len(page.Updates) == 0 || page.Next == since {
			return nil
		}
		since = page.Next
		if err := s.Store.SetSyncValue(ctx, "status_cursor", strconv.FormatInt(since, 10)); err != nil {
			return err
		}
	}
}

// PurgeReceived drops images and biodata of every receipted enrollment not
// yet purged, keeping templates.
func (s *Syncer) PurgeReceived(ctx context.Context, r *Report) error {
	sess := s.Store.SystemSession("sync")
	keep := s.KeepStep
	if keep == nil {
		keep = func(step string) bool { return strings.HasPrefix(step, "template.") }
	}
	items, err := s.Store.Outbox(ctx, sess, store.OutboxReceived)
	if err != nil {
		return err
	}
	for _, it := range items {
		n, err := s.Store.Purge(ctx, sess, it.EnrollmentID, keep)
		if err != nil {
			return err
		}
		r.Purged += n
		if s.DataDir != "" {
			p := receipt.Path(s.DataDir, s.StationID, it.EnrollmentID)
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("purge enrollment %d: saved receipt: %w", it.EnrollmentID, err)
			}
		}
	}
	return nil
}

// Run does one pass: upload, then status, feeds and purge. Upload errors do not
// stop the status pull (one failing must not block the other).
func (s *Syncer) Run(ctx context.Context, purge bool) (Report, error) {
	var r Report
	s.progress(Progress{Phase: "upload"})
	upErr := s.Upload(ctx, &r)
	s.progress(Progress{Phase: "status"})
	stErr := s.PullStatus(ctx, &r)
	s.progress(Progress{Phase: "feeds"})
	feErr := s.PullFeeds(ctx, &r)
	var puErr error
	if purge {
		s.progress(Progress{Phase: "purge"})
		puErr = s.PurgeReceived(ctx, &r)
	}
	err := errors.Join(upErr, stErr, feErr, puErr)
	return r, errors.Join(err, s.recordRun(ctx, r, err != nil))
}

// NextWindow returns when the nightly sync should next start: a random
// moment (jitter) inside the daily window [start, end) in the station's
// local time, after now. start and end are offsets from midnight.
func NextWindow(now time.Time, start, end time.Duration, rng *rand.Rand) time.Time {
	if end <= start {
		end = start + time.Hour
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for i := 0; i < 2; i++ {
		from, to := day.Add(start), day.Add(end)
		if now.Before(to) {
			if now.After(from) {
				from = now
			}
			return from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)) + 1)))
		}
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(start)
}
