// Package pusat assembles the reference national server from its parts: its
// data folder (keys, database, spool), station invitations and the HTTPS
// listener. cmd/rekam-pusat is a thin command over it, and benchmarks start
// the same server in-process.
package pusat

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL for a national deployment
	_ "github.com/mattn/go-sqlite3"    // the embedded store

	"github.com/rekam-ktp/rekam/sync/central"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/pki"
	"github.com/rekam-ktp/rekam/sync/server"
)

// Files of the server's data folder.
const (
	caCertFile   = "ca.pem"
	caKeyFile    = "ca-key.pem"
	tlsCertFile  = "tls.pem"
	tlsKeyFile   = "tls-key.pem"
	packetKey    = "packet.key"
	receiptKey   = "receipt.key"
	databaseFile = "pusat.db"
)

// ErrExists is returned by Init for a folder that already holds a server.
var ErrExists = errors.New("folder already holds a server; refusing to overwrite its keys")

// Init creates a server in data: CA, TLS certificate for hosts, packet
// (HPKE) and receipt (Ed25519) keys, database and spool folders. It returns
// the CA fingerprint.
func Init(data string, hosts []string) (string, error) {
	keys := filepath.Join(data, "keys")
	if _, err := os.Stat(filepath.Join(keys, caCertFile)); err == nil {
		return "", fmt.Errorf("%s: %w", data, ErrExists)
	}
	for _, d := range []string{keys, filepath.Join(data, "spool"), filepath.Join(data, "packets")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", fmt.Errorf("init server: %w", err)
		}
	}
	now := time.Now()
	ca, err := pki.NewCA("Rekam Pusat CA", now)
	if err != nil {
		return "", err
	}
	leaf, leafKey, err := ca.IssueServer(hosts, now)
	if err != nil {
		return "", err
	}
	caKeyPEM, err := pki.EncodeKey(ca.Key)
	if err != nil {
		return "", err
	}
	leafKeyPEM, err := pki.EncodeKey(leafKey)
	if err != nil {
		return "", err
	}
	pk, err := packet.KEM().GenerateKey()
	if err != nil {
		return "", fmt.Errorf("init server: packet key: %w", err)
	}
	pkBytes, err := pk.Bytes()
	if err != nil {
		return "", fmt.Errorf("init server: packet key: %w", err)
	}
	_, rk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", fmt.Errorf("init server: receipt key: %w", err)
	}
	files := map[string][]byte{
		caCertFile: pki.EncodeCert(ca.Cert), caKeyFile: caKeyPEM,
		tlsCertFile: append(pki.EncodeCert(leaf), pki.EncodeCert(ca.Cert)...), tlsKeyFile: leafKeyPEM,
		packetKey: []byte(hex.EncodeToString(pkBytes)), receiptKey: []byte(hex.EncodeToString(rk.Seed())),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(keys, name), b, 0o600); err != nil {
			return "", fmt.Errorf("init server: %w", err)
		}
	}
	b, err := OpenBackend(data)
	if err != nil {
		return "", err
	}
	return ca.Fingerprint(), b.Close()
}

// OpenBackend opens the server's embedded SQLite store.
func OpenBackend(data string) (*server.SQLBackend, error) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, databaseFile)+"?_journal_mode=WAL&_busy_timeout=5000&_fk=1&_synchronous=FULL")
	if err != nil {
		return nil, fmt.Errorf("open server store: %w", err)
	}
	return server.OpenSQL(context.Background(), db, "sqlite3")
}

// OpenPostgres opens a PostgreSQL backend for a national deployment; dsn
// is a pgx connection string.
func OpenPostgres(dsn string) (*server.SQLBackend, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return server.OpenSQL(context.Background(), db, "pgx")
}

// Keys are the server's secrets, loaded from its data folder.
type Keys struct {
	CA      *pki.CA
	TLS     tls.Certificate
	Packet  []byte
	Receipt ed25519.PrivateKey
}

// LoadKeys reads the server's keys from data.
func LoadKeys(data string) (*Keys, error) {
	dir := filepath.Join(data, "keys")
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("server keys: %w (run `rekam-pusat init` first)", err)
		}
		return b, nil
	}
	caPEM, err := read(caCertFile)
	if err != nil {
		return nil, err
	}
	caKeyPEM, err := read(caKeyFile)
	if err != nil {
		return nil, err
	}
	caCert, err := pki.DecodeCert(caPEM)
	if err != nil {
		return nil, err
	}
	caKey, err := pki.DecodeKey(caKeyPEM)
	if err != nil {
		return nil, err
	}
	tlsCert, err := tls.LoadX509KeyPair(filepath.Join(dir, tlsCertFile), filepath.Join(dir, tlsKeyFile))
	if err != nil {
		return nil, fmt.Errorf("server keys: %w", err)
	}
	pkHex, err := read(packetKey)
	if err != nil {
		return nil, err
	}
	rkHex, err := read(receiptKey)
	if err != nil {
		return nil, err
	}
	pk, err := hex.DecodeString(strings.TrimSpace(string(pkHex)))
	if err != nil {
		return nil, fmt.Errorf("server keys: packet key: %w", err)
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(rkHex)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("server keys: receipt key is not an Ed25519 seed")
	}
	return &Keys{CA: &pki.CA{Cert: caCert, Key: caKey}, TLS: tlsCert, Packet: pk, Receipt: ed25519.NewKeyFromSeed(seed)}, nil
}

// AddStation invites a station and returns its one-time registration
// token, SECRET.CA-SHA256.
func AddStation(data, id, kecamatan string) (string, error) {
	keys, err := LoadKeys(data)
	if err != nil {
		return "", err
	}
	b, err := OpenBackend(data)
	if err != nil {
		return "", err
	}
	defer b.Close()
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	token := hex.EncodeToString(secret) + "." + keys.CA.Fingerprint()
	if err := b.AddStation(context.Background(), server.Station{ID: id, Kecamatan: kecamatan, TokenHash: server.TokenHash(token)}); err != nil {
		return "", err
	}
	return token, nil
}

// New assembles the server from its data folder. With pgDSN set the state
// lives in PostgreSQL instead of the embedded SQLite store. The caller
// closes the returned backend.
func New(data, pgDSN string, log *slog.Logger) (*server.Server, *Keys, error) {
	keys, err := LoadKeys(data)
	if err != nil {
		return nil, nil, err
	}
	pk, err := packet.KEM().NewPrivateKey(keys.Packet)
	if err != nil {
		return nil, nil, fmt.Errorf("packet key: %w", err)
	}
	open := func() (*server.SQLBackend, error) { return OpenBackend(data) }
	if pgDSN != "" {
		open = func() (*server.SQLBackend, error) { return OpenPostgres(pgDSN) }
	}
	b, err := open()
	if err != nil {
		return nil, nil, err
	}
	centre, err := central.New(filepath.Join(data, "central"), central.Config{})
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	srv := &server.Server{
		Backend: b, CA: keys.CA, PacketKey: pk, ReceiptKey: keys.Receipt,
		SpoolDir: filepath.Join(data, "spool"), PacketDir: filepath.Join(data, "packets"), FeedDir: filepath.Join(data, "feeds"),
		Decide: centre.Decide, Log: log,
	}
	srv.StartQueue(4096)
	return srv, keys, nil
}

// Serve runs the server on ln until ctx ends.
func Serve(ctx context.Context, data, pgDSN string, ln net.Listener, log *slog.Logger) error {
	srv, keys, err := New(data, pgDSN, log)
	if err != nil {
		return err
	}
	defer srv.Backend.Close()
	pool := x509.NewCertPool()
	pool.AddCert(keys.CA.Cert)
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{keys.TLS},
			ClientAuth:   tls.VerifyClientCertIfGiven,
			ClientCAs:    pool,
			MinVersion:   tls.VersionTLS13,
		},
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	dctx, stopDecider := context.WithCancel(ctx)
	decided := make(chan struct{})
	defer func() { stopDecider(); <-decided }()
	go func() {
		defer close(decided)
		_ = srv.RunDecider(dctx, 30*time.Second)
	}()
	if err := hs.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
