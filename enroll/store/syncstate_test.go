package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

// sealed returns an enrollment that reached PROCESSING with its outbox row.
func (f *fixture) sealed(t *testing.T, nik string) (eid, oid int64) {
	t.Helper()
	rid, err := f.s.AddResident(ctx, f.op(), resident(nik, "BUDI "+nik[12:]))
	if err != nil {
		t.Fatal(err)
	}
	eid, _ = f.s.CreateEnrollment(ctx, f.op(), rid)
	for _, step := range []string{"finger.r1", "face", "template.r1"} {
		if err := f.s.SaveCapture(ctx, f.op(), eid, step, []byte("data-"+step), CaptureMeta{Quality: 80}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.Transition(ctx, f.op(), eid, enroll.BioCaptured, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Transition(ctx, f.sup(), eid, enroll.Approved, "ok"); err != nil {
		t.Fatal(err)
	}
	oid, err = f.s.EnqueuePacket(ctx, f.sup(), eid, "/outbox/"+nik+".pkt", strings.Repeat(nik[15:], 64))
	if err != nil {
		t.Fatal(err)
	}
	return eid, oid
}

func TestSyncStateLifecycle(t *testing.T) {
	f := newFixture(t)
	sys := f.s.SystemSession("sync")
	eid, oid := f.sealed(t, "3211010101900001")

	if _, err := f.s.Purge(ctx, sys, eid, nil); !errors.Is(err, ErrNoReceipt) {
		t.Fatalf("purge before a receipt: %v", err)
	}
	if _, err := f.s.DueOutbox(ctx, f.op(), f.clk.Now()); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator read the outbox: %v", err)
	}
	due, err := f.s.DueOutbox(ctx, sys, f.clk.Now())
	if err != nil || len(due) != 1 || due[0].ID != oid {
		t.Fatalf("due %+v %v", due, err)
	}
	if err := f.s.MarkSending(ctx, sys, oid); err != nil {
		t.Fatal(err)
	}
	if err := f.s.MarkSending(ctx, sys, oid); err != nil {
		t.Fatalf("second MarkSending: %v", err)
	}
	if e, _ := f.s.Enrollment(ctx, f.sup(), eid); e.State != enroll.SentForEnrollment {
		t.Fatalf("state %s after sending", e.State)
	}
	// A failure backs off: not due again until its time.
	if err := f.s.RecordFailure(ctx, sys, oid, "connection reset", f.clk.Now().Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if due, _ := f.s.DueOutbox(ctx, sys, f.clk.Now()); len(due) != 0 {
		t.Fatal("row due during its backoff")
	}
	if due, _ := f.s.DueOutbox(ctx, sys, f.clk.Now().Add(2*time.Minute)); len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "connection reset" {
		t.Fatalf("after backoff: %+v", due)
	}
	if err := f.s.RecordReceipt(ctx, sys, oid, "body.sig"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RecordReceipt(ctx, sys, oid, "body.sig"); err != nil {
		t.Fatalf("receipt twice: %v", err)
	}
	if e, _ := f.s.Enrollment(ctx, f.sup(), eid); e.State != enroll.ReceivedAtCentral {
		t.Fatalf("state %s after receipt", e.State)
	}
	if due, _ := f.s.DueOutbox(ctx, sys, f.clk.Now().Add(time.Hour)); len(due) != 0 {
		t.Fatal("a received packet is still due")
	}
	// The centre's decisions, replayed and out of order.
	for _, st := range []enroll.State{enroll.PrintReadyRecord, enroll.ReceivedAtCentral, enroll.PrintReadyRecord} {
		if err := f.s.ApplyCentralStatus(ctx, sys, eid, st, ""); err != nil {
			t.Fatalf("apply %s: %v", st, err)
		}
	}
	if e, _ := f.s.Enrollment(ctx, f.sup(), eid); e.State != enroll.PrintReadyRecord {
		t.Fatalf("state %s after the centre's decision", e.State)
	}
	if err := f.s.ApplyCentralStatus(ctx, sys, eid, enroll.EnrollFailureAtCentral, "late"); err == nil {
		t.Fatal("an impossible status was applied")
	}
	// Purge keeps templates, drops images.
	n, err := f.s.Purge(ctx, sys, eid, func(step string) bool { return strings.HasPrefix(step, "template.") })
	if err != nil || n != 2 {
		t.Fatalf("purge: %d %v", n, err)
	}
	caps, _ := f.s.Captures(ctx, f.sup(), eid)
	if len(caps) != 1 || caps[0].Step != "template.r1" {
		t.Fatalf("after purge: %+v", caps)
	}
	if v, _ := f.s.SyncValue(ctx, "status_cursor"); v != "" {
		t.Fatal("unset checkpoint not empty")
	}
	f.s.SetSyncValue(ctx, "status_cursor", "42")
	f.s.SetSyncValue(ctx, "status_cursor", "43")
	if v, _ := f.s.SyncValue(ctx, "status_cursor"); v != "43" {
		t.Fatalf("checkpoint %q", v)
	}
}

func TestRefusedPacketStopsRetrying(t *testing.T) {
	f := newFixture(t)
	sys := f.s.SystemSession("sync")
	_, oid := f.sealed(t, "3211010101900002")
	if err := f.s.RecordFailure(ctx, sys, oid, "signature", f.clk.Now(), true); err != nil {
		t.Fatal(err)
	}
	if due, _ := f.s.DueOutbox(ctx, sys, f.clk.Now().Add(time.Hour)); len(due) != 0 {
		t.Fatal("a refused packet is retried")
	}
	ob, _ := f.s.Outbox(ctx, sys, OutboxRefused)
	if len(ob) != 1 {
		t.Fatalf("refused rows: %+v", ob)
	}
}

func TestOperatorRevocationsAndExpiry(t *testing.T) {
	f := newFixture(t)
	sys := f.s.SystemSession("sync")
	if _, err := f.s.ApplyOperatorRevocations(ctx, f.op(), nil, f.clk.Now()); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("an operator applied the list: %v", err)
	}
	n, err := f.s.ApplyOperatorRevocations(ctx, sys, []string{"operator1", "nobody", "admin"}, f.clk.Now().Add(72*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("revocations: %d %v", n, err)
	}
	if _, err := f.s.Login(ctx, "operator1", f.password); !errors.Is(err, ErrLocked) {
		t.Fatalf("revoked account logged in: %v", err)
	}
	if _, err := f.s.Login(ctx, "supervisor1", f.password); err != nil {
		t.Fatalf("unrevoked account: %v", err)
	}
	f.clk.Add(73 * time.Hour)
	if _, err := f.s.Login(ctx, "supervisor1", f.password); !errors.Is(err, ErrOperatorListExpired) {
		t.Fatalf("login on an expired operator list: %v", err)
	}
	if _, err := f.s.Login(ctx, "admin", f.password); err != nil {
		t.Fatalf("the admin must still get in: %v", err)
	}
}
