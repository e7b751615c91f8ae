package main

import (
	"bufio"
	"fmt"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

func init() {
	register(&command{path: "operator add", summary: "add an operator account (admin only)", run: runOperatorAdd})
	register(&command{path: "operator list", summary: "list operator accounts (admin only)", run: runOperatorList})
	register(&command{path: "operator lock", summary: "lock (or with --unlock, unlock) an operator account (admin only)", run: runOperatorLock})
}

func runOperatorAdd(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "operator add", true)
	roleName := fs.String("role", "", "role: operator, supervisor, technician, auditor or admin (required)")
	newPw := fs.String("new-password-file", "", "file whose first line is the new account's password (else $REKAM_NEW_PASSWORD, else stdin)")
	usageLine(fs, "usage: rekamctl operator add NAME --role ROLE --as ADMIN [flags]")
	stdin := bufio.NewReader(cx.stdin)
	ss, code := o.begin(cx, fs, args, 1, stdin)
	if ss == nil {
		return code
	}
	defer ss.Close()
	role, err := operator.ParseRole(*roleName)
	if err != nil {
		return failf(cx, exitUsage, "operator add: %v", err)
	}
	pw, err := readSecret(cx, *newPw, "REKAM_NEW_PASSWORD", stdin)
	if err != nil {
		return failf(cx, exitUsage, "operator add: new password: %v", err)
	}
	name := ss.pos[0]
	id, err := ss.s.AddOperator(stationCtx, ss.sess, name, role, pw)
	if err != nil {
		return stationFail(cx, fmt.Errorf("operator add: %w", err))
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"id": id, "name": name, "role": role})
	} else {
		fmt.Fprintf(cx.stdout, "added operator %s (%s), id %d\n", name, role, id)
	}
	return exitOK
}

func runOperatorList(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "operator list", true)
	usageLine(fs, "usage: rekamctl operator list --as ADMIN [flags]")
	ss, code := o.begin(cx, fs, args, 0, bufio.NewReader(cx.stdin))
	if ss == nil {
		return code
	}
	defer ss.Close()
	ops, err := ss.s.Operators(stationCtx, ss.sess)
	if err != nil {
		return stationFail(cx, fmt.Errorf("operator list: %w", err))
	}
	for _, op := range ops {
		if o.jsonOut {
			emitJSON(cx, op)
			continue
		}
		state := "active"
		if op.Locked {
			state = "LOCKED"
		}
		last := "never"
		if op.LastLogin != nil {
			last = op.LastLogin.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(cx.stdout, "%-4d %-20s %-11s %-7s failures=%d last login %s\n", op.ID, op.Name, op.Role, state, op.Failures, last)
	}
	return exitOK
}

func runOperatorLock(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "operator lock", true)
	unlock := fs.Bool("unlock", false, "unlock the account instead (and clear its failure count)")
	usageLine(fs, "usage: rekamctl operator lock NAME --as ADMIN [--unlock] [flags]")
	ss, code := o.begin(cx, fs, args, 1, bufio.NewReader(cx.stdin))
	if ss == nil {
		return code
	}
	defer ss.Close()
	name := ss.pos[0]
	if err := ss.s.SetLocked(stationCtx, ss.sess, name, !*unlock); err != nil {
		return stationFail(cx, fmt.Errorf("operator lock: %w", err))
	}
	state := "locked"
	if *unlock {
		state = "unlocked"
	}
	if o.jsonOut {
		emitJSON(cx, map[string]string{"name": name, "state": state})
	} else {
		fmt.Fprintf(cx.stdout, "operator %s %s\n", name, state)
	}
	return exitOK
}
