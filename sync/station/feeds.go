package station

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/sync/feed"
)

// PullFeeds fetches and applies the documents the centre publishes for
// stations: region master data and the operator list (revocations, with
// the list's expiry). Each document is verified (signature, kind, expiry)
// before it is applied, and its version is recorded so it is fetched once.
func (s *Syncer) PullFeeds(ctx context.Context, r *Report) error {
	for _, kind := range []string{feed.KindRegions, feed.KindOperators} {
		key := "feed_version/" + kind
		cur, err := s.Store.SyncValue(ctx, key)
		if err != nil {
			return err
		}
		have, _ := strconv.ParseInt(cur, 10, 64)
		d, err := s.Client.Feed(ctx, kind, have, s.now())
		if err != nil {
			s.log().Info("feed not fetched", "kind", kind, "err", err)
			continue // a missing or failing feed never blocks the rest
		}
		if d == nil {
			continue
		}
		if err := s.apply(ctx, d); err != nil {
			return fmt.Errorf("apply %s feed: %w", kind, err)
		}
		if err := s.Store.SetSyncValue(ctx, key, strconv.FormatInt(d.Header.Version, 10)); err != nil {
			return err
		}
		r.Feeds++
	}
	return nil
}

func (s *Syncer) apply(ctx context.Context, d *feed.Document) error {
	switch d.Header.Kind {
	case feed.KindRegions:
		var regs []wilayah.Region
		if err := json.Unmarshal(d.Payload, &regs); err != nil {
			return err
		}
		_, err := s.Store.ImportRegions(ctx, regs)
		return err
	case feed.KindOperators:
		var ops []feed.Operator
		if err := json.Unmarshal(d.Payload, &ops); err != nil {
			return err
		}
		var revoked []string
		for _, o := range ops {
			if o.Revoked {
				revoked = append(revoked, o.Name)
			}
		}
		_, err := s.Store.ApplyOperatorRevocations(ctx, s.Store.SystemSession("sync"), revoked, d.Header.ExpiresAt)
		return err
	}
	return fmt.Errorf("no handler for feed kind %q", d.Header.Kind)
}
