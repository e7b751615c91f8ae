package receipt

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// Build collects one enrollment's receipt from the store as sess. Every
// read of personal data goes through the store's audited calls (the
// resident, the captures and the history are each an audit entry), so a
// receipt made is a receipt on the record. key is the receipt code key
// (KeyFrom); now is the printing time; times are shown in loc (time.Local
// when nil).
func Build(ctx context.Context, s *store.Store, sess *operator.Session, id int64, key []byte, now time.Time, loc *time.Location) (Receipt, error) {
	if loc == nil {
		loc = time.Local
	}
	var r Receipt
	e, err := s.Enrollment(ctx, sess, id)
	if err != nil {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	st, err := s.Station(ctx)
	if err != nil {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	res, err := s.Resident(ctx, sess, e.ResidentID)
	if err != nil {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	caps, err := s.Captures(ctx, sess, id)
	if err != nil {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	hist, err := s.Transitions(ctx, sess, id)
	if err != nil {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	steps := make(map[string]string, len(caps))
	for _, c := range caps {
		steps[c.Step] = c.Meta.Exception
	}
	r = Receipt{
		StationID: st.ID, Kecamatan: st.Kecamatan,
		EnrollmentID: id, Number: st.ID + "/" + strconv.FormatInt(id, 10),
		NIK: res.Resident.NIK, Name: res.Resident.Name,
		RecordedAt: RecordedAt(e, hist).In(loc), PrintedAt: now.In(loc),
		Operator: e.CreatedBy, State: e.State, Captured: Summarize(steps),
	}
	if reg, err := s.Region(ctx, st.Kecamatan); err == nil {
		r.KecamatanName = reg.Name
	} else if !errors.Is(err, store.ErrNotFound) {
		return r, fmt.Errorf("receipt of enrollment %d: %w", id, err)
	}
	// Past capture every enrollment holds all its steps; none left means
	// the retention purge removed them after the centre's receipt.
	r.Captured.Purged = e.State != enroll.Draft && r.Captured.Empty()
	r.Code = Code(key, r)
	return r, nil
}

// RecordedAt is when the recording was completed: the enrollment's last
// move to BIO_CAPTURED, or its creation while it is still a draft.
func RecordedAt(e store.Enrollment, hist []enroll.Transition) time.Time {
	at := e.CreatedAt
	for _, t := range hist {
		if t.To == enroll.BioCaptured {
			at = t.At
		}
	}
	return at
}
