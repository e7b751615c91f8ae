package main

import (
	"bufio"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

func init() {
	register(&command{path: "receipt", summary: "write an enrollment's receipt (Tanda Terima Perekaman KTP-el) as PDF, or check a receipt's verification code (audited)", run: runReceipt})
}

func runReceipt(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "receipt", true)
	out := fs.String("out", "", "write the PDF to this file (0600, atomically)")
	verify := fs.String("verify", "", "check this verification code, as printed on a receipt, against the enrollment")
	usageLine(fs, "usage: rekamctl receipt ENROLLMENT-ID (--out FILE | --verify CODE) --as OPERATOR")
	ses, id, code := o.beginOnEnrollment(cx, fs, args, "receipt")
	if ses == nil {
		return code
	}
	defer ses.Close()
	if *out == "" && *verify == "" {
		return failf(cx, exitUsage, "receipt: give --out FILE or --verify CODE")
	}
	key := receipt.KeyFrom(ses.k)
	r, err := receipt.Build(stationCtx, ses.s, ses.sess, id, key, time.Now(), time.Local)
	if err != nil {
		return stationFail(cx, err)
	}
	res := map[string]any{"enrollment": id, "number": r.Number, "nik": nik.Mask(r.NIK), "state": r.State}
	if *out != "" {
		pdf, err := receipt.Render(r)
		if err != nil {
			return failf(cx, exitUsage, "receipt: %v", err)
		}
		// The file is personal data outside the store: audited first.
		if err := ses.s.RecordExport(stationCtx, ses.sess, id, "receipt.pdf"); err != nil {
			return stationFail(cx, err)
		}
		if err := atomicfile.WriteBytes(*out, 0o600, pdf); err != nil {
			return failf(cx, exitUsage, "receipt: %v", err)
		}
		res["out"], res["bytes"], res["code"] = *out, len(pdf), r.Code
	}
	ok := true
	if *verify != "" {
		ok = receipt.Verify(key, r, *verify)
		res["verified"] = ok
	}
	if o.jsonOut {
		emitJSON(cx, res)
	} else {
		if *out != "" {
			fmt.Fprintf(cx.stdout, "receipt of enrollment %s written to %s (%d bytes), code %s\n", r.Number, *out, res["bytes"], r.Code)
		}
		if *verify != "" {
			verdict := "matches"
			if !ok {
				verdict = "does NOT match"
			}
			fmt.Fprintf(cx.stdout, "code %s %s enrollment %s\n", *verify, verdict, r.Number)
		}
	}
	if !ok {
		return exitNegative
	}
	return exitOK
}

// beginOnEnrollment is begin for a command whose one argument is an
// enrollment id: it returns the session and the id, or nil and the exit
// code after saying why.
func (o *stationOpts) beginOnEnrollment(cx *context, fs *flag.FlagSet, args []string, name string) (*session, int64, int) {
	ses, code := o.begin(cx, fs, args, 1, bufio.NewReader(cx.stdin))
	if ses == nil {
		return nil, 0, code
	}
	id, err := strconv.ParseInt(ses.pos[0], 10, 64)
	if err != nil {
		ses.Close()
		return nil, 0, failf(cx, exitUsage, "%s: %q is not an enrollment id", name, ses.pos[0])
	}
	return ses, id, exitOK
}
