package ui

import (
	"context"
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
)

// submitted stores a complete enrollment recorded by account by and
// submits it; it returns the enrollment id.
func (h *harness) submitted(by, nikStr string) int64 {
	h.t.Helper()
	ctx := context.Background()
	sess := h.session(by)
	rid, err := h.store().SaveResident(ctx, sess, 0, enroll.Resident{NIK: nikStr, Name: "BUDI " + nikStr[12:]})
	if err != nil {
		h.t.Fatal(err)
	}
	id, err := h.store().StartEnrollment(ctx, sess, rid)
	if err != nil {
		h.t.Fatal(err)
	}
	blob, _ := encodePNG(image.NewGray(image.Rect(0, 0, 4, 4)))
	for _, s := range port.Steps() {
		if err := h.store().SaveCapture(ctx, sess, id, s, blob, store.CaptureMeta{Format: "png", Quality: 70, Attempts: 1}); err != nil {
			h.t.Fatal(err)
		}
	}
	if err := h.store().Submit(ctx, sess, id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

func TestApprovalQueueFourEyesApproveReject(t *testing.T) {
	h := newHarness(t, true)
	own := h.submitted("sup1", "3211010101900002")
	other := h.submitted("op1", "3211010101900003")
	third := h.submitted("op1", "3211010101900004")
	h.login("sup1")
	h.shortcut(fyne.KeyP, false) // Ctrl+P: approvals
	if h.a.Screen() != "approvals" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	list := find[*widget.List](h.w.Canvas().Content())[0]
	if n := list.Length(); n != 3 {
		t.Fatalf("queue has %d, want 3", n)
	}
	content := h.w.Canvas().Content()
	if text := labelsText(content); strings.Contains(text, "3211010101900002") || !strings.Contains(text, nik.Mask("3211010101900002")) {
		t.Fatalf("queue must show masked NIKs:\n%s", text)
	}
	// Own enrollment: refused by the four-eyes rule.
	list.Select(0)
	h.a.Wait()
	h.shortcut(fyne.KeyL, false) // Ctrl+L approves the selection
	if !strings.Contains(labelsText(content), lang.L("error.own_enrollment")) {
		t.Fatalf("own enrollment approved?\n%s", labelsText(content))
	}
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), own); e.State != enroll.BioCaptured {
		t.Fatalf("own enrollment moved to %s", e.State)
	}
	// Another operator's enrollment: approved.
	list.Select(1)
	h.a.Wait()
	test.Tap(button(content, lang.L("approval.approve")))
	h.a.Wait()
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), other); e.State != enroll.Approved {
		t.Fatalf("approved enrollment is %s", e.State)
	}
	// Reject needs a reason, then stores it.
	list = find[*widget.List](h.w.Canvas().Content())[0]
	list.Select(1)
	h.a.Wait()
	h.shortcut(fyne.KeyE, false) // Ctrl+E: reject
	top := h.w.Canvas().Overlays().Top()
	find[*widget.Entry](top)[0].SetText("foto buram")
	test.Tap(button(top, lang.L("approval.reject")))
	h.a.Wait()
	ctx := context.Background()
	e, _ := h.store().Enrollment(ctx, h.session("sup2"), third)
	if e.State != enroll.Rejected {
		t.Fatalf("rejected enrollment is %s", e.State)
	}
	tr, err := h.store().S.Transitions(ctx, h.session("sup2"), third)
	if err != nil || tr[len(tr)-1].Reason != "foto buram" {
		t.Fatalf("transitions %+v, %v", tr, err)
	}
}

func TestApprovalsForbiddenToOperators(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	h.shortcut(fyne.KeyP, false)
	if h.a.Screen() == "approvals" {
		t.Fatal("an operator opened the approval queue")
	}
	if !strings.Contains(h.overlayText(), lang.L("error.forbidden")) {
		t.Fatalf("no refusal shown: %q", h.overlayText())
	}
}
