package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/packet"
)

// buildServer compiles rekam-pusat into a temp folder.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rekam-pusat")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs `rekam-pusat serve` and waits until it listens.
func startServer(t *testing.T, bin, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", addr)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on") {
		// The previous process may still hold the port for a moment.
		cmd.Process.Kill()
		cmd.Wait()
		time.Sleep(50 * time.Millisecond)
		return startServer(t, bin, data, addr)
	}
	return cmd
}

// TestServerKilledMidReceive kills the national server with SIGKILL at
// random moments while a station uploads, many times: every packet ends
// received exactly once with a valid receipt, and resumption never resends
// more than the bytes in flight at each kill.
func TestServerKilledMidReceive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process")
	}
	bin := buildServer(t)
	data := t.TempDir()
	if out, err := exec.Command(bin, "init", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("init: %v %s", err, out)
	}
	tok, err := exec.Command(bin, "station", "add", "--data", data, "--id", "ST-K", "--kecamatan", "32.11.01").Output()
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	srv := startServer(t, bin, data, addr)
	_, sk, _ := ed25519.GenerateKey(nil)
	reg, err := client.Register(context.Background(), "https://"+addr, strings.TrimSpace(string(tok)), "ST-K", sk.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	c, err := reg.Client()
	if err != nil {
		t.Fatal(err)
	}
	c.StallTimeout, c.Backoff, c.MaxAttempts = time.Second, 20*time.Millisecond, 1000
	pk, err := packet.KEM().NewPublicKey(reg.PacketKey)
	if err != nil {
		t.Fatal(err)
	}

	const minPackets, minKills, size = 30, 30, 1_500_000
	type item struct{ name, path, enrollment string }
	var items []item
	var needed int64
	dir := t.TempDir()
	seal := func(i int) item {
		enr := fmt.Sprintf("E-%04d", i)
		payload := make([]byte, size)
		crand.Read(payload)
		sealed, name, err := packet.Seal(packet.Manifest{Schema: 1, PacketID: "p" + enr, EnrollmentID: enr, StationID: "ST-K"},
			[]packet.File{{Name: "t.an2", Type: "ansi-nist-itl", Data: payload}}, sk, pk)
		if err != nil {
			t.Fatal(err)
		}
		path, err := packet.WriteFile(dir, sealed)
		if err != nil {
			t.Fatal(err)
		}
		needed += int64(len(sealed))
		return item{name, path, enr}
	}

	var kills atomic.Int64
	done := make(chan struct{})
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		rng := rand.New(rand.NewPCG(1, 2))
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Duration(10+rng.IntN(60)) * time.Millisecond):
			}
			srv.Process.Kill()
			srv.Wait()
			kills.Add(1)
			srv = startServer(t, bin, data, addr)
		}
	}()
	for i := 0; i < minPackets || kills.Load() < minKills; i++ {
		it := seal(i)
		items = append(items, it)
		if _, r, err := c.Upload(context.Background(), it.name, it.path, it.enrollment); err != nil || r.Packet != it.name {
			close(done)
			t.Fatalf("%s: %v", it.enrollment, err)
		}
	}
	close(done)
	<-killerDone
	srv.Process.Kill()
	srv.Wait()
	n := len(items)

	db, err := sql.Open("sqlite3", filepath.Join(data, "pusat.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var received, distinct int
	db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT enrollment_id) FROM packets WHERE state = 'received'`).Scan(&received, &distinct)
	var integrity string
	db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity)
	ratio := float64(c.BytesSent()) / float64(needed)
	t.Logf("%d kills; %d packets received (%d enrollments); retransmit ratio %.3f", kills.Load(), received, distinct, ratio)
	if received != n || distinct != n || integrity != "ok" {
		t.Fatalf("received %d (%d distinct) of %d, integrity %q", received, distinct, n, integrity)
	}
	// Each kill can lose at most what was in flight (socket buffers), never
	// what the server had committed: far less than a packet per kill.
	if lost := c.BytesSent() - needed; lost > kills.Load()*size/2 {
		t.Fatalf("resent %d bytes over %d kills: resumption is not from the committed offset", lost, kills.Load())
	}
	for _, it := range items {
		if _, err := os.Stat(filepath.Join(data, "packets", it.name+".pkt")); err != nil {
			t.Errorf("%s not stored: %v", it.enrollment, err)
		}
	}
}
