package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rekam-ktp/rekam/enroll/backup"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

func init() {
	register(&command{path: "backup", summary: "write an encrypted, integrity-checked backup of the station to FILE (admin)", run: runBackup})
	register(&command{path: "restore", summary: "check a backup FILE and restore the station from it (needs the recovery passphrase)", run: runRestore})
}

func runBackup(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "backup", true)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: rekamctl backup FILE --as ADMIN [flags]

Writes a consistent copy of the station database, encrypted (AES-256-GCM,
chunked and authenticated), to FILE atomically. The file carries the
station keys wrapped by the recovery passphrase, so it can be restored on a
new machine with `+"`rekamctl restore`"+` and the passphrase alone.`)
		fs.PrintDefaults()
	}
	ss, code := o.begin(cx, fs, args, 1, bufio.NewReader(cx.stdin))
	if ss == nil {
		return code
	}
	defer ss.Close()
	dst, err := filepath.Abs(ss.pos[0])
	if err != nil {
		return failf(cx, exitUsage, "backup: %v", err)
	}
	wrapped, err := keys.LoadWrapped(ss.dir)
	if err != nil {
		return stationFail(cx, err)
	}
	tmp, err := os.MkdirTemp(ss.data, ".backup-")
	if err != nil {
		return stationFail(cx, fmt.Errorf("backup: %w", err))
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "snapshot.db")
	if err := ss.s.Snapshot(stationCtx, ss.sess, snap); err != nil {
		return stationFail(cx, fmt.Errorf("backup: %w", err))
	}
	if err := backup.WriteFile(dst, snap, ss.k, wrapped, time.Now()); err != nil {
		return stationFail(cx, fmt.Errorf("backup: %w", err))
	}
	size, sum, err := fileSHA256(dst)
	if err != nil {
		return stationFail(cx, fmt.Errorf("backup: %w", err))
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"file": dst, "bytes": size, "sha256": sum, "station_id": ss.k.Station})
	} else {
		fmt.Fprintf(cx.stdout, "backup of station %s written to %s (%d bytes, sha256 %s)\n", ss.k.Station, dst, size, sum)
	}
	return exitOK
}

func fileSHA256(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

func runRestore(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "restore", false)
	recFile := fs.String("recovery-file", "", "file whose first line is the recovery passphrase (else $REKAM_RECOVERY_PASSPHRASE, else stdin)")
	force := fs.Bool("force", false, "replace an existing station (its database and key file are kept beside, renamed *.replaced-TIME)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: rekamctl restore FILE [flags]

Checks the backup FILE completely before touching anything: the header, every
chunk's authentication, the size and SHA-256, then PRAGMA integrity_check,
the keys and the audit chain of the database inside. Only then does it put
the database in the data folder and the keys in the config folder. A corrupt
or altered backup is refused and the existing station is left untouched.
Stop the station app before restoring.`)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	data, cfgDir, err := o.dirs(cx)
	if err != nil {
		return failf(cx, exitUsage, "restore: %v", err)
	}
	db := filepath.Join(data, store.FileName)
	_, statErr := os.Stat(db)
	exists := statErr == nil
	if exists && !*force {
		return failf(cx, exitUsage, "restore: a station already exists at %s; pass --force to replace it", db)
	}
	pass, err := readSecret(cx, *recFile, "REKAM_RECOVERY_PASSPHRASE", bufio.NewReader(cx.stdin))
	if err != nil {
		return failf(cx, exitUsage, "restore: recovery passphrase: %v", err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return failf(cx, exitUsage, "restore: %v", err)
	}
	tmp, err := os.MkdirTemp(data, ".restore-")
	if err != nil {
		return failf(cx, exitUsage, "restore: %v", err)
	}
	defer os.RemoveAll(tmp)
	staged := filepath.Join(tmp, store.FileName)
	k, hdr, err := backup.RestoreFile(pos[0], pass, staged)
	if err != nil {
		code := exitUsage
		if errors.Is(err, backup.ErrTampered) || errors.Is(err, backup.ErrFormat) || errors.Is(err, keys.ErrPassphrase) {
			code = exitNegative
		}
		return failf(cx, code, "%v; nothing was changed", err)
	}
	fc, err := store.CheckFile(stationCtx, staged, k)
	if err != nil {
		return failf(cx, exitNegative, "restore: the database in %s fails its check: %v; nothing was changed", pos[0], err)
	}
	if err := putRestored(data, cfgDir, db, staged, k, hdr, fc, exists); err != nil {
		return failf(cx, exitUsage, "restore: %v", err)
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"station_id": fc.Station.ID, "backup_created_at": hdr.CreatedAt, "residents": fc.Residents,
			"enrollments": fc.Enrollments, "audit_entries": fc.AuditEntries, "data": data, "config": cfgDir})
	} else {
		fmt.Fprintf(cx.stdout, "restored station %s from backup of %s: %d residents, %d enrollments, audit chain of %d entries verified\n  data:   %s\n  config: %s\n",
			fc.Station.ID, hdr.CreatedAt.Format(time.RFC3339), fc.Residents, fc.Enrollments, fc.AuditEntries, data, cfgDir)
	}
	return exitOK
}

// putRestored moves a checked database into place and writes the keys and
// config. Any existing database (with its WAL) and key file are renamed
// aside first, never deleted.
func putRestored(data, cfgDir, db, staged string, k *keys.Keys, hdr *backup.Header, fc store.FileCheck, exists bool) error {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	if exists {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(db + suffix); err == nil {
				if err := os.Rename(db+suffix, db+".replaced-"+stamp+suffix); err != nil {
					return err
				}
			}
		}
	}
	kf := filepath.Join(cfgDir, keys.KeyFile)
	if old, err := keys.Load(cfgDir); err == nil && !old.Equal(k) {
		if err := os.Rename(kf, kf+".replaced-"+stamp); err != nil {
			return err
		}
	}
	if err := keys.Replace(cfgDir, k, hdr.WrappedKeys); err != nil {
		return err
	}
	if _, err := config.Load(cfgDir); err != nil {
		if err := config.Save(cfgDir, config.New(fc.Station.ID, fc.Station.Kecamatan)); err != nil {
			return err
		}
	}
	if err := os.Rename(staged, db); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(data); err != nil {
		return err
	}
	s, err := store.Open(stationCtx, db, k, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.RecordRestore(stationCtx, hdr.CreatedAt)
}
