package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/ui/port"
)

// lpOnPath puts an lp that keeps its print job in dir on PATH (or, with
// none, leaves PATH without any lp) and returns where the job lands.
func lpOnPath(t *testing.T, present bool) string {
	dir := t.TempDir()
	if !present {
		t.Setenv("PATH", dir)
		return ""
	}
	job := filepath.Join(dir, "job.pdf")
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte("#!/bin/sh\nexec /bin/cat > "+job+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return job
}

func TestReceiptScreenSavesPrintsAndAudits(t *testing.T) {
	h := newHarness(t, true)
	const n = "3211010101900005"
	id := h.submitted("op1", n)
	job := lpOnPath(t, true)
	h.login("op1")
	h.a.goReceipt(id)
	h.a.Wait()
	if h.a.Screen() != "receipt" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	content := h.w.Canvas().Content()
	text := labelsText(content)
	for _, want := range []string{nik.Mask(n), "BUDI 0005", "3211-01/", "op1", stateLabel("BIO_CAPTURED"),
		lang.X("receipt.count", "", map[string]any{"N": 10, "Total": 10})} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt screen lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, n) {
		t.Fatalf("the receipt screen shows the whole NIK:\n%s", text)
	}

	h.shortcut(fyne.KeyL, false) // Ctrl+L: save the PDF
	path := filepath.Join(h.l.DataDir, port.ReceiptsDir, "receipt-3211-01-"+fmt.Sprint(id)+".pdf")
	saved, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(saved, []byte("%PDF-")) {
		t.Fatalf("saved receipt %s: %v", path, err)
	}
	if !strings.Contains(labelsText(content), path) {
		t.Fatalf("the path is not told:\n%s", labelsText(content))
	}
	h.shortcut(fyne.KeyR, false) // Ctrl+R: print
	printed, err := os.ReadFile(job)
	if err != nil || !bytes.Equal(printed, saved) {
		t.Fatalf("printed %d bytes (%v), saved %d", len(printed), err, len(saved))
	}
	if !strings.Contains(labelsText(content), lang.L("receipt.printed")) {
		t.Fatalf("no print confirmation:\n%s", labelsText(content))
	}

	// The receipt's reads are on the audit log, without personal data.
	log, err := h.store().S.AuditLog(context.Background(), h.session("admin"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		if e.Actor == "op1" && strings.HasSuffix(e.Object, ":"+fmt.Sprint(id)) || e.Actor == "op1" && e.Action == "resident.read" {
			seen[e.Action] = true
		}
		if strings.Contains(e.Detail, n) || strings.Contains(e.Object, n) {
			t.Fatalf("audit entry holds the NIK: %+v", e)
		}
	}
	for _, a := range []string{"resident.read", "biometric.read", "enrollment.history"} {
		if !seen[a] {
			t.Errorf("no %s audited for the receipt (seen %v)", a, seen)
		}
	}
	h.shortcut(fyne.KeyB, false) // Ctrl+B: back
	if h.a.Screen() != "dashboard" {
		t.Fatalf("back went to %q", h.a.Screen())
	}
}

func TestReceiptScreenWithoutPrinter(t *testing.T) {
	h := newHarness(t, true)
	id := h.submitted("op1", "3211010101900006")
	lpOnPath(t, false)
	h.login("sup1")
	h.a.goApprovals()
	h.a.Wait()
	list := find[*widget.List](h.w.Canvas().Content())[0]
	list.Select(0)
	h.a.Wait()
	test.Tap(button(h.w.Canvas().Content(), lang.L("receipt.button")))
	h.a.Wait()
	if h.a.Screen() != "receipt" {
		t.Fatalf("the approval queue's receipt button went to %q", h.a.Screen())
	}
	content := h.w.Canvas().Content()
	if b := button(content, lang.L("receipt.print")); b == nil || !b.Disabled() {
		t.Fatal("print is offered without lp")
	}
	if !strings.Contains(labelsText(content), lang.L("receipt.no_printer")) || !strings.Contains(labelsText(content), "#"+fmt.Sprint(id)) {
		t.Fatalf("no word about the missing printer:\n%s", labelsText(content))
	}
	if b := button(content, lang.L("receipt.save")); b == nil || b.Disabled() {
		t.Fatal("saving is not offered")
	}
}
