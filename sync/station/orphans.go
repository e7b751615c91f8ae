package station

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll/store"
)

// RemoveOrphanPackets deletes packet files in the outbox folder that no
// outbox row names: what a crash between writing a packet and queueing it
// leaves behind (the enrollment stayed APPROVED and is sealed again). Files
// younger than minAge are left alone, in case a seal is under way.
func RemoveOrphanPackets(ctx context.Context, s *store.Store, dataDir string, minAge time.Duration, now time.Time) (int, error) {
	items, err := s.Outbox(ctx, s.SystemSession("sync"), "")
	if err != nil {
		return 0, err
	}
	known := map[string]bool{}
	for _, it := range items {
		known[filepath.Base(it.PacketPath)] = true
	}
	dir := filepath.Join(dataDir, OutboxDir)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if known[name] || !(strings.HasSuffix(name, ".pkt") || strings.HasSuffix(name, ".tmp")) {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < minAge {
			continue
		}
		if os.Remove(filepath.Join(dir, name)) == nil {
			n++
		}
	}
	return n, nil
}
