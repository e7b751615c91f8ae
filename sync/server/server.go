// Package server is the national server's side of the sync protocol: station
// registration, resumable packet upload into a spool, verification, signed
// receipts and status updates. cmd/rekam-pusat hosts it.
package server

import (
	"context"
	"crypto/ed25519"
	"crypto/hpke"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/pki"
	"github.com/rekam-ktp/rekam/sync/proto"
	"github.com/rekam-ktp/rekam/sync/receipt"
)

// Processor is the centre's decision on a received packet (central dedup
// and quality checks): it returns the enrollment's next status, e.g.
// PRINT_READY_RECORD or DUPLICATE_RECORD, with a reason.
type Processor func(ctx context.Context, c *packet.Contents) (status, reason string)

// Server handles the sync protocol.
type Server struct {
	Backend    Backend
	CA         *pki.CA
	PacketKey  hpke.PrivateKey
	ReceiptKey ed25519.PrivateKey
	// SpoolDir holds partial uploads; PacketDir holds received packets;
	// FeedDir holds the signed documents published for stations.
	SpoolDir, PacketDir, FeedDir string
	// Process decides each received packet's outcome before the receipt is
	// stored (a quick check); nil leaves it to Decide.
	Process Processor
	// Decide is the centre's slower decision (central dedup), made in the
	// background after the receipt: RunDecider runs it for every received
	// packet still without a decision, including those a restart left.
	Decide Processor
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log gets operational messages (never personal data).
	Log *slog.Logger

	queue   chan string // received packets awaiting Decide
	locks   sync.Map    // packet name → *sync.Mutex
	touched sync.Map    // station id → time.Time of the last stored contact
}

// touch records a station's last contact at most once a minute, so a busy
// upload does not pay a database commit per request for it.
func (s *Server) touch(ctx context.Context, id string) {
	now := s.now()
	if last, ok := s.touched.Load(id); ok && now.Sub(last.(time.Time)) < time.Minute {
		return
	}
	s.touched.Store(id, now)
	_ = s.Backend.Touch(ctx, id, now)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Handler returns the protocol's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+proto.PathRegister, s.register)
	mux.HandleFunc("POST "+proto.PathAnnounce, s.station(s.announce))
	mux.HandleFunc("PUT "+proto.PathUpload+"{name}", s.station(s.upload))
	mux.HandleFunc("POST "+proto.PathFinalize+"{name}", s.station(s.finalize))
	mux.HandleFunc("GET "+proto.PathStatus, s.station(s.status))
	mux.HandleFunc("GET "+proto.PathFeed+"{kind...}", s.station(s.feed))
	mux.HandleFunc("POST "+proto.PathResident, s.station(s.resident))
	mux.HandleFunc("GET /", s.monitor)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func reject(w http.ResponseWriter, code int, part, reason string, permanent bool) {
	writeJSON(w, code, proto.Rejection{Part: part, Reason: reason, Permanent: permanent})
}

// station authenticates the caller by its client certificate: the
// certificate must be the one registered for its Common Name, and the
// station must not be revoked.
func (s *Server) station(h func(http.ResponseWriter, *http.Request, Station)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			reject(w, http.StatusUnauthorized, "", "a station client certificate is required", true)
			return
		}
		cert := r.TLS.PeerCertificates[0]
		st, err := s.Backend.Station(r.Context(), cert.Subject.CommonName)
		switch {
		case errors.Is(err, ErrNotFound):
			reject(w, http.StatusForbidden, "", "unknown station", true)
			return
		case err != nil:
			reject(w, http.StatusInternalServerError, "", "station lookup failed", false)
			return
		case st.Revoked:
			reject(w, http.StatusForbidden, "", "station revoked", true)
			return
		case subtle.ConstantTimeCompare([]byte(st.CertFingerprint), []byte(pki.Fingerprint(cert))) != 1:
			reject(w, http.StatusForbidden, "", "certificate is not the one registered for this station", true)
			return
		}
		s.touch(r.Context(), st.ID)
		h(w, r, st)
	}
}

// TokenHash is how tokens are stored: their SHA-256 in hex.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	req, err := proto.Decode[proto.RegisterRequest](r.Body)
	if err != nil {
		reject(w, http.StatusBadRequest, "", err.Error(), true)
		return
	}
	if len(req.SigningKey) != ed25519.PublicKeySize {
		reject(w, http.StatusBadRequest, "", "signing key is not an Ed25519 public key", true)
		return
	}
	cert, err := s.CA.IssueStation(req.CSR, req.StationID, s.now())
	if err != nil {
		reject(w, http.StatusBadRequest, "", err.Error(), true)
		return
	}
	if err := s.Backend.CompleteRegistration(r.Context(), req.StationID, TokenHash(req.Token), pki.Fingerprint(cert), req.SigningKey, s.now()); err != nil {
		reject(w, http.StatusForbidden, "", err.Error(), true)
		return
	}
	s.log().Info("station registered", "station", req.StationID)
	writeJSON(w, http.StatusOK, proto.RegisterResponse{
		Certificate: pki.EncodeCert(cert), CA: pki.EncodeCert(s.CA.Cert),
		PacketKey: s.PacketKey.PublicKey().Bytes(), ReceiptKey: s.ReceiptKey.Public().(ed25519.PublicKey),
	})
}

func (s *Server) lock(name string) *sync.Mutex {
	m, _ := s.locks.LoadOrStore(name, new(sync.Mutex))
	return m.(*sync.Mutex)
}

func (s *Server) spoolPath(name string) string  { return filepath.Join(s.SpoolDir, name+".part") }
func (s *Server) packetPath(name string) string { return filepath.Join(s.PacketDir, name+".pkt") }

// committed returns how many bytes of a packet the spool durably holds.
func (s *Server) committed(name string) int64 {
	fi, err := os.Stat(s.spoolPath(name))
	if err != nil {
		return 0
	}
	return fi.Size()
}

func (s *Server) announce(w http.ResponseWriter, r *http.Request, st Station) {
	a, err := proto.Decode[proto.Announce](r.Body)
	if err != nil {
		reject(w, http.StatusBadRequest, "", err.Error(), true)
		return
	}
	if !proto.ValidPacketName(a.Packet) || a.Size <= 0 || a.Size > packet.MaxPacketSize*2 || a.EnrollmentID == "" {
		reject(w, http.StatusBadRequest, "", "announce needs a packet name (SHA-256 hex), a size and an enrollment id", true)
		return
	}
	ctx := r.Context()
	if p, err := s.Backend.Packet(ctx, a.Packet); err == nil {
		switch {
		case p.StationID != st.ID:
			reject(w, http.StatusConflict, "", "packet announced by another station", true)
			return
		case p.State == PacketReceived:
			writeJSON(w, http.StatusOK, proto.Progress{Offset: p.Size, Receipt: p.Receipt})
			return
		case p.State == PacketRejected:
			reject(w, http.StatusUnprocessableEntity, "", "packet was rejected: "+p.Reason, true)
			return
		case p.Size != a.Size:
			reject(w, http.StatusConflict, "", "packet announced before with another size", true)
			return
		}
	}
	if prev, err := s.Backend.ReceivedForEnrollment(ctx, st.ID, a.EnrollmentID); err == nil && prev.Name != a.Packet {
		reject(w, http.StatusConflict, "", "enrollment already received in packet "+prev.Name, true)
		return
	}
	if err := s.Backend.Announce(ctx, PacketRecord{Name: a.Packet, StationID: st.ID, EnrollmentID: a.EnrollmentID, Size: a.Size}); err != nil {
		reject(w, http.StatusInternalServerError, "", "announce failed", false)
		return
	}
	writeJSON(w, http.StatusOK, proto.Progress{Offset: s.committed(a.Packet)})
}

// upload appends the request body to the packet's spool file from the
// offset the client names, which must equal what the spool holds. Bytes are
// written as they arrive and fsynced when the body ends or breaks, so a cut
// connection still commits every byte that arrived intact (TLS records are
// authenticated).
func (s *Server) upload(w http.ResponseWriter, r *http.Request, st Station) {
	name := r.PathValue("name")
	offset, err := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
	if !proto.ValidPacketName(name) || err != nil || offset < 0 {
		reject(w, http.StatusBadRequest, "", "upload needs a packet name and an offset", true)
		return
	}
	p, err := s.Backend.Packet(r.Context(), name)
	if err != nil || p.StationID != st.ID {
		reject(w, http.StatusNotFound, "", "packet not announced", true)
		return
	}
	if p.State == PacketReceived {
		writeJSON(w, http.StatusOK, proto.Progress{Offset: p.Size, Receipt: p.Receipt})
		return
	}
	mu := s.lock(name)
	if !tryLockFor(mu, 5*time.Second) {
		reject(w, http.StatusConflict, "", "another upload of this packet is still running", false)
		return
	}
	defer mu.Unlock()
	have := s.committed(name)
	if offset != have {
		writeJSON(w, http.StatusConflict, proto.Progress{Offset: have})
		return
	}
	f, err := os.OpenFile(s.spoolPath(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		reject(w, http.StatusInternalServerError, "", "spool unavailable", false)
		return
	}
	rc := http.NewResponseController(w)
	body := &deadlineReader{r: io.LimitReader(r.Body, p.Size-offset), extend: func() { _ = rc.SetReadDeadline(time.Now().Add(10 * time.Second)) }}
	n, copyErr := io.Copy(f, body)
	syncErr := f.Sync()
	closeErr := f.Close()
	if syncErr != nil || closeErr != nil {
		// What is on disk is not known to be durable: drop the spool so the
		// client starts again rather than trusting it.
		_ = os.Remove(s.spoolPath(name))
		reject(w, http.StatusInternalServerError, "", "spool write failed", false)
		return
	}
	if copyErr != nil {
		s.log().Info("upload cut", "packet", name[:12], "received", n, "err", copyErr)
		return // the client is gone or stalled; it resumes from the committed offset
	}
	writeJSON(w, http.StatusOK, proto.Progress{Offset: offset + n})
}

// deadlineReader extends the connection's read deadline before each read,
// so a stalled client is dropped instead of holding the packet's lock.
type deadlineReader struct {
	r      io.Reader
	extend func()
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	d.extend()
	return d.r.Read(p)
}

func tryLockFor(mu *sync.Mutex, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if mu.TryLock() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) finalize(w http.ResponseWriter, r *http.Request, st Station) {
	name := r.PathValue("name")
	ctx := r.Context()
	p, err := s.Backend.Packet(ctx, name)
	if err != nil || p.StationID != st.ID {
		reject(w, http.StatusNotFound, "", "packet not announced", true)
		return
	}
	if p.State == PacketReceived {
		writeJSON(w, http.StatusOK, proto.Progress{Offset: p.Size, Receipt: p.Receipt})
		return
	}
	if p.State == PacketRejected {
		reject(w, http.StatusUnprocessableEntity, "", "packet was rejected: "+p.Reason, true)
		return
	}
	mu := s.lock(name)
	if !tryLockFor(mu, 5*time.Second) {
		reject(w, http.StatusConflict, "", "an upload of this packet is still running", false)
		return
	}
	defer mu.Unlock()
	data, err := os.ReadFile(s.spoolPath(name))
	if err != nil || int64(len(data)) != p.Size {
		writeJSON(w, http.StatusConflict, proto.Progress{Offset: int64(len(data))})
		return
	}
	if packet.Name(data) != name {
		// The bytes on disk are not the announced packet (a torn write after
		// a power cut): start over rather than reject the station's packet.
		_ = os.Remove(s.spoolPath(name))
		writeJSON(w, http.StatusConflict, proto.Progress{Offset: 0})
		return
	}
	text, err := s.ingest(ctx, st, p, data, s.spoolPath(name))
	var rej *IngestError
	switch {
	case errors.As(err, &rej):
		_ = os.Remove(s.spoolPath(name))
		reject(w, http.StatusUnprocessableEntity, rej.Part, rej.Reason, true)
	case err != nil:
		reject(w, http.StatusInternalServerError, "", "store packet failed", false)
	default:
		_ = os.Remove(s.spoolPath(name))
		writeJSON(w, http.StatusOK, proto.Progress{Offset: p.Size, Receipt: text})
	}
}

// IngestError is a packet refused for good, with the failing part.
type IngestError struct {
	Part, Reason string
}

func (e *IngestError) Error() string { return "packet refused (" + e.Part + "): " + e.Reason }

// Ingest verifies a whole packet that station st sent (over the network or
// on a removable drive), stores it, records the receipt and the centre's
// decision, and returns the encoded signed receipt. It is idempotent: a
// packet already received returns its receipt. A packet that fails
// verification is recorded as rejected and returned as an *IngestError.
func (s *Server) Ingest(ctx context.Context, st Station, p PacketRecord, data []byte) (string, error) {
	return s.ingest(ctx, st, p, data, "")
}

// ingest is Ingest; when spool names the file data was read from, the file
// is renamed into the packet store instead of written again.
func (s *Server) ingest(ctx context.Context, st Station, p PacketRecord, data []byte, spool string) (string, error) {
	name := p.Name
	if prev, err := s.Backend.Packet(ctx, name); err == nil && prev.State == PacketReceived {
		return prev.Receipt, nil
	}
	contents, err := packet.Open(data, s.PacketKey, func(id string, key ed25519.PublicKey) error {
		if id != st.ID {
			return fmt.Errorf("manifest names station %s, but %s sent it", id, st.ID)
		}
		if !key.Equal(ed25519.PublicKey(st.SigningKey)) {
			return errors.New("not signed with the station's registered key")
		}
		return nil
	})
	if err == nil && contents.Manifest.EnrollmentID != p.EnrollmentID {
		err = &packet.Error{Part: packet.PartManifest, Reason: "manifest enrollment differs from the announced one"}
	}
	if err != nil {
		var pe *packet.Error
		part := ""
		if errors.As(err, &pe) {
			part = string(pe.Part)
		}
		_ = s.Backend.Reject(ctx, name, err.Error())
		s.log().Warn("packet rejected", "packet", name[:12], "station", st.ID, "part", part)
		return "", &IngestError{Part: part, Reason: err.Error()}
	}
	if spool != "" {
		if err := os.Rename(spool, s.packetPath(name)); err != nil {
			return "", fmt.Errorf("store packet: %w", err)
		}
		if err := atomicfile.SyncDir(s.PacketDir); err != nil {
			return "", fmt.Errorf("store packet: %w", err)
		}
	} else if err := writeDurable(s.packetPath(name), data); err != nil {
		return "", fmt.Errorf("store packet: %w", err)
	}
	now := s.now().UTC()
	var outcome *StatusRow
	if s.Process != nil {
		if status, reason := s.Process(ctx, contents); status != "" {
			outcome = &StatusRow{Status: status, Reason: reason, At: now}
		}
	}
	text, err := s.Backend.Receive(ctx, name, now, func(serial int64) (string, error) {
		sg, err := receipt.Sign(receipt.Receipt{Packet: name, Size: p.Size, StationID: st.ID, EnrollmentID: p.EnrollmentID, ReceivedAt: now, Serial: serial}, s.ReceiptKey)
		return sg.Encode(), err
	}, outcome)
	if err != nil {
		return "", fmt.Errorf("record receipt: %w", err)
	}
	if s.Decide != nil && outcome == nil && s.queue != nil {
		select {
		case s.queue <- name:
		default: // the decider is behind; its next rescan finds the packet
		}
	}
	return text, nil
}

// writeDurable writes data to path atomically and durably; a file already
// there with the same size is the same packet (content-named) and is kept.
func writeDurable(path string, data []byte) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() == int64(len(data)) {
		return nil
	}
	return atomicfile.WriteBytes(path, 0o600, data)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request, st Station) {
	since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	rows, err := s.Backend.StatusSince(r.Context(), st.ID, since, 500)
	if err != nil {
		reject(w, http.StatusInternalServerError, "", "status lookup failed", false)
		return
	}
	page := proto.StatusPage{Next: since, Updates: []proto.StatusUpdate{}}
	for _, row := range rows {
		page.Updates = append(page.Updates, proto.StatusUpdate{Seq: row.Seq, EnrollmentID: row.EnrollmentID, Packet: row.Packet,
			Status: row.Status, Reason: row.Reason, At: row.At.Format(time.RFC3339)})
		page.Next = row.Seq
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) monitor(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	stats, err := s.Backend.Stats(r.Context())
	if err != nil {
		http.Error(w, "stats unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><title>Rekam Pusat</title><h1>Rekam Pusat — packets per station</h1><table border=1><tr><th>station</th><th>received</th><th>in progress</th><th>rejected</th><th>last contact</th><th>revoked</th></tr>")
	for _, st := range stats {
		last := "never"
		if !st.LastContact.IsZero() {
			last = st.LastContact.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%v</td></tr>",
			html.EscapeString(st.StationID), st.Received, st.Announced, st.Rejected, last, st.Revoked)
	}
	fmt.Fprint(w, "</table>")
	failures, err := s.Backend.Failures(r.Context())
	if err != nil {
		return
	}
	parts := make([]string, 0, len(failures))
	for p := range failures {
		parts = append(parts, p)
	}
	sort.Strings(parts)
	fmt.Fprint(w, "<h2>Refused packets by failing part</h2><table border=1><tr><th>part</th><th>packets</th></tr>")
	for _, p := range parts {
		fmt.Fprintf(w, "<tr><td>%s</td><td>%d</td></tr>", html.EscapeString(p), failures[p])
	}
	fmt.Fprint(w, "</table>")
}
