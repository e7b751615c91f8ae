package server

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/sync/bundle"
)

// ImportResult tells how one exported packet fared.
type ImportResult struct {
	Packet       string
	EnrollmentID string
	Receipt      string
	Err          error
}

// ImportBundle ingests a station's export from a removable drive with the
// same checks as an upload: the manifest must be signed by a registered,
// unrevoked station, and every packet must verify. Receipts are written
// back to the drive for the station to import.
func (s *Server) ImportBundle(ctx context.Context, dir string) ([]ImportResult, error) {
	m, body, sig, err := bundle.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	st, err := s.Backend.Station(ctx, m.StationID)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("bundle from unknown station %q", m.StationID)
	}
	if err != nil {
		return nil, err
	}
	if st.Revoked {
		return nil, fmt.Errorf("bundle from revoked station %s", st.ID)
	}
	if err := bundle.Verify(body, sig, ed25519.PublicKey(st.SigningKey)); err != nil {
		return nil, err
	}
	var out []ImportResult
	for _, e := range m.Packets {
		res := ImportResult{Packet: e.Packet, EnrollmentID: e.EnrollmentID}
		data, err := bundle.ReadPacket(dir, e)
		if err == nil {
			rec := PacketRecord{Name: e.Packet, StationID: st.ID, EnrollmentID: e.EnrollmentID, Size: e.Size}
			if prev, perr := s.Backend.ReceivedForEnrollment(ctx, st.ID, e.EnrollmentID); perr == nil && prev.Name != e.Packet {
				err = fmt.Errorf("enrollment already received in packet %s", prev.Name[:12])
			} else if err = s.Backend.Announce(ctx, rec); err == nil {
				res.Receipt, err = s.Ingest(ctx, st, rec, data)
			}
		}
		if err == nil {
			err = bundle.WriteReceipt(dir, e.Packet, res.Receipt)
		}
		res.Err = err
		out = append(out, res)
	}
	return out, nil
}
