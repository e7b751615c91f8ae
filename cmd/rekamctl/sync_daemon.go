package main

import (
	stdctx "context"
	"fmt"
	"github.com/rekam-ktp/rekam/enroll/config"
	"log/slog"
	"math/rand/v2"
	"os/signal"
	"strings"
	"syscall"
	"time"

	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

func init() {
	register(&command{path: "sync daemon", summary: "run the sync every night inside a window (e.g. --window 01:00-05:00), with jitter", run: runSyncDaemon})
}

// parseWindow reads "HH:MM-HH:MM" into offsets from midnight.
func parseWindow(s string) (start, end time.Duration, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("window %q: want HH:MM-HH:MM", s)
	}
	parse := func(x string) (time.Duration, error) {
		t, err := time.Parse("15:04", strings.TrimSpace(x))
		if err != nil {
			return 0, fmt.Errorf("window %q: %w", s, err)
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
	}
	if start, err = parse(a); err != nil {
		return 0, 0, err
	}
	if end, err = parse(b); err != nil {
		return 0, 0, err
	}
	if end <= start {
		end += 24 * time.Hour // a window across midnight
	}
	return start, end, nil
}

// daemonSchedule resolves the window and the rate: the flags when given,
// else the station's settings in config.json (the Settings screen edits
// them): the window's start with the spread as jitter, the cap in KiB/s.
func daemonSchedule(cx *context, o *stationOpts, window string, rate *int64) (start, end time.Duration, err error) {
	if window != "" && *rate >= 0 {
		start, end, err = parseWindow(window)
		return start, end, err
	}
	_, cfgDir, err := o.dirs(cx)
	if err != nil {
		return 0, 0, err
	}
	cfg, err := config.Load(cfgDir)
	if err != nil {
		return 0, 0, err
	}
	tun := cfg.Tunables()
	if *rate < 0 {
		*rate = int64(tun.SyncRateKBps) * 1024
	}
	if window != "" {
		return parseWindow(window)
	}
	start, end = tun.SyncOffsets()
	return start, end, nil
}

func runSyncDaemon(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "sync daemon", false)
	window := fs.String("window", "", "nightly window in local time, HH:MM-HH:MM (default: the station's settings, window and spread)")
	rate := fs.Int64("rate", -1, "bandwidth cap in bytes per second (0: none; default: the station's settings)")
	now := fs.Bool("now", false, "run one pass at once before waiting for the window")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUsage
	}
	start, end, err := daemonSchedule(cx, o, *window, rate)
	if err != nil {
		return failf(cx, exitUsage, "sync daemon: %v", err)
	}
	ctx, stop := signal.NotifyContext(stdctx.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(cx.stderr, nil))
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	pass := func() {
		st, err := o.open(cx)
		if err != nil {
			log.Error("sync pass", "err", err)
			return
		}
		defer st.s.Close()
		reg, err := syncstation.LoadRegistration(st.dir)
		if err != nil {
			log.Error("sync pass", "err", err)
			return
		}
		sy, err := syncstation.NewSyncer(st.s, reg, *rate, log)
		if err != nil {
			log.Error("sync pass", "err", err)
			return
		}
		sy.DataDir = st.data
		rep, err := sy.Run(ctx, true)
		log.Info("sync pass", "received", rep.Received, "failed", rep.Failed, "refused", rep.Refused, "statuses", rep.Statuses, "feeds", rep.Feeds, "err", err)
	}
	if *now {
		pass()
	}
	for {
		next := syncstation.NextWindow(time.Now(), start, end, rng)
		log.Info("next sync", "at", next.Format(time.RFC3339))
		select {
		case <-ctx.Done():
			return exitOK
		case <-time.After(time.Until(next)):
		}
		pass()
	}
}
