package client

import (
	"context"
	"testing"
	"time"
)

func TestRateLimitCaps(t *testing.T) {
	l := NewRateLimit(100_000)
	ctx := context.Background()
	start := time.Now()
	// One second of burst, then 50 KB more must take about half a second.
	for sent := 0; sent < 150_000; sent += 10_000 {
		if err := l.wait(ctx, 10_000); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 400*time.Millisecond {
		t.Fatalf("150 KB at 100 KB/s with a 100 KB burst took %v, want ≥ 0.4 s", el)
	}
	var none *RateLimit
	if err := none.wait(ctx, 1<<30); err != nil {
		t.Fatal("a nil limit must not block")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := NewRateLimit(1).wait(cctx, 1000); err == nil {
		t.Fatal("wait ignored a cancelled context")
	}
}
