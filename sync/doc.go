// Package sync delivers sealed enrollments to the national biometric
// database exactly once: packets (sign, encrypt, verify), the outbox, the
// resumable upload client and the server protocol with signed receipts.
package sync
