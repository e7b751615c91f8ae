package main

import (
	"bufio"
	stdctx "context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"time"

	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/sync/bundle"
	"github.com/rekam-ktp/rekam/sync/client"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

func init() {
	register(&command{path: "station register", summary: "register this station with the national server (--server URL --token T, as admin)", run: runStationRegister})
	register(&command{path: "seal", summary: "seal an APPROVED enrollment into a signed, encrypted packet (as supervisor)", run: runSeal})
	register(&command{path: "sync run", summary: "one sync pass: upload the outbox, pull the centre's statuses, purge receipted data", run: runSyncRun})
	register(&command{path: "sync status", summary: "list the outbox: every sealed packet and where it stands", run: runSyncStatus})
	register(&command{path: "sync export", summary: "write the unsent outbox and a signed manifest to a drive (as supervisor)", run: runSyncExport})
	register(&command{path: "sync import-receipts", summary: "take the centre's signed receipts back from a drive", run: runSyncImportReceipts})
}

func runStationRegister(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "station register", true)
	server := fs.String("server", "", "national server address, https://host:port")
	token := fs.String("token", "", "one-time token from `rekam-pusat station add` (else $REKAM_REGISTRATION_TOKEN)")
	ses, code := o.begin(cx, fs, args, 0, bufio.NewReader(cx.stdin))
	if ses == nil {
		return code
	}
	defer ses.Close()
	if ses.sess.Role != operator.RoleAdmin {
		return failf(cx, exitNegative, "station register: only an admin may register the station")
	}
	if *token == "" {
		*token = cx.getenv("REKAM_REGISTRATION_TOKEN")
	}
	if *server == "" || *token == "" {
		return failf(cx, exitUsage, "station register: --server and --token are required")
	}
	st, err := ses.s.Station(stationCtx)
	if err != nil {
		return stationFail(cx, err)
	}
	reg, err := client.Register(stationCtx, *server, *token, st.ID, ses.k.PublicKey())
	if err != nil {
		return failf(cx, exitNegative, "station register: %v", err)
	}
	if err := syncstation.SaveRegistration(ses.dir, reg); err != nil {
		return failf(cx, exitUsage, "station register: %v", err)
	}
	if o.jsonOut {
		emitJSON(cx, map[string]string{"station_id": st.ID, "server": *server})
	} else {
		fmt.Fprintf(cx.stdout, "station %s registered with %s\n", st.ID, *server)
	}
	return exitOK
}

func runSeal(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "seal", true)
	usageLine(fs, "usage: rekamctl seal ENROLLMENT-ID --as SUPERVISOR")
	ses, id, code := o.beginOnEnrollment(cx, fs, args, "seal")
	if ses == nil {
		return code
	}
	defer ses.Close()
	reg, err := syncstation.LoadRegistration(ses.dir)
	if err != nil {
		return failf(cx, exitNegative, "seal: %v", err)
	}
	// The local dedup gallery learns every sealed enrollment.
	chk, err := dedup.Open(stationCtx, ses.s, ses.sess, index.DefaultPolicy)
	if err != nil {
		return stationFail(cx, err)
	}
	path, err := (&syncstation.Sealer{Store: ses.s, Keys: ses.k, Reg: reg, DataDir: ses.data, Dedup: chk}).Seal(stationCtx, ses.sess, id)
	if err != nil {
		return stationFail(cx, err)
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"enrollment": id, "packet": path})
	} else {
		fmt.Fprintf(cx.stdout, "enrollment %d sealed: %s\n", id, path)
	}
	return exitOK
}

func runSyncRun(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "sync run", false)
	purge := fs.Bool("purge", true, "purge images and biodata of receipted enrollments (templates are kept)")
	rate := fs.Int64("rate", 0, "bandwidth cap in bytes per second (0: none)")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUsage
	}
	st, err := o.open(cx)
	if err != nil {
		return stationFail(cx, err)
	}
	defer st.s.Close()
	reg, err := syncstation.LoadRegistration(st.dir)
	if err != nil {
		return failf(cx, exitNegative, "sync run: %v", err)
	}
	sy, err := syncstation.NewSyncer(st.s, reg, *rate, slog.New(slog.NewTextHandler(cx.stderr, nil)))
	if err != nil {
		return failf(cx, exitUsage, "sync run: %v", err)
	}
	sy.Client.Backoff = 200 * time.Millisecond
	sy.DataDir = st.data
	if n, err := syncstation.RemoveOrphanPackets(stationCtx, st.s, st.data, time.Hour, time.Now()); err == nil && n > 0 {
		fmt.Fprintf(cx.stderr, "rekamctl: sync run: removed %d packet files no outbox row names (left by a crash while sealing)\n", n)
	}
	rep, err := sy.Run(stdctx.Background(), *purge)
	if o.jsonOut {
		emitJSON(cx, map[string]int{"due": rep.Due, "received": rep.Received, "failed": rep.Failed, "refused": rep.Refused, "statuses": rep.Statuses, "purged": rep.Purged})
	} else {
		fmt.Fprintf(cx.stdout, "due %d, received %d, failed %d, refused %d; %d statuses applied; %d capture steps purged\n",
			rep.Due, rep.Received, rep.Failed, rep.Refused, rep.Statuses, rep.Purged)
	}
	if err != nil {
		fmt.Fprintf(cx.stderr, "rekamctl: sync run: %v\n", err)
		return exitNegative
	}
	if rep.Failed+rep.Refused > 0 {
		return exitNegative
	}
	return exitOK
}

func runSyncStatus(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "sync status", false)
	if _, err := parseArgs(fs, args); err != nil {
		return exitUsage
	}
	st, err := o.open(cx)
	if err != nil {
		return stationFail(cx, err)
	}
	defer st.s.Close()
	sess := st.s.SystemSession("sync")
	items, err := st.s.Outbox(stationCtx, sess, "")
	if err != nil {
		return stationFail(cx, err)
	}
	for _, it := range items {
		e, err := st.s.Enrollment(stationCtx, sess, it.EnrollmentID)
		if err != nil {
			return stationFail(cx, err)
		}
		if o.jsonOut {
			emitJSON(cx, map[string]any{"outbox": it.ID, "enrollment": it.EnrollmentID, "state": e.State, "packet": it.PacketSHA256,
				"status": it.Status, "attempts": it.Attempts, "last_error": it.LastError})
			continue
		}
		fmt.Fprintf(cx.stdout, "%6d  enrollment %-6d %-26s %-9s attempts %d  %s\n", it.ID, it.EnrollmentID, e.State, it.Status, it.Attempts, it.LastError)
	}
	return exitOK
}

func runSyncExport(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "sync export", true)
	usageLine(fs, "usage: rekamctl sync export DIR --as SUPERVISOR")
	ses, code := o.begin(cx, fs, args, 1, bufio.NewReader(cx.stdin))
	if ses == nil {
		return code
	}
	defer ses.Close()
	reg, err := syncstation.LoadRegistration(ses.dir)
	if err != nil {
		return failf(cx, exitNegative, "sync export: %v", err)
	}
	m, err := syncstation.ExportOutbox(stationCtx, ses.s, ses.sess, ses.k.Signing, reg, ses.pos[0], time.Now())
	if err != nil {
		return failf(cx, stationExit(err), "sync export: %v", err)
	}
	fmt.Fprintf(cx.stdout, "%d packets exported to %s\n", len(m.Packets), ses.pos[0])
	return exitOK
}

func runSyncImportReceipts(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "sync import-receipts", false)
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(cx.stderr, "usage: rekamctl sync import-receipts DIR")
		return exitUsage
	}
	st, err := o.open(cx)
	if err != nil {
		return stationFail(cx, err)
	}
	defer st.s.Close()
	reg, err := syncstation.LoadRegistration(st.dir)
	if err != nil {
		return failf(cx, exitNegative, "sync import-receipts: %v", err)
	}
	signed, rs, errs := bundle.Receipts(pos[0], ed25519.PublicKey(reg.ReceiptKey))
	sess := st.s.SystemSession("sync")
	n := 0
	for i, r := range rs {
		it, err := st.s.OutboxByPacket(stationCtx, sess, r.Packet)
		if err != nil {
			errs = append(errs, fmt.Errorf("receipt for unknown packet %s", r.Packet[:12]))
			continue
		}
		if syncstation.EnrollmentRef(reg.StationID, it.EnrollmentID) != r.EnrollmentID {
			errs = append(errs, fmt.Errorf("receipt for packet %s names another enrollment", r.Packet[:12]))
			continue
		}
		if err := st.s.RecordReceipt(stationCtx, sess, it.ID, signed[i].Encode()); err != nil {
			return stationFail(cx, err)
		}
		n++
	}
	for _, e := range errs {
		fmt.Fprintf(cx.stderr, "rekamctl: sync import-receipts: %v\n", e)
	}
	fmt.Fprintf(cx.stdout, "%d receipts recorded\n", n)
	if len(errs) > 0 {
		return exitNegative
	}
	return exitOK
}
