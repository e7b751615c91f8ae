// Package pusattest starts the reference national server in-process on
// loopback for tests: a fresh data folder, one invited station, stopped
// when the test ends.
package pusattest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/rekam-ktp/rekam/sync/pusat"
)

// Server is a running test server.
type Server struct {
	// URL is the server's https:// address on loopback.
	URL string
	// Dir is its data folder.
	Dir string
	// Token registers the invited station.
	Token string
}

// Start runs a server that has invited station (of kecamatan) and returns
// it; the server stops when the test ends.
func Start(t testing.TB, station, kecamatan string) *Server {
	t.Helper()
	dir := t.TempDir()
	if _, err := pusat.Init(dir, []string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	token, err := pusat.AddStation(dir, station, kecamatan)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		pusat.Serve(ctx, dir, "", ln, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &Server{URL: "https://" + ln.Addr().String(), Dir: dir, Token: token}
}
