package ui

import "strings"

// Events reported through Options.OnEvent, as "<event> <detail>". They
// mark work inside a screen that puts no new screen on show, so that a
// driver of the real window (the end-to-end test in e2e/) can wait on them
// instead of sleeping. Details are step codes, counts and enrollment ids:
// nothing personal.
const (
	// eventSaved: a capture step (detail: its code, e.g.
	// finger.right_thumb) is in the store.
	eventSaved = "saved"
	// eventBelowGate: a capture of the step came back below its quality
	// gate (after MaxAttempts of them a supervisor may force-capture).
	eventBelowGate = "below-gate"
	// eventFailed: a capture of the step failed on the device (a fault, a
	// timeout); the operator may capture again.
	eventFailed = "capture-failed"
	// eventCalledUp: a NIK call-up has finished and the form shows its
	// outcome.
	eventCalledUp = "called-up"
	// eventQueue: the approval queue is loaded (detail: how many wait).
	eventQueue = "queue"
	// eventDecided: a supervisor's decision on an enrollment (detail: its
	// id) is recorded, and an approved one sealed when the station is
	// registered.
	eventDecided = "decided"
	// eventReceiptReady: the receipt screen's PDF is built (detail: the
	// enrollment id); Save and Print work from now on.
	eventReceiptReady = "receipt-ready"
	// eventReceiptSaved: the receipt PDF is written (detail: the
	// enrollment id).
	eventReceiptSaved = "receipt-saved"
)

// event reports name with its detail to Options.OnEvent, when set. It may
// be called from any goroutine.
func (a *App) event(name, detail string) {
	if a.opt.OnEvent != nil {
		a.opt.OnEvent(strings.TrimSpace(name + " " + detail))
	}
}
