package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/store"
)

func init() {
	register(&command{path: "init", summary: "set up a new station: data folder, keys, config, first admin", run: runInit})
}

func runInit(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "init", false)
	stationID := fs.String("station", "", "station id, e.g. 3211-01 (required)")
	kec := fs.String("kecamatan", "", "dotted code of the kecamatan the station serves, e.g. 32.11.01 (required)")
	admin := fs.String("admin", "", "name of the first admin account (required)")
	pwFile := fs.String("password-file", "", "file whose first line is the admin's password (else $REKAM_ADMIN_PASSWORD, else stdin line 1)")
	recFile := fs.String("recovery-file", "", "file whose first line is the recovery passphrase (else $REKAM_RECOVERY_PASSPHRASE, else the next stdin line)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: rekamctl init --station ID --kecamatan CODE --admin NAME [flags]

Creates the station database in the data folder and, apart from it, the
config folder with the key file (0600), the recovery copy of the keys
(wrapped by the recovery passphrase: keep the passphrase offline; backups
can only be restored with it) and config.json (account policy). Refuses to
touch an existing station.`)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage
	}
	if *stationID == "" || *kec == "" || *admin == "" || len(pos) != 0 {
		fs.Usage()
		return exitUsage
	}
	st := store.Station{ID: *stationID, Kecamatan: *kec}
	if err := st.Check(); err != nil {
		return failf(cx, exitUsage, "init: %v", err)
	}
	if err := store.CheckOperatorName(*admin); err != nil {
		return failf(cx, exitUsage, "init: %v", err)
	}
	data, cfgDir, err := o.dirs(cx)
	if err != nil {
		return failf(cx, exitUsage, "init: %v", err)
	}
	db := filepath.Join(data, store.FileName)
	for _, p := range []string{db, filepath.Join(cfgDir, keys.KeyFile)} {
		if _, err := os.Stat(p); err == nil {
			return failf(cx, exitUsage, "init: %s already exists: this is an existing station (use `rekamctl restore` to replace one)", p)
		}
	}
	stdin := bufio.NewReader(cx.stdin)
	pw, err := readSecret(cx, *pwFile, "REKAM_ADMIN_PASSWORD", stdin)
	if err != nil {
		return failf(cx, exitUsage, "init: admin password: %v", err)
	}
	pass, err := readSecret(cx, *recFile, "REKAM_RECOVERY_PASSPHRASE", stdin)
	if err != nil {
		return failf(cx, exitUsage, "init: recovery passphrase: %v", err)
	}
	if pass == pw {
		return failf(cx, exitUsage, "init: the recovery passphrase must differ from the admin password")
	}
	if err := initStation(data, cfgDir, db, st, *admin, pw, pass); err != nil {
		return failf(cx, exitUsage, "init: %v", err)
	}
	if o.jsonOut {
		emitJSON(cx, map[string]string{"station_id": st.ID, "kecamatan": st.Kecamatan, "data": data, "config": cfgDir, "admin": *admin})
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "station %s (kecamatan %s) initialised\n  data:   %s\n  config: %s (keys: keep this folder apart from backups of the data)\n  admin:  %s\n",
		st.ID, st.Kecamatan, data, cfgDir, *admin)
	return exitOK
}

// initStation creates the database, then the key and config files; on any
// failure it removes what it created, so init can simply be run again.
func initStation(data, cfgDir, db string, st store.Station, admin, pw, pass string) (err error) {
	k, err := keys.Generate(st.ID)
	if err != nil {
		return err
	}
	wrapped, err := keys.Wrap(k, pass, stationRecoveryParams)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(db + suffix)
			}
		}
	}()
	s, err := store.Open(stationCtx, db, k, store.Options{Create: true, HashParams: stationHashParams})
	if err != nil {
		return err
	}
	if err := s.Bootstrap(stationCtx, st, admin, pw); err != nil {
		s.Close()
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	if err := keys.Save(cfgDir, k, wrapped); err != nil {
		return err
	}
	if err := config.Save(cfgDir, config.New(st.ID, st.Kecamatan)); err != nil {
		return errors.Join(err, os.Remove(filepath.Join(cfgDir, keys.KeyFile)))
	}
	return nil
}
