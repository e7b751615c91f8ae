package station

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/packet"
)

// OutboxDir is the folder of sealed packets inside the data folder.
const OutboxDir = "outbox"

// Sealer turns approved enrollments into packets.
type Sealer struct {
	Store *store.Store
	Keys  *keys.Keys
	Reg   *client.Registration
	// DataDir is the station's data folder; packets go to DataDir/outbox.
	DataDir string
	Now     func() time.Time
	// Dedup, when set, receives each sealed enrollment's templates so the
	// next local duplicate check sees them (the gallery stays encrypted in
	// the store and survives the purge after the centre's receipt).
	Dedup *dedup.Checker
}

// EnrollmentRef is how an enrollment is named outside the station:
// "<station id>/<enrollment id>".
func EnrollmentRef(stationID string, id int64) string {
	return stationID + "/" + strconv.FormatInt(id, 10)
}

// ParseEnrollmentRef splits a reference made by EnrollmentRef.
func ParseEnrollmentRef(ref string) (stationID string, id int64, err error) {
	i := strings.LastIndexByte(ref, '/')
	if i <= 0 {
		return "", 0, fmt.Errorf("enrollment reference %q has no station part", ref)
	}
	id, err = strconv.ParseInt(ref[i+1:], 10, 64)
	if err != nil || id <= 0 {
		return "", 0, fmt.Errorf("enrollment reference %q has no enrollment number", ref)
	}
	return ref[:i], id, nil
}

// Seal seals an APPROVED enrollment: the biodata and the images go into one
// ANSI/NIST-ITL transaction (Type-2, WSQ Type-14 fingers, Type-10 face,
// Type-17 irises); templates and other captures follow as files, with the
// capture metadata and the lifecycle in the signed manifest. It signs and
// encrypts them into one packet, writes it
// atomically into the outbox folder, and queues it (APPROVED → PROCESSING)
// in one store transaction. It returns the packet's path.
func (s *Sealer) Seal(ctx context.Context, sess *operator.Session, id int64) (string, error) {
	if s.Reg == nil {
		return "", ErrNotRegistered
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	e, err := s.Store.Enrollment(ctx, sess, id)
	if err != nil {
		return "", err
	}
	if e.State != enroll.Approved {
		return "", fmt.Errorf("seal enrollment %d: it is %s, only an APPROVED enrollment is sealed", id, e.State)
	}
	st, err := s.Store.Station(ctx)
	if err != nil {
		return "", err
	}
	hist, err := s.Store.Transitions(ctx, sess, id)
	if err != nil {
		return "", err
	}
	caps, err := s.Store.Captures(ctx, sess, id)
	if err != nil {
		return "", err
	}
	res, err := s.Store.Resident(ctx, sess, e.ResidentID)
	if err != nil {
		return "", err
	}
	m := packet.Manifest{
		Schema: packet.SchemaVersion, PacketID: fmt.Sprintf("%s-%d-%d", st.ID, id, now().UnixNano()),
		EnrollmentID: EnrollmentRef(st.ID, id), StationID: st.ID, Kecamatan: st.Kecamatan,
		Operator:  packet.Actor{ID: e.CreatedBy, AuthMethod: "password"},
		CreatedAt: e.CreatedAt, SealedAt: now().UTC(),
	}
	for _, t := range hist {
		m.Lifecycle = append(m.Lifecycle, packet.Step{From: string(t.From), To: string(t.To), Actor: t.Actor, At: t.At, Reason: t.Reason})
		if t.To == enroll.Approved {
			m.Supervisor = packet.Actor{ID: t.Actor, AuthMethod: "password"}
		}
	}
	an2, inTx, err := buildTransaction(st.ID, st.Kecamatan, m.EnrollmentID, now(), res.Resident, caps)
	if err != nil {
		return "", fmt.Errorf("seal enrollment %d: ANSI/NIST transaction: %w", id, err)
	}
	files := []packet.File{{Name: "transaction.an2", Type: "ansi-nist-itl-2011", Data: an2}}
	var metas []map[string]any
	for _, c := range caps {
		if len(c.Blob) > 0 && !inTx[c.Step] {
			files = append(files, packet.File{Name: c.Step + "." + ext(c.Meta.Format), Type: c.Meta.Format, Data: c.Blob})
		}
		metas = append(metas, map[string]any{"step": c.Step, "format": c.Meta.Format, "quality": c.Meta.Quality,
			"attempts": c.Meta.Attempts, "exception": c.Meta.Exception, "device": c.Meta.Device, "saved_by": c.SavedBy, "saved_at": c.SavedAt})
	}
	mb, err := json.Marshal(metas)
	if err != nil {
		return "", err
	}
	files = append(files, packet.File{Name: "captures.json", Type: "rekam-captures+json", Data: mb})
	pk, err := packet.KEM().NewPublicKey(s.Reg.PacketKey)
	if err != nil {
		return "", fmt.Errorf("seal: server packet key: %w", err)
	}
	sealed, name, err := packet.Seal(m, files, s.Keys.Signing, pk)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(s.DataDir, OutboxDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	path, err := packet.WriteFile(dir, sealed)
	if err != nil {
		return "", err
	}
	if _, err := s.Store.EnqueuePacket(ctx, sess, id, path, name); err != nil {
		// Not queued: the file is an orphan nobody will send; remove it.
		os.Remove(path)
		return "", err
	}
	if s.Dedup != nil {
		rec, _ := dedup.ProbeFromCaptures(caps)
		// An enrollment without one usable template (every finger and
		// eye an exception or unreadable) has nothing to search for.
		if !searchable(rec) {
			return path, nil
		}
		if err := s.Dedup.AddSealed(ctx, sess, id, rec); err != nil {
			return path, fmt.Errorf("sealed, but not added to the local dedup gallery: %w", err)
		}
	}
	return path, nil
}

// searchable reports whether a record holds a finger template with
// minutiae or an iris template.
func searchable(r *index.Record) bool {
	for _, f := range r.Fingers {
		if f != nil && len(f.Minutiae) > 0 {
			return true
		}
	}
	for _, e := range r.Irises {
		if e != nil {
			return true
		}
	}
	return false
}

func ext(format string) string {
	switch {
	case format == "":
		return "bin"
	case strings.Contains(format, "png"):
		return "png"
	case strings.Contains(format, "wsq"):
		return "wsq"
	case strings.Contains(format, "jpeg"):
		return "jpg"
	case strings.HasPrefix(format, "iso"):
		return "iso"
	}
	return "bin"
}
