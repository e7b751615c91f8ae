package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/ui/port"
	"github.com/rekam-ktp/rekam/ui/simsource"
)

// testNIK is a synthetic NIK: Sumedang/Jatinangor, a woman born
// 1990-01-01, serial 0001.
const testNIK = "3211014101900001"

// captures returns the store's saved steps of an enrollment.
func (h *harness) captures(id int64) map[string]store.Capture {
	cs, err := h.store().Captures(context.Background(), h.session("sup2"), id)
	if err != nil {
		h.t.Fatal(err)
	}
	m := map[string]store.Capture{}
	for _, c := range cs {
		m[c.Step] = c
	}
	return m
}

// fillBiodata types the NIK, calls it up and fills the F-1.01 form.
func (h *harness) fillBiodata() *biodataForm {
	h.t.Helper()
	content := h.w.Canvas().Content()
	if h.a.Screen() != "enroll.biodata" {
		h.t.Fatalf("screen %q, want enroll.biodata", h.a.Screen())
	}
	nikEntry := h.biodata().nik
	test.Type(nikEntry, testNIK)
	nikEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	if !strings.Contains(labelsText(content), lang.L("biodata.not_found")) {
		h.t.Fatalf("unknown NIK not reported:\n%s", labelsText(content))
	}
	b := h.biodata()
	b.kk.SetText("3211010101090001")
	b.name.SetText("siti aminah")
	b.birthPlace.SetText("sumedang")
	b.birth.SetText("1990-01-01")
	b.sex.sel.SetSelected("PEREMPUAN")
	b.religion.sel.SetSelected("ISLAM")
	b.marital.sel.SetSelected("KAWIN")
	b.relation.sel.SetSelected("ISTRI")
	b.education.sel.SetSelected(b.education.sel.Options[4])
	b.occupation.sel.SetSelected(b.occupation.sel.Options[2])
	b.citizenship.sel.SetSelected("WNI")
	b.motherName.SetText("ibu siti")
	b.address.SetText("jl. raya jatinangor 1")
	b.rt.SetText("001")
	b.rw.SetText("002")
	// Region cascade: province → kab/kota → kecamatan → desa fills the code.
	for level, name := range []string{"JAWA BARAT", "KAB. SUMEDANG", "JATINANGOR", "SAYANG"} {
		b.cascade.selects[level].SetSelected(name)
		h.a.Wait()
	}
	if b.desa.Text != "32.11.01.2002" {
		h.t.Fatalf("cascade gave desa %q", b.desa.Text)
	}
	return b
}

// toFingers logs an operator in, starts an enrollment, fills the biodata
// and arrives at the fingers.
func (h *harness) toFingers(name string) {
	h.t.Helper()
	h.login(name)
	h.startToBiodata()
	h.fillBiodata()
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.fingers" {
		h.t.Fatalf("screen %q, want enroll.fingers", h.a.Screen())
	}
}

// startToBiodata starts an enrollment and passes the privacy notice.
func (h *harness) startToBiodata() {
	h.a.startEnrollment()
	h.a.flow.consent = true
	h.shortcut(fyne.KeyL, false)
}

// biodata returns the biodata form on screen.
func (h *harness) biodata() *biodataForm {
	if h.a.flow == nil || h.a.flow.bio == nil {
		h.t.Fatal("no biodata form")
	}
	return h.a.flow.bio
}

func TestEnrollmentFlowEndToEnd(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	fingers := h.devs.Finger.(*simsource.Sim)
	fingers.SetMaxQuality(port.Finger(3).Step(), 30)

	h.shortcut(fyne.KeyN, false) // Ctrl+N: new enrollment
	if h.a.Screen() != "enroll.privacy" {
		t.Fatalf("Ctrl+N: screen %q", h.a.Screen())
	}
	h.shortcut(fyne.KeyL, false) // no consent yet
	if h.a.Screen() != "enroll.privacy" {
		t.Fatal("moved on without consent")
	}
	test.Tap(find[*widget.Check](h.w.Canvas().Content())[0])
	h.shortcut(fyne.KeyL, false)

	h.fillBiodata()
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("after biodata: screen %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
	drafts := h.enrollments(enroll.Draft)
	if len(drafts) != 1 {
		t.Fatalf("%d drafts in the store, want 1", len(drafts))
	}
	id := drafts[0].ID
	rec, err := h.store().ResidentByNIK(context.Background(), h.session("sup2"), testNIK)
	if err != nil || rec.Resident.Name != "SITI AMINAH" || rec.Resident.DesaCode != "32.11.01.2002" {
		t.Fatalf("stored resident %+v, %v", rec.Resident, err)
	}

	// Fingers 1, 2 at the gate; each is in the store before the next.
	for i := 1; i <= 2; i++ {
		h.shortcut(fyne.KeyR, false)
		if _, ok := h.captures(id)[port.Finger(i).Step()]; !ok {
			t.Fatalf("finger %d not in the store after capture", i)
		}
	}
	// Finger 3 never reaches the gate: three attempts, then force-capture.
	for i := 1; i <= MaxAttempts; i++ {
		h.shortcut(fyne.KeyR, false)
	}
	if n := h.a.flow.attempts[port.Finger(3).Step()]; n != MaxAttempts {
		t.Fatalf("finger 3 attempts = %d", n)
	}
	if _, ok := h.captures(id)[port.Finger(3).Step()]; ok {
		t.Fatal("a capture below the gate was saved")
	}
	h.shortcut(fyne.KeyF, false) // Ctrl+F opens the supervisor dialog
	form := find[*widget.Entry](h.w.Canvas().Overlays().Top())
	form[0].SetText("op2") // not a supervisor
	form[1].SetText(password)
	test.Tap(button(h.w.Canvas().Overlays().Top(), lang.L("force.approve")))
	h.a.Wait()
	if _, ok := h.captures(id)[port.Finger(3).Step()]; ok {
		t.Fatal("force-capture accepted an operator's approval")
	}
	h.shortcut(fyne.KeyF, false)
	form = find[*widget.Entry](h.w.Canvas().Overlays().Top())
	form[0].SetText("sup1")
	form[1].SetText(password)
	test.Tap(button(h.w.Canvas().Overlays().Top(), lang.L("force.approve")))
	h.a.Wait()
	c3, ok := h.captures(id)[port.Finger(3).Step()]
	if !ok || c3.Meta.Exception != forcedException || c3.Meta.Quality != 30 || len(c3.Blob) == 0 {
		t.Fatalf("forced finger 3 = %+v (ok %v)", c3.Meta, ok)
	}
	// A device fault: specific message, no attempt counted, retry works.
	fingers.InjectFault(port.Finger(4).Step(), port.ErrTimeout)
	h.shortcut(fyne.KeyR, false)
	if !strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("error.timeout")) {
		t.Fatalf("timeout not shown:\n%s", labelsText(h.w.Canvas().Content()))
	}
	if h.a.flow.attempts[port.Finger(4).Step()] != 0 {
		t.Fatal("a device fault counted as an attempt")
	}
	for i := 4; i <= 9; i++ {
		h.shortcut(fyne.KeyR, false)
	}
	// Finger 10: amputated.
	h.shortcut(fyne.KeyE, false)
	sel := find[*widget.Select](h.w.Canvas().Overlays().Top())[0]
	sel.SetSelected(lang.L("exception.amputated"))
	test.Tap(button(h.w.Canvas().Overlays().Top(), lang.L("button.save")))
	h.a.Wait()
	c10 := h.captures(id)[port.Finger(10).Step()]
	if c10.Meta.Exception != "amputated" || len(c10.Blob) == 0 || c10.Meta.Device != h.devs.Face.Name() {
		t.Fatalf("finger 10 = %+v with %d bytes, want amputated with an exception photo", c10.Meta, len(c10.Blob))
	}
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.irises" {
		t.Fatalf("after fingers: %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
	// Free movement back, then forward again.
	h.shortcut(fyne.KeyB, false)
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("Ctrl+B: %q", h.a.Screen())
	}
	h.shortcut(fyne.KeyL, false)
	h.shortcut(fyne.KeyR, false)
	h.shortcut(fyne.KeyR, false)
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.face" {
		t.Fatalf("after irises: %q", h.a.Screen())
	}
	h.shortcut(fyne.KeyR, false)
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.signature" {
		t.Fatalf("after face: %q", h.a.Screen())
	}
	// Cannot sign: needs a reason.
	test.Tap(find[*widget.Check](h.w.Canvas().Content())[0])
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.signature" {
		t.Fatal("cannot-sign accepted without a reason")
	}
	entries := find[*widget.Entry](h.w.Canvas().Content())
	entries[len(entries)-1].SetText("tangan gemetar")
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.review" {
		t.Fatalf("after signature: %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
	if c := h.captures(id)[port.StepSignature]; c.Meta.Exception != "cannot_sign: tangan gemetar" {
		t.Fatalf("signature = %+v", c.Meta)
	}
	h.shortcut(fyne.KeyL, false) // submit
	if h.a.Screen() != dupCheckName {
		t.Fatalf("after submit: %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
	if text := labelsText(h.w.Canvas().Content()); !strings.Contains(text, lang.L("dupcheck.clear")) {
		t.Fatalf("duplicate check result not shown:\n%s", text)
	}
	e, err := h.store().Enrollment(context.Background(), h.session("sup2"), id)
	if err != nil || e.State != enroll.BioCaptured || e.Captures != len(port.Steps()) {
		t.Fatalf("enrollment = %+v, %v", e, err)
	}
	h.shortcut(fyne.KeyL, false) // leave the duplicate check result for the receipt
	h.a.Wait()
	if h.a.Screen() != "receipt" {
		t.Fatalf("after the duplicate check: %q", h.a.Screen())
	}
	h.shortcut(fyne.KeyB, false) // and back to the dashboard
	if h.a.Screen() != "dashboard" {
		t.Fatalf("after the receipt: %q", h.a.Screen())
	}
}

func TestBiodataValidationBlocksErrorsShowsWarnings(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	h.startToBiodata()
	b := h.fillBiodata()
	b.birth.SetText("1990-01-02") // NIK says 01: a warning, not a block
	b.name.SetText("")            // required: an error
	h.shortcut(fyne.KeyL, false)
	text := labelsText(h.w.Canvas().Content())
	if h.a.Screen() != "enroll.biodata" {
		t.Fatal("moved on with a missing name")
	}
	if !strings.Contains(text, lang.L("biodata.warning")) {
		t.Fatalf("no NIK warning shown:\n%s", text)
	}
	b.name.SetText("SITI AMINAH")
	h.shortcut(fyne.KeyL, false)
	if h.a.Screen() != "enroll.fingers" {
		t.Fatalf("warning blocked: %q\n%s", h.a.Screen(), labelsText(h.w.Canvas().Content()))
	}
}

func TestVoidDraftWipesCapturesAndCallUpWarnsRecordedBefore(t *testing.T) {
	h := newHarness(t, true)
	h.toFingers("op1")
	h.shortcut(fyne.KeyR, false)
	id := h.a.flow.enrollmentID
	if len(h.captures(id)) != 1 {
		t.Fatal("first finger not saved")
	}
	test.Tap(button(h.w.Canvas().Content(), lang.L("void.button")))
	top := h.w.Canvas().Overlays().Top()
	test.Tap(button(top, lang.L("void.button"))) // no reason: nothing happens
	h.a.Wait()
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), id); e.State != enroll.Draft {
		t.Fatalf("voided without a reason: %s", e.State)
	}
	test.Tap(button(h.w.Canvas().Content(), lang.L("void.button")))
	top = h.w.Canvas().Overlays().Top()
	find[*widget.Entry](top)[0].SetText("salah orang")
	test.Tap(button(top, lang.L("void.button")))
	h.a.Wait()
	if h.a.Screen() != "dashboard" {
		t.Fatalf("after void: %q", h.a.Screen())
	}
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), id); e.State != enroll.Voided {
		t.Fatalf("state after void: %s", e.State)
	}
	if n := len(h.captures(id)); n != 0 {
		t.Fatalf("%d captures left after void", n)
	}

	// A voided enrollment is no earlier recording; a live one is.
	h.startToBiodata()
	b := h.biodata()
	test.Type(b.nik, testNIK)
	h.shortcut(fyne.KeyR, false) // Ctrl+R calls the NIK up
	if strings.Contains(b.source.Text, lang.X("biodata.recorded_before", "", map[string]any{"ID": id, "State": lang.L("state.voided")})) {
		t.Fatal("voided enrollment reported as a recording")
	}
	if b.name.Text != "SITI AMINAH" {
		t.Fatalf("call-up did not fill the form: %q", b.name.Text)
	}
	h.shortcut(fyne.KeyL, false)
	h.startToBiodata()
	b = h.biodata()
	test.Type(b.nik, testNIK)
	h.shortcut(fyne.KeyR, false)
	want := lang.X("biodata.recorded_before", "", map[string]any{"ID": id + 1, "State": lang.L("state.draft")})
	if !strings.Contains(b.source.Text, want) {
		t.Fatalf("earlier draft not reported: %q", b.source.Text)
	}
}
