package store

import (
	"context"
	"errors"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
)

// A REVIEW enrollment with an open duplicate case is approved only through
// the case's verdict, never by a plain approval around it.
func TestOpenDedupCaseBlocksApprovalAroundIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rid, err := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "BUDI"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.s.CreateEnrollment(ctx, f.op(), rid)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCapture(ctx, f.op(), id, "face", []byte("png"), CaptureMeta{Format: "png"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Transition(ctx, f.op(), id, enroll.BioCaptured, ""); err != nil {
		t.Fatal(err)
	}
	caseID, err := f.s.OpenDedupCase(ctx, f.op(), id, "review", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Transition(ctx, f.sup(), id, enroll.Approved, "looks fine"); !errors.Is(err, ErrOpenDedupCase) {
		t.Fatalf("approval around an open case: %v, want ErrOpenDedupCase", err)
	}
	if e, _ := f.s.Enrollment(ctx, f.sup(), id); e.State != enroll.Review {
		t.Fatalf("enrollment moved to %s", e.State)
	}
	if err := f.s.DecideDedupCase(ctx, f.sup(), caseID, CaseNotDuplicate, "different people"); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.s.Enrollment(ctx, f.sup(), id); e.State != enroll.Approved {
		t.Fatalf("after the verdict the enrollment is %s, want APPROVED", e.State)
	}
}
