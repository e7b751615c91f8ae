// Command rekam-pusat is the reference national server: it registers
// stations, receives their sealed enrollment packets over mutual TLS with
// resumable uploads, verifies them, returns signed receipts, publishes the
// centre's decisions and serves a read-only monitoring page.
//
//	rekam-pusat init    --data DIR [--hosts 127.0.0.1,localhost]
//	rekam-pusat station add    --data DIR --id ST --kecamatan 32.11.01
//	rekam-pusat station revoke --data DIR --id ST
//	rekam-pusat serve   --data DIR [--listen 127.0.0.1:8443] [--postgres DSN]
//	rekam-pusat import  --data DIR DRIVE   (a station's `rekamctl sync export`)
//	rekam-pusat publish --data DIR --kind KIND [--ttl 720h] FILE.json
//	                    (kinds: regions, siak, operators, gallery/<kecamatan>)
//	rekam-pusat siak import --data DIR FILE.jsonl  (one resident JSON object with "nik" per line)
//
// Exit status: 0 success, 1 a refused operation, 2 usage or I/O errors.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rekam-ktp/rekam/sync/pusat"
	"github.com/rekam-ktp/rekam/sync/server"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: rekam-pusat init|station add|station revoke|serve --data DIR ...")
		return 2
	}
	switch {
	case args[0] == "init":
		return cmdInit(args[1:])
	case args[0] == "serve":
		return cmdServe(args[1:])
	case args[0] == "import":
		return cmdImport(args[1:])
	case args[0] == "publish":
		return cmdPublish(args[1:])
	case len(args) > 1 && args[0] == "siak" && args[1] == "import":
		return cmdSIAKImport(args[2:])
	case len(args) > 1 && args[0] == "station" && args[1] == "add":
		return cmdStationAdd(args[2:])
	case len(args) > 1 && args[0] == "station" && args[1] == "revoke":
		return cmdStationRevoke(args[2:])
	}
	fmt.Fprintf(os.Stderr, "rekam-pusat: unknown command %q\n", strings.Join(args, " "))
	return 2
}

func fail(code int, format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "rekam-pusat: "+format+"\n", a...)
	return code
}

func dataFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("REKAM_PUSAT_HOME")
	if def == "" {
		def = "rekam-pusat-data"
	}
	return fs.String("data", def, "server data folder (default $REKAM_PUSAT_HOME)")
}

func cmdInit(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat init", flag.ContinueOnError)
	data := dataFlag(fs)
	hosts := fs.String("hosts", "127.0.0.1,localhost", "host names and addresses in the TLS certificate")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fp, err := pusat.Init(*data, strings.Split(*hosts, ","))
	if errors.Is(err, pusat.ErrExists) {
		return fail(1, "%v", err)
	}
	if err != nil {
		return fail(2, "%v", err)
	}
	fmt.Printf("server initialised in %s (CA %s)\n", *data, fp)
	return 0
}

func cmdStationAdd(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat station add", flag.ContinueOnError)
	data := dataFlag(fs)
	id := fs.String("id", "", "station id")
	kec := fs.String("kecamatan", "", "kecamatan code of the station (dotted, e.g. 32.11.01)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *id == "" || *kec == "" {
		return fail(2, "station add needs --id and --kecamatan")
	}
	token, err := pusat.AddStation(*data, *id, *kec)
	if err != nil {
		return fail(2, "%v", err)
	}
	fmt.Println(token)
	return 0
}

func cmdStationRevoke(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat station revoke", flag.ContinueOnError)
	data := dataFlag(fs)
	id := fs.String("id", "", "station id")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	b, err := pusat.OpenBackend(*data)
	if err != nil {
		return fail(2, "%v", err)
	}
	defer b.Close()
	if err := b.RevokeStation(context.Background(), *id); err != nil {
		return fail(1, "revoke %s: %v", *id, err)
	}
	fmt.Printf("station %s revoked\n", *id)
	return 0
}

func cmdServe(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat serve", flag.ContinueOnError)
	data := dataFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8443", "address to listen on")
	pg := fs.String("postgres", os.Getenv("REKAM_PUSAT_POSTGRES"), "PostgreSQL connection string (default: the embedded SQLite store)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail(2, "listen %s: %v", *listen, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("listening on https://%s\n", ln.Addr())
	if err := pusat.Serve(ctx, *data, *pg, ln, slog.New(slog.NewTextHandler(os.Stderr, nil))); err != nil {
		return fail(2, "%v", err)
	}
	return 0
}

func cmdImport(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat import", flag.ContinueOnError)
	data := dataFlag(fs)
	pg := fs.String("postgres", os.Getenv("REKAM_PUSAT_POSTGRES"), "PostgreSQL connection string")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return fail(2, "usage: rekam-pusat import --data DIR DRIVE")
	}
	srv, _, err := pusat.New(*data, *pg, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return fail(2, "%v", err)
	}
	defer srv.Backend.Close()
	res, err := srv.ImportBundle(context.Background(), fs.Arg(0))
	if err != nil {
		return fail(1, "import %s: %v", fs.Arg(0), err)
	}
	if err := srv.DecidePending(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "rekam-pusat: import: decisions deferred to the server: %v\n", err)
	}
	code := 0
	for _, r := range res {
		if r.Err != nil {
			fmt.Printf("%s  %s  refused: %v\n", r.Packet[:12], r.EnrollmentID, r.Err)
			code = 1
			continue
		}
		fmt.Printf("%s  %s  received\n", r.Packet[:12], r.EnrollmentID)
	}
	return code
}

func cmdPublish(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat publish", flag.ContinueOnError)
	data := dataFlag(fs)
	kind := fs.String("kind", "", "document kind: regions, siak, operators or gallery/<kecamatan>")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long stations may trust the document")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *kind == "" {
		return fail(2, "usage: rekam-pusat publish --data DIR --kind KIND [--ttl 720h] FILE.json")
	}
	payload, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fail(2, "%v", err)
	}
	keys, err := pusat.LoadKeys(*data)
	if err != nil {
		return fail(2, "%v", err)
	}
	d, err := server.Publish(filepath.Join(*data, "feeds"), *kind, payload, *ttl, keys.Receipt, time.Now())
	if err != nil {
		return fail(1, "%v", err)
	}
	fmt.Printf("published %s version %d, expires %s\n", *kind, d.Header.Version, d.Header.ExpiresAt.Format(time.RFC3339))
	return 0
}

func cmdSIAKImport(args []string) int {
	fs := flag.NewFlagSet("rekam-pusat siak import", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return fail(2, "usage: rekam-pusat siak import --data DIR FILE.jsonl")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fail(2, "%v", err)
	}
	defer f.Close()
	var rows []server.ResidentRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var r struct {
			NIK string `json:"nik"`
		}
		if err := json.Unmarshal(b, &r); err != nil || len(r.NIK) != 16 {
			return fail(1, "%s line %d: not a resident object with a 16-digit \"nik\"", fs.Arg(0), line)
		}
		rows = append(rows, server.ResidentRow{NIK: r.NIK, Biodata: bytes.Clone(b), Modified: time.Now()})
	}
	if err := sc.Err(); err != nil {
		return fail(2, "%s: %v", fs.Arg(0), err)
	}
	b, err := pusat.OpenBackend(*data)
	if err != nil {
		return fail(2, "%v", err)
	}
	defer b.Close()
	if err := b.PutResidents(context.Background(), rows); err != nil {
		return fail(2, "%v", err)
	}
	fmt.Printf("%d residents imported\n", len(rows))
	return 0
}
