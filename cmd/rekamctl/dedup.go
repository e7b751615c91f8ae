package main

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/galleryfile"
	"github.com/rekam-ktp/rekam/sync/feed"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

func init() {
	register(&command{path: "dedup gallery import", summary: "verify and import the centre's signed kecamatan dedup gallery (templates only)", run: runDedupGalleryImport})
}

// dedupNow is the clock of gallery verification (tests move it).
var dedupNow = time.Now

func runDedupGalleryImport(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "dedup gallery import", true)
	keyFile := fs.String("server-key", "", "file with the national server's Ed25519 public key in hex (default: the key from the station's registration)")
	usageLine(fs, "usage: rekamctl dedup gallery import FILE --as SUPERVISOR [--server-key FILE]")
	ses, code := o.begin(cx, fs, args, 1, bufio.NewReader(cx.stdin))
	if ses == nil {
		return code
	}
	defer ses.Close()
	pub, err := dedupServerKey(*keyFile, ses.dir)
	if err != nil {
		return failf(cx, exitUsage, "dedup gallery import: %v", err)
	}
	b, err := dedupReadFile(ses.pos[0], feed.MaxDocument)
	if err != nil {
		return failf(cx, exitUsage, "dedup gallery import: %v", err)
	}
	doc, err := feed.Parse(b)
	if err != nil {
		return failf(cx, exitNegative, "dedup gallery import: %s: %v", ses.pos[0], err)
	}
	kind := feed.KindGallery + "/" + ses.cfg.Kecamatan
	if err := doc.Verify(pub, kind, dedupNow()); err != nil {
		return failf(cx, exitNegative, "dedup gallery import: %s: %v", ses.pos[0], err)
	}
	p, recs, err := galleryfile.Parse(doc.Payload)
	if err != nil {
		return failf(cx, exitNegative, "dedup gallery import: %s: %v", ses.pos[0], err)
	}
	if p.Kecamatan != ses.cfg.Kecamatan {
		return failf(cx, exitNegative, "dedup gallery import: the gallery is for kecamatan %s, this station is in %s", p.Kecamatan, ses.cfg.Kecamatan)
	}
	chk := &dedup.Checker{Store: ses.s}
	n, err := chk.ImportCentral(stationCtx, ses.sess, p, recs)
	if err != nil {
		return stationFail(cx, err)
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"kind": kind, "version": doc.Header.Version, "records": n})
	} else {
		fmt.Fprintf(cx.stdout, "imported %d gallery records (%s version %d)\n", n, kind, doc.Header.Version)
	}
	return exitOK
}

// dedupServerKey reads the server key from a hex file, else from the
// station's registration.
func dedupServerKey(file, configDir string) (ed25519.PublicKey, error) {
	if file == "" {
		reg, err := syncstation.LoadRegistration(configDir)
		if err != nil {
			return nil, fmt.Errorf("no --server-key and %w", err)
		}
		return ed25519.PublicKey(reg.ReceiptKey), nil
	}
	b, err := dedupReadFile(file, 1024)
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("server key %s: want %d bytes in hex", file, ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(k), nil
}

// dedupReadFile reads a file of at most max bytes.
func dedupReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return b, nil
}
