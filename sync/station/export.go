package station

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/bundle"
	"github.com/rekam-ktp/rekam/sync/client"
)

// ExportOutbox writes every unsent packet of the outbox (pending or
// sending) and a manifest signed with the station's key into dir, for a
// removable drive when the link is down (bundle.Export). sess must be
// allowed to sync.
func ExportOutbox(ctx context.Context, s *store.Store, sess *operator.Session, signing ed25519.PrivateKey, reg *client.Registration, dir string, now time.Time) (*bundle.Manifest, error) {
	var items []bundle.Item
	for _, status := range []string{store.OutboxPending, store.OutboxSending} {
		rows, err := s.Outbox(ctx, sess, status)
		if err != nil {
			return nil, fmt.Errorf("export outbox: %w", err)
		}
		for _, r := range rows {
			items = append(items, bundle.Item{Path: r.PacketPath, EnrollmentID: EnrollmentRef(reg.StationID, r.EnrollmentID)})
		}
	}
	return bundle.Export(dir, reg.StationID, signing, items, now)
}
