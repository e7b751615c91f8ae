package dedup

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// LoadIndex fills idx with every gallery record the store holds (the
// start-up load): records are decrypted by the store in one pass and
// decoded and prepared by workers goroutines (GOMAXPROCS when ≤ 0). It
// returns the number of records loaded.
func LoadIndex(ctx context.Context, st *store.Store, sess *operator.Session, idx *index.Index, workers int) (int, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	recs := make(chan store.GalleryRecord, 4*workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range recs {
				var e index.Entry
				if err := e.UnmarshalBinary(r.Templates); err != nil {
					errs <- fmt.Errorf("gallery record %s: %w", r.RecordID, err)
					for range recs {
					}
					return
				}
				if err := idx.AddEntry(r.RecordID, &e); err != nil {
					errs <- err
					for range recs {
					}
					return
				}
			}
		}()
	}
	n, err := st.GalleryRecords(ctx, sess, func(r store.GalleryRecord) error {
		select {
		case recs <- r:
			return nil
		case err := <-errs:
			return err
		}
	})
	close(recs)
	wg.Wait()
	close(errs)
	for e := range errs {
		if err == nil {
			err = e
		}
	}
	if err != nil {
		return n, fmt.Errorf("load dedup gallery: %w", err)
	}
	return n, nil
}
