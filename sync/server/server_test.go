package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hpke"
	"crypto/rand"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/faultproxy"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/pki"
	"github.com/rekam-ktp/rekam/sync/server"
)

type harness struct {
	srv     *server.Server
	http    *httptest.Server
	backend *server.SQLBackend
	url     string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "pusat.db")+"?_journal_mode=WAL&_busy_timeout=5000&_fk=1")
	if err != nil {
		t.Fatal(err)
	}
	backend, err := server.OpenSQL(context.Background(), db, "sqlite3")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := pki.NewCA("test CA", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := packet.KEM().GenerateKey()
	_, rk, _ := ed25519.GenerateKey(nil)
	s := &server.Server{
		Backend: backend, CA: ca, PacketKey: pk, ReceiptKey: rk,
		SpoolDir: filepath.Join(dir, "spool"), PacketDir: filepath.Join(dir, "packets"),
		Process: func(ctx context.Context, c *packet.Contents) (string, string) { return "PRINT_READY_RECORD", "" },
	}
	os.MkdirAll(s.SpoolDir, 0o700)
	os.MkdirAll(s.PacketDir, 0o700)
	leaf, leafKey, err := ca.IssueServer([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.TLS = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Raw, ca.Cert.Raw}, PrivateKey: leafKey}},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    poolOf(ca),
		MinVersion:   tls.VersionTLS13,
	}
	ts.StartTLS()
	t.Cleanup(func() { ts.Close(); backend.Close() })
	return &harness{srv: s, http: ts, backend: backend, url: ts.URL}
}

type station struct {
	id   string
	sign ed25519.PrivateKey
	reg  *client.Registration
	c    *client.Client
}

func (h *harness) register(t *testing.T, id string) *station {
	t.Helper()
	secret := hex.EncodeToString(randBytes(16))
	if err := h.backend.AddStation(context.Background(), server.Station{ID: id, Kecamatan: "32.11.01", TokenHash: server.TokenHash(secret + "." + h.srv.CA.Fingerprint())}); err != nil {
		t.Fatal(err)
	}
	_, sk, _ := ed25519.GenerateKey(nil)
	reg, err := client.Register(context.Background(), h.url, secret+"."+h.srv.CA.Fingerprint(), id, sk.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	c, err := reg.Client()
	if err != nil {
		t.Fatal(err)
	}
	c.StallTimeout = 500 * time.Millisecond
	return &station{id: id, sign: sk, reg: reg, c: c}
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func (st *station) seal(t *testing.T, enrollment string, size int, to hpke.PublicKey) (string, string) {
	t.Helper()
	m := packet.Manifest{Schema: packet.SchemaVersion, PacketID: "p-" + enrollment, EnrollmentID: enrollment, StationID: st.id,
		Kecamatan: "32.11.01", CreatedAt: time.Now().UTC(), SealedAt: time.Now().UTC()}
	sealed, name, err := packet.Seal(m, []packet.File{{Name: "transaction.an2", Type: "ansi-nist-itl", Data: randBytes(size)}}, st.sign, to)
	if err != nil {
		t.Fatal(err)
	}
	path, err := packet.WriteFile(t.TempDir(), sealed)
	if err != nil {
		t.Fatal(err)
	}
	return name, path
}

func TestUploadReceiptIdempotentAndStatus(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	ctx := context.Background()
	name, path := st.seal(t, "E-1", 300_000, h.srv.PacketKey.PublicKey())
	sg, r, err := st.c.Upload(ctx, name, path, "E-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Packet != name || r.StationID != "ST-1" || r.EnrollmentID != "E-1" || r.Serial != 1 {
		t.Fatalf("receipt %+v", r)
	}
	sg2, r2, err := st.c.Upload(ctx, name, path, "E-1")
	if err != nil || r2 != r || sg2.Encode() != sg.Encode() {
		t.Fatalf("re-send gave another receipt: %+v %v", r2, err)
	}
	if _, err := os.Stat(filepath.Join(h.srv.PacketDir, name+".pkt")); err != nil {
		t.Fatal("packet not stored:", err)
	}
	page, err := st.c.Status(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range page.Updates {
		got = append(got, u.Status)
	}
	if strings.Join(got, ",") != "RECEIVED_AT_CENTRAL,PRINT_READY_RECORD" {
		t.Fatalf("statuses %v", got)
	}
	if page2, _ := st.c.Status(ctx, page.Next); len(page2.Updates) != 0 {
		t.Fatalf("cursor did not advance: %+v", page2)
	}
	// Another packet for the same enrollment is a duplicate at central.
	other, otherPath := st.seal(t, "E-1", 1000, h.srv.PacketKey.PublicKey())
	_, _, err = st.c.Upload(ctx, other, otherPath, "E-1")
	var rej *client.RejectedError
	if !errors.As(err, &rej) || !strings.Contains(rej.Reason, "already received") {
		t.Fatalf("second packet for one enrollment: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	ctx := context.Background()

	wrongKey, _ := packet.KEM().GenerateKey()
	name, path := st.seal(t, "E-wrong-recipient", 1000, wrongKey.PublicKey())
	_, _, err := st.c.Upload(ctx, name, path, "E-wrong-recipient")
	wantPart(t, "wrong recipient", err, "recipient")

	impostor := &station{id: "ST-1"}
	_, impostor.sign, _ = ed25519.GenerateKey(nil)
	name, path = impostor.seal(t, "E-forged", 1000, h.srv.PacketKey.PublicKey())
	_, _, err = st.c.Upload(ctx, name, path, "E-forged")
	wantPart(t, "signed by another key", err, "signer")

	other := h.register(t, "ST-2")
	name, path = other.seal(t, "E-other", 1000, h.srv.PacketKey.PublicKey())
	_, _, err = st.c.Upload(ctx, name, path, "E-other") // ST-2's packet sent by ST-1
	wantPart(t, "another station's packet", err, "signer")

	// A tampered packet file fails on its content hash: the server sees
	// bytes that are not the announced packet and the decrypt fails.
	name, path = st.seal(t, "E-tampered", 5000, h.srv.PacketKey.PublicKey())
	b, _ := os.ReadFile(path)
	b[len(b)-10] ^= 1
	tampered := packet.Name(b)
	tp := filepath.Join(t.TempDir(), tampered+".pkt")
	os.WriteFile(tp, b, 0o600)
	_, _, err = st.c.Upload(ctx, tampered, tp, "E-tampered")
	wantPart(t, "tampered", err, "decryption")

	if err := h.backend.RevokeStation(ctx, "ST-2"); err != nil {
		t.Fatal(err)
	}
	name, path = other.seal(t, "E-revoked", 1000, h.srv.PacketKey.PublicKey())
	_, _, err = other.c.Upload(ctx, name, path, "E-revoked")
	var rej *client.RejectedError
	if !errors.As(err, &rej) || rej.Reason != "station revoked" {
		t.Fatalf("revoked station: %v", err)
	}

	// A certificate from another CA is refused at the TLS layer.
	rogue, _ := pki.NewCA("rogue", time.Now())
	csr, key, _ := pki.NewStationRequest("ST-1")
	cert, _ := rogue.IssueStation(csr, "ST-1", time.Now())
	kp, _ := pki.EncodeKey(key)
	rc, err := client.New(h.url, st.reg.CAPEM, pki.EncodeCert(cert), kp, ed25519.PublicKey(st.reg.ReceiptKey))
	if err != nil {
		t.Fatal(err)
	}
	rc.MaxAttempts = 1
	if _, _, err := rc.Upload(ctx, name, path, "E-revoked"); err == nil {
		t.Fatal("rogue certificate accepted")
	}
	// A used token cannot register again.
	if _, err := client.Register(ctx, h.url, "x."+h.srv.CA.Fingerprint(), "ST-1", st.sign.Public().(ed25519.PublicKey)); err == nil {
		t.Fatal("re-registration with a bad token accepted")
	}
}

func wantPart(t *testing.T, what string, err error, part string) {
	t.Helper()
	var rej *client.RejectedError
	if !errors.As(err, &rej) || rej.Part != part {
		t.Fatalf("%s: got %v, want rejection of part %q", what, err, part)
	}
}

func TestExactlyOnceThroughFaults(t *testing.T) {
	h := newHarness(t)
	st := h.register(t, "ST-1")
	const n, size = 24, 200_000
	proxy := &faultproxy.Proxy{Target: strings.TrimPrefix(h.url, "https://"), FaultRate: 0.5, MaxOffset: size * 3 / 2, StallFor: time.Second}
	addr, err := proxy.Start(42)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	st.c.BaseURL = "https://" + addr
	st.c.Backoff = 10 * time.Millisecond
	var needed int64
	for i := range n {
		enr := fmt.Sprintf("E-%d", i)
		name, path := st.seal(t, enr, size, h.srv.PacketKey.PublicKey())
		fi, _ := os.Stat(path)
		needed += fi.Size()
		if _, r, err := st.c.Upload(context.Background(), name, path, enr); err != nil || r.Packet != name {
			t.Fatalf("packet %d: %v", i, err)
		}
	}
	stats, _ := h.backend.Stats(context.Background())
	if len(stats) != 1 || stats[0].Received != n || stats[0].Announced != 0 {
		t.Fatalf("server holds %+v, want %d received", stats, n)
	}
	conns, resets, stalls, corrupts := proxy.Stats()
	ratio := float64(st.c.BytesSent()) / float64(needed)
	t.Logf("%d connections, %d resets, %d stalls, %d corruptions; retransmit ratio %.3f", conns, resets, stalls, corrupts, ratio)
	if resets+stalls+corrupts == 0 {
		t.Fatal("the proxy injected no fault")
	}
	if ratio > 2 {
		t.Fatalf("retransmit ratio %.2f: uploads are not resuming", ratio)
	}
	var monitor bytes.Buffer
	resp, err := h.http.Client().Get(h.url + "/")
	if err == nil {
		monitor.ReadFrom(resp.Body)
		resp.Body.Close()
	}
	if !strings.Contains(monitor.String(), "<td>ST-1</td><td>24</td>") || !strings.Contains(monitor.String(), "Refused packets") {
		t.Fatalf("monitor page: %s", monitor.String())
	}
}

func poolOf(ca *pki.CA) *x509CertPool { p := newPool(); p.AddCert(ca.Cert); return p }

var _ = http.StatusOK
