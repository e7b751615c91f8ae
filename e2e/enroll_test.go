package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/ui/port"
)

// sealTimeout bounds the wait for the approved enrollment's packet.
const sealTimeout = 30 * time.Second

// TestEnrollmentEndToEnd drives the real station window with the keyboard
// through a whole enrollment: op1 logs in, passes the privacy notice,
// calls up the resident by NIK, captures ten fingers, both irises, the
// face and the signature on the simulated devices, reviews and submits;
// sup1 approves it in the queue, which seals it (the station is
// registered). The store must then hold it PROCESSING with a pending
// packet, and after `rekamctl sync run` against a real rekam-pusat,
// RECEIVED_AT_CENTRAL with a receipted packet. The app's log must have no
// threading or translation errors.
func TestEnrollmentEndToEnd(t *testing.T) {
	requireDesktop(t)
	shots := os.Getenv("REKAM_E2E_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	bin := buildTools(t)
	t.Logf("built rekam, rekamctl, rekam-pusat, mkstation in %s", time.Since(start).Round(time.Millisecond))
	url, token := startServer(t, bin)
	st := newStation(t, bin, url, token)

	w := launch(t, bin, st, shots)
	t.Logf("login screen %s after the start", time.Since(start).Round(time.Millisecond))
	w.shot("login")
	w.login("op1")
	w.shot("dashboard")

	w.press("ctrl+n", "enroll.privacy")
	w.keys("space") // the consent box has the focus
	w.shot("privacy")
	w.press("ctrl+l", "enroll.biodata")
	w.typeText(residentNIK)
	w.until("Return", event("called-up")) // Return calls the NIK up
	w.shot("biodata")
	w.press("ctrl+l", "enroll.fingers")
	saved := w.captureAll(10)
	w.shot("fingers")
	w.press("ctrl+l", "enroll.irises")
	saved = append(saved, w.captureAll(2)...)
	w.shot("irises")
	w.press("ctrl+l", "enroll.face")
	saved = append(saved, w.captureAll(1)...)
	w.shot("face")
	w.press("ctrl+l", "enroll.signature")
	saved = append(saved, w.captureAll(1)...)
	w.shot("signature")
	if !slices.Equal(saved, port.Steps()) {
		t.Errorf("captures saved in the order %q, want every step once in flow order %q", saved, port.Steps())
	}
	w.press("ctrl+l", "enroll.review")
	w.shot("review")
	w.submit()
	w.shot("submitted")
	// The receipt saved from its screen is a PDF in the data folder.
	pdfs, _ := filepath.Glob(filepath.Join(st.data, "receipts", "*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("receipts folder holds %q, want one PDF", pdfs)
	}
	if b, err := os.ReadFile(pdfs[0]); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("receipt %s is not a PDF (%v)", pdfs[0], err)
	}

	w.press("shift+ctrl+l", "login")
	w.login("sup1")
	id := w.approveFirst()

	// Sealed on approval: PROCESSING with a pending packet in the outbox.
	var rows []outboxRow
	for deadline := time.Now().Add(sealTimeout); ; time.Sleep(500 * time.Millisecond) {
		if rows = outbox(t, bin, st); len(rows) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(rows) != 1 || rows[0].Enrollment != id || rows[0].State != "PROCESSING" || rows[0].Status != "pending" {
		w.fail("after approving enrollment %d the outbox holds %+v, want it PROCESSING with one pending packet", id, rows)
	}
	rep := syncRun(t, bin, st)
	if rep.Received != 1 || rep.Failed+rep.Refused != 0 {
		t.Fatalf("sync run: %+v, want one packet received", rep)
	}
	rows = outbox(t, bin, st)
	if len(rows) != 1 || rows[0].Status != "received" {
		t.Fatalf("after the sync the outbox holds %+v, want enrollment %d's packet received", rows, id)
	}
	// The receipt moves the enrollment to RECEIVED_AT_CENTRAL; the sync's
	// status pull may already have brought the centre's decision after it.
	trail := transitions(t, bin, st, id)
	if want := wantTrail(rows[0].State); !slices.Equal(trail, want) {
		t.Fatalf("enrollment %d is %s, audited transitions %q, want %q", id, rows[0].State, trail, want)
	}
	w.press("ctrl+d", "dashboard")
	w.shot("synced")
	t.Logf("enrollment %d sealed and received at the centre, %s after the start", id, time.Since(start).Round(time.Millisecond))

	w.stop()
	log := w.logText()
	for _, bad := range []string{"Error in Fyne call thread", "Translation failure", "panic:"} {
		if strings.Contains(log, bad) {
			t.Errorf("the app log has %q:\n%s", bad, log)
		}
	}
}

// approveFirst opens the approval queue, selects its first enrollment
// with the keyboard and approves it (Ctrl+L); it returns the enrollment's
// id from the decision event. A lost key is made up for by starting over
// from the reloaded queue (the approved enrollment has left it).
func (w *window) approveFirst() int64 {
	w.t.Helper()
	for i := 0; i < sends; i++ {
		queue := w.until("ctrl+p", event("queue"))
		if queue.text == "queue 0" {
			w.fail("the approval queue is empty")
		}
		m := w.mark()
		w.keys("Down", "space") // the list has the focus: select the first
		if i == 0 {
			w.shot("approval")
		}
		w.keys("ctrl+l")
		if e, _, ok := w.poll(m, resendAfter, event("decided")); ok {
			id, err := strconv.ParseInt(strings.TrimPrefix(e.text, "decided "), 10, 64)
			if err != nil {
				w.fail("decision event %q: %v", e.text, err)
			}
			return id
		}
	}
	w.fail("no decision recorded after %d tries", sends)
	return 0
}

// wantTrail is the audited state changes of the enrollment from its
// submission to the receipt, then to the centre's decision when the sync
// brought one (final is the state it ended in).
func wantTrail(final string) []string {
	trail := []string{"op1 DRAFT>BIO_CAPTURED", "sup1 BIO_CAPTURED>APPROVED", "sup1 APPROVED>PROCESSING",
		"sync PROCESSING>SENT_FOR_ENROLLMENT", "sync SENT_FOR_ENROLLMENT>RECEIVED_AT_CENTRAL"}
	if final != "RECEIVED_AT_CENTRAL" {
		trail = append(trail, "sync RECEIVED_AT_CENTRAL>"+final)
	}
	return trail
}

// submit sends the review for approval and follows whatever screens come
// after it (the duplicate-check result, left with Ctrl+L; the receipt,
// saved with Ctrl+L and left with Ctrl+B) until the dashboard, saving a
// screenshot of each.
func (w *window) submit() {
	w.t.Helper()
	m := w.mark()
	deadline := time.Now().Add(resendAfter * sends * 2)
	for name := "enroll.review"; name != "dashboard"; {
		if time.Now().After(deadline) {
			w.fail("no dashboard after submitting (last screen %s)", name)
		}
		w.keys("ctrl+l")
		e, next, ok := w.poll(m, resendAfter, func(e entry) bool { return e.kind == "screen" })
		if !ok {
			continue // not moved yet: Ctrl+L again (a second submit is refused)
		}
		m, name = next, e.text
		if name != "dashboard" {
			w.shot(shotName.ReplaceAllString(name, "-"))
		}
		if name == "receipt" {
			// The receipt: wait for its PDF, save it (Ctrl+L) and leave
			// with Ctrl+B.
			_, m = w.await(m, captureTimeout, event("receipt-ready"))
			w.keys("ctrl+l")
			_, m = w.await(m, captureTimeout, event("receipt-saved"))
			w.keys("ctrl+b")
			e, next := w.await(m, resendAfter*sends, func(e entry) bool { return e.kind == "screen" })
			m, name = next, e.text
		}
	}
}

// shotName matches what a screenshot's file name replaces in a screen name.
var shotName = regexp.MustCompile(`[^a-z0-9]+`)
