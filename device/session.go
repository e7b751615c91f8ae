package device

import (
	"context"
	"errors"
	"sync"
)

// SignatureSession collects one signature from a pad: samples accumulate
// until the operator accepts (the samples are returned) or cancels;
// Clear starts over on both the pad and the buffer.
type SignatureSession struct {
	pad     SignaturePad
	mu      sync.Mutex
	samples []PenSample
	done    chan error // buffered: the decision
	once    sync.Once
}

// errAccepted ends the stream on accept.
var errAccepted = errors.New("signature accepted")

// NewSignatureSession starts a session on pad; call Run to stream.
func NewSignatureSession(pad SignaturePad) *SignatureSession {
	return &SignatureSession{pad: pad, done: make(chan error, 1)}
}

// Run streams until Accept, Cancel, ctx's end or a device error. On accept
// it returns the samples; otherwise the error (ErrCancelled on cancel).
// onSample, if not nil, sees every sample (for live ink).
func (s *SignatureSession) Run(ctx context.Context, onSample func(PenSample)) ([]PenSample, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	streamErr := make(chan error, 1)
	go func() {
		streamErr <- s.pad.Stream(ctx, func(p PenSample) error {
			s.mu.Lock()
			s.samples = append(s.samples, p)
			s.mu.Unlock()
			if onSample != nil {
				onSample(p)
			}
			return nil
		})
	}()
	var err error
	select {
	case err = <-s.done:
		cancel()
		<-streamErr
	case err = <-streamErr:
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			err = Errorf(ErrDisconnected, "signature", "stream ended")
		}
	}
	if errors.Is(err, errAccepted) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return append([]PenSample(nil), s.samples...), nil
	}
	return nil, err
}

// Samples returns a copy of the samples so far.
func (s *SignatureSession) Samples() []PenSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PenSample(nil), s.samples...)
}

// Clear erases the pad and drops the samples collected so far.
func (s *SignatureSession) Clear(ctx context.Context) error {
	s.mu.Lock()
	s.samples = nil
	s.mu.Unlock()
	return s.pad.Clear(ctx)
}

// Accept ends Run successfully.
func (s *SignatureSession) Accept() { s.decide(errAccepted) }

// Cancel ends Run with ErrCancelled.
func (s *SignatureSession) Cancel() {
	s.decide(Errorf(ErrCancelled, "signature", "cancelled by the operator"))
}

func (s *SignatureSession) decide(err error) {
	s.once.Do(func() { s.done <- err })
}
