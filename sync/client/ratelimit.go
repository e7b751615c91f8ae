package client

import (
	"context"
	"sync"
	"time"
)

// RateLimit caps the bytes per second a client puts on the wire across all
// its uploads, so the nightly sync never starves the office's link.
type RateLimit struct {
	mu     sync.Mutex
	rate   float64 // bytes per second
	burst  float64
	tokens float64
	last   time.Time
}

// NewRateLimit allows bytesPerSecond on average with bursts of one second.
func NewRateLimit(bytesPerSecond int64) *RateLimit {
	r := float64(bytesPerSecond)
	return &RateLimit{rate: r, burst: r, tokens: r, last: time.Now()}
}

// wait blocks until n bytes may be sent or ctx ends.
func (l *RateLimit) wait(ctx context.Context, n int) error {
	if l == nil || l.rate <= 0 {
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		now := time.Now()
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		l.last = now
		need := float64(n)
		if need > l.burst {
			need = l.burst
		}
		if l.tokens >= need {
			l.tokens -= float64(n)
			l.mu.Unlock()
			return nil
		}
		delay := time.Duration((need - l.tokens) / l.rate * float64(time.Second))
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}
