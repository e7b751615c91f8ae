package store

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentWritersSerialise runs writers and audited readers from many
// goroutines: the single writer path must keep every write and an unbroken
// audit chain.
func TestConcurrentWritersSerialise(t *testing.T) {
	f := newFixture(t)
	const workers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*2)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				nik := fmt.Sprintf("3211%06d%06d", w, i)
				if _, err := f.s.AddResident(ctx, f.op(), resident(nik, "X")); err != nil {
					errs <- err
					return
				}
				if _, err := f.s.ResidentByNIK(ctx, f.sup(), nik); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := f.s.Residents(ctx, f.sup())
	if err != nil || len(all) != workers*each {
		t.Fatalf("%d residents, %v; want %d", len(all), err, workers*each)
	}
	n, err := f.s.verifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < workers*each*2 {
		t.Fatalf("only %d audit entries for %d writes and reads", n, workers*each*2)
	}
}
