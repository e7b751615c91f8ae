package main

import (
	stdctx "context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/faultproxy"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/pusat"
)

func init() {
	register(&command{path: "bench sync", summary: "sync N sealed packets to a loopback rekam-pusat through a fault-injecting proxy", run: runBenchSync})
}

// realisticFiles are the sizes of one enrollment's payload: ten WSQ
// fingers, two iris records, a face, a signature, templates and the
// ANSI/NIST wrapper. Random bytes stand for compressed images, which do not
// compress further either.
var realisticFiles = []struct {
	name string
	size int
}{
	{"finger-01.wsq", 26000}, {"finger-02.wsq", 24000}, {"finger-03.wsq", 23000}, {"finger-04.wsq", 22000}, {"finger-05.wsq", 18000},
	{"finger-06.wsq", 26000}, {"finger-07.wsq", 24000}, {"finger-08.wsq", 23000}, {"finger-09.wsq", 22000}, {"finger-10.wsq", 18000},
	{"iris-right.iso", 70000}, {"iris-left.iso", 70000}, {"face.iso", 45000}, {"signature.iso", 6000},
	{"templates.bin", 12000}, {"audit.json", 3000},
}

type benchSyncResult struct {
	Packets             int     `json:"packets"`
	Delivered           int     `json:"delivered"`
	DuplicatesAtCentral int     `json:"duplicates_at_central"`
	Lost                int     `json:"lost"`
	Seconds             float64 `json:"seconds"`
	PacketsPerS         float64 `json:"packets_per_s"`
	RetransmitRatio     float64 `json:"retransmit_ratio"`
}

func runBenchSync(cx *context, args []string) int {
	fs, c := newFlags(cx, "bench sync")
	n := fs.Int("packets", 100, "packets to seal and sync")
	rate := fs.Float64("fault-rate", 0, "probability that a connection through the proxy fails")
	workers := fs.Int("workers", 4, "parallel uploads")
	seed := fs.Uint64("seed", 1, "fault proxy seed")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *n <= 0 || *rate < 0 || *rate >= 1 || *workers <= 0 {
		return failf(cx, exitUsage, "bench sync: --packets > 0, 0 ≤ --fault-rate < 1, --workers > 0")
	}
	res, err := benchSync(*n, *rate, *workers, *seed, cx.stderr)
	if err != nil {
		return failf(cx, exitUsage, "bench sync: %v", err)
	}
	if c.jsonOut {
		if err := emitJSON(cx, res); err != nil {
			return exitUsage
		}
	} else {
		fmt.Fprintf(cx.stdout, "packets %d  delivered %d  duplicates at central %d  lost %d\n", res.Packets, res.Delivered, res.DuplicatesAtCentral, res.Lost)
		fmt.Fprintf(cx.stdout, "%.2f s  %.1f packets/s  retransmit ratio %.3f (bytes sent / bytes needed)\n", res.Seconds, res.PacketsPerS, res.RetransmitRatio)
	}
	if res.Lost > 0 || res.DuplicatesAtCentral > 0 {
		return exitNegative
	}
	return exitOK
}

func benchSync(n int, rate float64, workers int, seed uint64, progress io.Writer) (benchSyncResult, error) {
	res := benchSyncResult{Packets: n}
	dir, err := os.MkdirTemp("", "rekam-bench-sync-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	srvDir := filepath.Join(dir, "pusat")
	if _, err := pusat.Init(srvDir, []string{"127.0.0.1"}); err != nil {
		return res, err
	}
	token, err := pusat.AddStation(srvDir, "ST-BENCH", "32.11.01")
	if err != nil {
		return res, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	ctx, cancel := stdctx.WithCancel(stdctx.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() {
		served <- pusat.Serve(ctx, srvDir, "", ln, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	_, sk, _ := ed25519.GenerateKey(rand.Reader)
	reg, err := client.Register(ctx, "https://"+ln.Addr().String(), token, "ST-BENCH", sk.Public().(ed25519.PublicKey))
	if err != nil {
		return res, err
	}
	pk, err := packet.KEM().NewPublicKey(reg.PacketKey)
	if err != nil {
		return res, err
	}
	// Seal every packet before the clock starts.
	type item struct{ name, path, enrollment string }
	items := make([]item, n)
	var needed int64
	outbox := filepath.Join(dir, "outbox")
	if err := os.MkdirAll(outbox, 0o700); err != nil {
		return res, err
	}
	for i := range items {
		files := make([]packet.File, len(realisticFiles))
		for j, f := range realisticFiles {
			b := make([]byte, f.size)
			rand.Read(b)
			files[j] = packet.File{Name: f.name, Type: "bench", Data: b}
		}
		enr := fmt.Sprintf("BENCH-%06d", i)
		now := time.Now().UTC()
		sealed, name, err := packet.Seal(packet.Manifest{Schema: packet.SchemaVersion, PacketID: "P-" + enr, EnrollmentID: enr,
			StationID: "ST-BENCH", Kecamatan: "32.11.01", CreatedAt: now, SealedAt: now}, files, sk, pk)
		if err != nil {
			return res, err
		}
		path, err := packet.WriteFile(outbox, sealed)
		if err != nil {
			return res, err
		}
		items[i] = item{name, path, enr}
		needed += int64(len(sealed))
	}
	proxy := &faultproxy.Proxy{Target: ln.Addr().String(), FaultRate: rate, MaxOffset: needed / int64(n) * 3 / 2, StallFor: 3 * time.Second}
	paddr, err := proxy.Start(seed)
	if err != nil {
		return res, err
	}
	defer proxy.Close()

	var mu gosync.Mutex
	var sent int64
	var wg gosync.WaitGroup
	next := make(chan item)
	start := time.Now()
	for range workers {
		c, err := reg.Client()
		if err != nil {
			return res, err
		}
		c.BaseURL, c.StallTimeout, c.Backoff, c.MaxAttempts = "https://"+paddr, time.Second, 20*time.Millisecond, 200
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				_, r, err := c.Upload(ctx, it.name, it.path, it.enrollment)
				mu.Lock()
				if err == nil && r.Packet == it.name {
					res.Delivered++
				} else {
					fmt.Fprintf(progress, "bench sync: %s: %v\n", it.enrollment, err)
				}
				mu.Unlock()
			}
			mu.Lock()
			sent += c.BytesSent()
			mu.Unlock()
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	res.PacketsPerS = float64(res.Delivered) / res.Seconds
	res.RetransmitRatio = float64(sent) / float64(needed)

	b, err := pusat.OpenBackend(srvDir)
	if err != nil {
		return res, err
	}
	defer b.Close()
	stats, err := b.Stats(stdctx.Background())
	if err != nil {
		return res, err
	}
	var received int
	for _, s := range stats {
		received += int(s.Received)
	}
	res.DuplicatesAtCentral = received - res.Delivered
	if res.DuplicatesAtCentral < 0 {
		res.DuplicatesAtCentral = 0
	}
	res.Lost = n - min(received, res.Delivered)
	cancel()
	<-served
	return res, nil
}
