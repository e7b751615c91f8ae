package server

import (
	"context"

	"github.com/rekam-ktp/rekam/sync/packet"
)

// DefaultProcessor is the reference centre's decision until central dedup
// is wired in: a packet that verified and carries at least one biometric
// file is PRINT_READY_RECORD; an empty one is ENROLL_FAILURE_AT_CENTRAL
// (re-record requested).
func DefaultProcessor(ctx context.Context, c *packet.Contents) (status, reason string) {
	if len(c.Files) == 0 {
		return "ENROLL_FAILURE_AT_CENTRAL", "packet carries no biometric data"
	}
	return "PRINT_READY_RECORD", ""
}
