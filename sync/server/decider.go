package server

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rekam-ktp/rekam/sync/packet"
)

// StartQueue makes the server hand received packets to RunDecider; call it
// before serving.
func (s *Server) StartQueue(size int) { s.queue = make(chan string, size) }

// RunDecider makes the centre's decision (Decide) on every received packet
// that has none, until ctx ends: first the ones a restart left undecided,
// then each new one as it is received, with a rescan every interval so
// nothing queued while the decider was behind is forgotten.
func (s *Server) RunDecider(ctx context.Context, interval time.Duration) error {
	if s.Decide == nil {
		return errors.New("server: no decider")
	}
	rescan := time.NewTicker(interval)
	defer rescan.Stop()
	for {
		if err := s.decideBacklog(ctx); err != nil && ctx.Err() == nil {
			s.log().Warn("decider backlog", "err", err)
		}
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-rescan.C:
			case name := <-s.queue:
				if err := s.decideOne(ctx, name); err != nil {
					s.log().Warn("decide", "packet", name[:12], "err", err)
				}
				continue
			}
			break
		}
	}
}

// DecidePending decides every received packet still without a decision,
// once (for one-shot commands such as an import from a drive).
func (s *Server) DecidePending(ctx context.Context) error { return s.decideBacklog(ctx) }

func (s *Server) decideBacklog(ctx context.Context) error {
	names, err := s.Backend.Undecided(ctx, 1000)
	if err != nil {
		return err
	}
	for _, name := range names {
		if ctx.Err() != nil {
			return nil
		}
		if err := s.decideOne(ctx, name); err != nil {
			s.log().Warn("decide", "packet", name[:12], "err", err)
		}
	}
	return nil
}

// decideOne re-opens a stored packet and records the centre's decision.
func (s *Server) decideOne(ctx context.Context, name string) error {
	p, err := s.Backend.Packet(ctx, name)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(s.packetPath(name))
	if err != nil {
		return fmt.Errorf("read stored packet: %w", err)
	}
	st, err := s.Backend.Station(ctx, p.StationID)
	if err != nil {
		return err
	}
	c, err := packet.Open(data, s.PacketKey, func(id string, key ed25519.PublicKey) error {
		if id != st.ID || !key.Equal(ed25519.PublicKey(st.SigningKey)) {
			return errors.New("stored packet no longer verifies")
		}
		return nil
	})
	if err != nil {
		return err
	}
	status, reason := s.Decide(ctx, c)
	if status == "" {
		return nil
	}
	return s.Backend.AddStatus(ctx, st.ID, p.EnrollmentID, name, status, reason, s.now())
}
