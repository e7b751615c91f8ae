package ui

import (
	"context"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
)

// reasonDialog types a reason into the open verdict dialog and presses
// Enter (no mouse).
func (h *harness) reasonDialog(reason string) {
	h.t.Helper()
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no verdict dialog")
	}
	e := find[*widget.Entry](top)[0]
	test.Type(e, reason)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
}

func TestAdjudicationSideBySideFourEyesAndVerdict(t *testing.T) {
	h := newHarness(t, true)
	first := h.sealedPerson()
	// Supervisor sup1 captures the re-enrollment and runs its check.
	second := h.submitPerson("sup1", enroll.Resident{NIK: secondNIK, Name: "RAHMAT HIDAYAT", BirthDate: "1992-06-05"}, 1)
	if _, err := h.store().CheckDuplicates(context.Background(), h.session("sup1"), second); err != nil {
		t.Fatal(err)
	}
	h.login("sup1")
	if button(h.w.Canvas().Content(), lang.L("cmd.adjudication")) == nil {
		t.Fatal("no adjudication button on a supervisor's dashboard")
	}
	h.shortcut(fyne.KeyJ, false) // Ctrl+J: adjudication
	if h.a.Screen() != adjudicationName {
		t.Fatalf("Ctrl+J: screen %q", h.a.Screen())
	}
	content := h.w.Canvas().Content()
	list := find[*widget.List](content)[0]
	if list.Length() != 1 {
		t.Fatalf("%d cases listed, want 1", list.Length())
	}
	if text := labelsText(content); strings.Contains(text, secondNIK) || !strings.Contains(text, nik.Mask(secondNIK)) {
		t.Fatalf("the queue must mask NIKs:\n%s", text)
	}
	list.Select(0)
	h.a.Wait()
	text := labelsText(content)
	// Both records in full, the fused score against the thresholds, the
	// per-modality scores.
	for _, want := range []string{secondNIK, "3211010101900001", "BUDI SANTOSO", "RAHMAT HIDAYAT", fingerLabel(2) + "\n" + lang.X("adj.score", "", map[string]any{"S": ""})} {
		if !strings.Contains(text, strings.TrimSpace(want)) {
			t.Errorf("side by side lacks %q", want)
		}
	}
	cases, err := h.store().DupCases(context.Background(), h.session("sup2"))
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases %+v, %v", cases, err)
	}
	c, err := h.store().DupCase(context.Background(), h.session("sup2"), cases[0].ID)
	if err != nil || len(c.Candidates) == 0 || c.Candidates[0].Person.EnrollmentID != first {
		t.Fatalf("case %+v, %v: want the first enrollment as candidate", c.Candidates, err)
	}
	if want := lang.X("adj.fused", "", map[string]any{"S": score(c.Candidates[0].Score), "R": score(c.ReviewThreshold), "D": score(c.DuplicateThreshold)}); !strings.Contains(text, want) {
		t.Errorf("fused score line %q missing", want)
	}
	// Fingers are drawn with their minutiae: both index fingers of both
	// records carry red or blue marks.
	marked := 0
	for _, img := range find[*canvas.Image](content) {
		if img.Image != nil && hasMark(img.Image) {
			marked++
		}
	}
	if marked != 2*len(dupFingers) {
		t.Errorf("%d images with minutiae marks, want %d", marked, 2*len(dupFingers))
	}

	// sup1 captured it: the verdict is refused, clearly.
	h.shortcut(fyne.KeyL, false) // not a duplicate
	h.reasonDialog("beda orang")
	if text := labelsText(content); !strings.Contains(text, lang.L("adj.self")) {
		t.Fatalf("four-eyes refusal not shown:\n%s", text)
	}
	h.shortcut(fyne.KeyL, false)
	h.reasonDialog("")
	if text := labelsText(content); !strings.Contains(text, lang.L("adj.need_reason")) {
		t.Fatalf("missing reason not refused:\n%s", text)
	}
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), second); e.State != enroll.Review {
		t.Fatalf("refused verdicts moved the enrollment to %s", e.State)
	}

	// Another supervisor decides: duplicate, with a reason.
	h.shortcut(fyne.KeyL, true) // log out
	h.login("sup2")
	// The approval queue does not approve around the case.
	h.shortcut(fyne.KeyP, false)
	list = find[*widget.List](h.w.Canvas().Content())[0]
	list.Select(0)
	h.a.Wait()
	h.shortcut(fyne.KeyL, false)
	if text := labelsText(h.w.Canvas().Content()); !strings.Contains(text, lang.L("error.dedup_case")) {
		t.Fatalf("approval around the case not refused clearly:\n%s", text)
	}

	h.shortcut(fyne.KeyJ, false)
	find[*widget.List](h.w.Canvas().Content())[0].Select(0)
	h.a.Wait()
	h.shortcut(fyne.KeyE, false) // duplicate
	h.reasonDialog("sidik jari sama dengan #1")
	if e, _ := h.store().Enrollment(context.Background(), h.session("sup2"), second); e.State != enroll.Rejected {
		t.Fatalf("duplicate verdict left the enrollment %s", e.State)
	}
	if text := labelsText(h.w.Canvas().Content()); !strings.Contains(text, lang.L("adj.empty")) {
		t.Fatalf("decided case still in the queue:\n%s", text)
	}
}

func TestAdjudicationForbiddenToOperators(t *testing.T) {
	h := newHarness(t, true)
	h.login("op1")
	if button(h.w.Canvas().Content(), lang.L("cmd.adjudication")) != nil {
		t.Fatal("an operator's dashboard offers adjudication")
	}
	h.shortcut(fyne.KeyJ, false)
	if h.a.Screen() == adjudicationName {
		t.Fatal("an operator opened adjudication")
	}
	if !strings.Contains(h.overlayText(), lang.L("error.forbidden")) {
		t.Fatalf("no refusal shown: %q", h.overlayText())
	}
}

func TestDrawMinutiaeMarksEndingsAndBifurcations(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 40, 40))
	// An ending at (10,10) pointing right, a bifurcation at (25,30)
	// pointing up (angles are counter-clockwise with y up).
	out := drawMinutiae(g, []finger.Minutia{{X: 10, Y: 10, Type: finger.Ending}, {X: 25, Y: 30, Angle: math.Pi / 2, Type: finger.Bifurcation}})
	for _, tc := range []struct {
		name string
		x, y int
		want color.Color
	}{
		{"ending ring", 4, 10, endingColor},
		{"ending tick to the right", 22, 10, endingColor},
		{"nothing to the ending's left beyond the ring", 1, 10, color.RGBA{A: 255}},
		{"bifurcation ring", 25, 36, bifurcationColor},
		{"bifurcation tick upwards", 25, 18, bifurcationColor},
		{"nothing below the bifurcation beyond the ring", 25, 38, color.RGBA{A: 255}},
		{"centre left as it was", 25, 30, color.RGBA{A: 255}},
	} {
		if got := color.RGBAModel.Convert(out.At(tc.x, tc.y)); got != tc.want {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
}

// hasMark reports whether an image holds a minutia mark's colour.
func hasMark(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y))
			if c == color.Color(endingColor) || c == color.Color(bifurcationColor) {
				return true
			}
		}
	}
	return false
}
