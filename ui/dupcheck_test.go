package ui

import (
	"context"
	"fmt"
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/port/porttest"
)

// dupPerson is the synthetic person recorded twice in these tests; only
// the index fingers and the irises are drawn (the rest bandaged) to keep
// the tests fast.
const dupPerson = 9090

// dupFingers are the fingers drawn.
var dupFingers = []port.Finger{2, 7}

// submitPerson stores and submits dupPerson's impression under biodata r,
// recorded by account by; it returns the enrollment id.
func (h *harness) submitPerson(by string, r enroll.Resident, impression int) int64 {
	h.t.Helper()
	ctx := context.Background()
	sess := h.session(by)
	rid, err := h.store().SaveResident(ctx, sess, 0, r)
	if err != nil {
		h.t.Fatal(err)
	}
	id, err := h.store().StartEnrollment(ctx, sess, rid)
	if err != nil {
		h.t.Fatal(err)
	}
	caps, err := porttest.Captures(dupPerson, impression, 2, 7)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, s := range port.Steps() {
		blob, meta := caps[s], store.CaptureMeta{Format: "png"}
		if blob == nil {
			meta = store.CaptureMeta{Exception: "bandaged"}
		}
		if err := h.store().SaveCapture(ctx, sess, id, s, blob, meta); err != nil {
			h.t.Fatal(err)
		}
	}
	if err := h.store().Submit(ctx, sess, id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// sealedPerson records dupPerson under NIK 3211010101900001, approves it
// and puts it into the gallery as the sealer does; it returns its id.
func (h *harness) sealedPerson() int64 {
	h.t.Helper()
	ctx := context.Background()
	first := h.submitPerson("op2", enroll.Resident{NIK: "3211010101900001", Name: "BUDI SANTOSO", BirthDate: "1990-01-01"}, 0)
	sup := h.session("sup2")
	if err := h.store().Decide(ctx, sup, first, true, ""); err != nil {
		h.t.Fatal(err)
	}
	caps, err := h.store().Captures(ctx, sup, first)
	if err != nil {
		h.t.Fatal(err)
	}
	probe, _ := dedup.ProbeFromCaptures(caps)
	chk, err := h.store().Checker(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := chk.AddSealed(ctx, sup, first, probe); err != nil {
		h.t.Fatal(err)
	}
	return first
}

// secondNIK is the other NIK dupPerson is recorded under.
const secondNIK = "3211014506920002"

func TestDupCheckScreenShowsDuplicateCandidates(t *testing.T) {
	h := newHarness(t, true)
	first := h.sealedPerson()
	second := h.submitPerson("op1", enroll.Resident{NIK: secondNIK, Name: "RAHMAT HIDAYAT", BirthDate: "1992-06-05"}, 1)
	h.login("op1")
	h.a.goDupCheck(second)
	if h.a.Screen() != dupCheckName {
		t.Fatalf("screen %q", h.a.Screen())
	}
	h.a.Wait()
	text := labelsText(h.w.Canvas().Content())
	cases, err := h.store().DupCases(context.Background(), h.session("sup2"))
	if err != nil || len(cases) != 1 {
		t.Fatalf("open cases %+v, %v", cases, err)
	}
	want := lang.X("dupcheck.duplicate", "", map[string]any{"Case": cases[0].ID})
	if !strings.Contains(text, want) {
		t.Fatalf("no duplicate decision %q on screen:\n%s", want, text)
	}
	// The candidate: the first enrollment, NIK masked, no name for an
	// operator, with its per-finger and per-iris scores.
	if !strings.Contains(text, fmt.Sprintf("#%d  %s", first, nik.Mask("3211010101900001"))) || strings.Contains(text, "BUDI SANTOSO") {
		t.Fatalf("candidate row missing or unmasked:\n%s", text)
	}
	for _, label := range []string{fingerLabel(2), fingerLabel(7), eyeLabel(port.RightEye), eyeLabel(port.LeftEye)} {
		if !strings.Contains(text, label+" ") {
			t.Errorf("no %s score shown", label)
		}
	}
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), second); e.State != enroll.Review {
		t.Fatalf("enrollment is %s, want REVIEW", e.State)
	}
	// Ctrl+L goes on to the resident's receipt.
	h.shortcut(fyne.KeyL, false)
	h.a.Wait()
	if h.a.Screen() != "receipt" {
		t.Fatalf("Ctrl+L left to %q", h.a.Screen())
	}
}

func TestDupCheckScreenBlockedNIKStopsTheResident(t *testing.T) {
	h := newHarness(t, true)
	first := h.submitted("op1", "3211010101900005")
	// The same NIK again while the first waits for approval.
	second := h.reEnroll("op1", "3211010101900005")
	h.login("op1")
	h.a.goDupCheck(second)
	h.a.Wait()
	text := labelsText(h.w.Canvas().Content())
	want := lang.X("dupcheck.blocked", "", map[string]any{"ID": first, "State": stateLabel(enroll.BioCaptured)})
	if !strings.Contains(text, want) || !strings.Contains(text, nik.Mask("3211010101900005")) {
		t.Fatalf("blocked result not shown (want %q):\n%s", want, text)
	}
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "dashboard" {
		t.Fatalf("Ctrl+L left to %q", h.a.Screen())
	}
	if msg := h.a.dash.msg.Text; !strings.Contains(msg, fmt.Sprint(first)) {
		t.Fatalf("dashboard message %q does not name the blocking enrollment", msg)
	}
}

func TestDupCheckScreenLinksReRecordAfterCentralFailure(t *testing.T) {
	h := newHarness(t, true)
	const n = "3211010101900006"
	old := h.submitted("op1", n)
	ctx := context.Background()
	sup := h.session("sup2")
	if err := h.store().Decide(ctx, sup, old, true, ""); err != nil {
		t.Fatal(err)
	}
	// Sealed, sent, received, then refused by the centre.
	for _, to := range []enroll.State{enroll.Processing, enroll.SentForEnrollment, enroll.ReceivedAtCentral, enroll.EnrollFailureAtCentral} {
		if err := h.store().S.Transition(ctx, sup, old, to, "sidik jari buram"); err != nil {
			t.Fatal(err)
		}
	}
	again := h.reEnroll("op1", n)
	h.login("op1")
	h.a.goDupCheck(again)
	h.a.Wait()
	text := labelsText(h.w.Canvas().Content())
	if !strings.Contains(text, lang.L("dupcheck.clear")) || !strings.Contains(text, lang.X("dupcheck.supersedes", "", map[string]any{"ID": old})) {
		t.Fatalf("re-record not shown as clear and linked to #%d:\n%s", old, text)
	}
	if linked, err := h.store().S.Superseded(ctx, sup, again); err != nil || linked != old {
		t.Fatalf("store links enrollment %d to %d, %v; want %d", again, linked, err, old)
	}
}

// reEnroll records and submits another enrollment of the stored resident
// with NIK n (placeholder images), by account by; it returns its id.
func (h *harness) reEnroll(by, n string) int64 {
	h.t.Helper()
	ctx := context.Background()
	sess := h.session(by)
	rec, err := h.store().ResidentByNIK(ctx, sess, n)
	if err != nil {
		h.t.Fatal(err)
	}
	id, err := h.store().StartEnrollment(ctx, sess, rec.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	blob, _ := encodePNG(image.NewGray(image.Rect(0, 0, 4, 4)))
	for _, s := range port.Steps() {
		if err := h.store().SaveCapture(ctx, sess, id, s, blob, store.CaptureMeta{Format: "png"}); err != nil {
			h.t.Fatal(err)
		}
	}
	if err := h.store().Submit(ctx, sess, id); err != nil {
		h.t.Fatal(err)
	}
	return id
}
