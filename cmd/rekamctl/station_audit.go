package main

import (
	"bufio"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/enroll/audit"
)

func init() {
	register(&command{path: "audit verify", summary: "check the audit log's hash chain; exit 1 naming the first bad entry", run: runAuditVerify})
	register(&command{path: "audit show", summary: "print audit entries (auditor or admin)", run: runAuditShow})
}

func runAuditVerify(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "audit verify", true)
	usageLine(fs, "usage: rekamctl audit verify --as AUDITOR [flags]\n\nExit 0 when the chain and its recorded head verify, 1 naming the first bad entry.")
	ss, code := o.begin(cx, fs, args, 0, bufio.NewReader(cx.stdin))
	if ss == nil {
		return code
	}
	defer ss.Close()
	n, err := ss.s.VerifyAudit(stationCtx, ss.sess)
	var be *audit.BreakError
	if err != nil && !errors.As(err, &be) {
		return stationFail(cx, fmt.Errorf("audit verify: %w", err))
	}
	if o.jsonOut {
		out := map[string]any{"ok": be == nil, "entries": n}
		if be != nil {
			out["broken_at"], out["reason"] = be.Seq, be.Reason
		}
		emitJSON(cx, out)
	}
	if be != nil {
		return failf(cx, exitNegative, "audit verify: %v", be)
	}
	if !o.jsonOut {
		fmt.Fprintf(cx.stdout, "audit log ok: %d entries, chain and head verified\n", n)
	}
	return exitOK
}

func runAuditShow(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "audit show", true)
	after := fs.Int64("after", 0, "show entries after this sequence number")
	limit := fs.Int("limit", 100, "show at most this many entries")
	usageLine(fs, "usage: rekamctl audit show --as AUDITOR [--after N] [--limit N] [flags]")
	ss, code := o.begin(cx, fs, args, 0, bufio.NewReader(cx.stdin))
	if ss == nil {
		return code
	}
	defer ss.Close()
	es, err := ss.s.AuditLog(stationCtx, ss.sess, *after, *limit)
	if err != nil {
		return stationFail(cx, fmt.Errorf("audit show: %w", err))
	}
	for _, e := range es {
		if o.jsonOut {
			emitJSON(cx, e)
		} else {
			fmt.Fprintf(cx.stdout, "%6d %s %-14s %-22s %-16s %s\n", e.Seq, e.At.Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Object, e.Detail)
		}
	}
	return exitOK
}
