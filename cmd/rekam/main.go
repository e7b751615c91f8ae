// Command rekam is the KTP-el recording station's window: operators enroll
// residents, supervisors approve, admins manage accounts.
//
//	rekam [--data DIR] [--config DIR] [--sim] [--lang id|en]
//
// On a data folder without a station it opens the first-run setup.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/simset"
	"github.com/rekam-ktp/rekam/ui"
	"github.com/rekam-ktp/rekam/ui/devport"
	"github.com/rekam-ktp/rekam/ui/port"
)

func main() {
	started := time.Now()
	data := flag.String("data", "", "station data folder (default $REKAM_HOME, else the XDG data folder)")
	cfgDir := flag.String("config", "", "station config folder with the keys (default: see enroll/config.Dir)")
	sim := flag.Bool("sim", false, "attach the simulated device set")
	language := flag.String("lang", "", "interface language: id or en (default $LANGUAGE, else Indonesian)")
	flag.Parse()
	switch *language {
	case "":
	case "id", "en":
		os.Setenv("LANGUAGE", *language)
	default:
		fmt.Fprintf(os.Stderr, "rekam: --lang %q: want id or en\n", *language)
		os.Exit(2)
	}

	if !ui.DisplayAvailable() {
		fmt.Fprintln(os.Stderr, "rekam: no display (DISPLAY and WAYLAND_DISPLAY are unset).")
		fmt.Fprintln(os.Stderr, "Run it under a virtual display:  xvfb-run -a -s '-screen 0 1280x1024x24' rekam --sim")
		os.Exit(2)
	}
	dataDir, explicit, err := resolveData(*data)
	if err != nil {
		fail(err)
	}
	confDir, err := config.Dir(*cfgDir, os.Getenv, dataDir, explicit)
	if err != nil {
		fail(err)
	}
	ui.DefaultToIndonesian()
	if err := ui.LoadTranslations(); err != nil {
		fail(err)
	}
	var devs port.Devices
	var bench port.Bench
	if *sim {
		// The whole simulated set: serial devices on ptys driven through
		// go.bug.st/serial and USB devices on the in-process fake bus, each
		// through its real driver, seeing a synthetic person.
		set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: uint64(time.Now().UnixNano()), Source: biosrc.Synth{}})
		if err != nil {
			fail(fmt.Errorf("simulated devices: %w", err))
		}
		defer set.Close()
		var closeDevs func()
		devs, bench, closeDevs = devport.FromSimSet(context.Background(), set)
		defer closeDevs()
	} else {
		// Real hardware: the devices config.json names, and known USB
		// models found on the bus. Before the first-run setup there is no
		// config yet: USB devices only.
		var named []config.DeviceConfig
		if c, err := config.Load(confDir); err == nil {
			named = c.Devices
		}
		var host transport.USBHost
		if transport.HasLibUSB {
			h := transport.NewLibUSB()
			defer h.Close()
			host = h
		}
		entries, errs := hardwareEntries(context.Background(), named, host)
		for _, err := range errs {
			fmt.Fprintln(os.Stderr, "rekam:", err)
		}
		var closeDevs func()
		devs, bench, closeDevs = devport.FromEntries(context.Background(), entries, nil)
		defer closeDevs()
	}
	a := app.NewWithID("id.go.rekam.station")
	w := a.NewWindow(lang.L("app.title"))
	w.Resize(fyne.NewSize(1200, 800))
	opt := ui.Options{Launcher: port.Launcher{DataDir: dataDir, ConfigDir: confDir}, Devices: devs, Bench: bench}
	if os.Getenv("REKAM_STARTUP_LOG") != "" {
		// The launch-time script and the end-to-end test (e2e/) read these
		// lines; nothing personal in them.
		opt.OnScreen = func(name string) {
			fmt.Fprintf(os.Stderr, "rekam: screen %s at %d ms\n", name, time.Since(started).Milliseconds())
		}
		opt.OnEvent = func(name string) {
			fmt.Fprintf(os.Stderr, "rekam: event %s at %d ms\n", name, time.Since(started).Milliseconds())
		}
	}
	station := ui.New(w, opt)
	w.SetOnClosed(station.Close)
	station.Start()
	w.ShowAndRun()
}

// resolveData picks the data folder: --data, else $REKAM_HOME, else the XDG
// data folder. explicit is true for the first two (the config folder is then
// its sibling).
func resolveData(flagValue string) (dir string, explicit bool, err error) {
	switch {
	case flagValue != "":
		dir, err = filepath.Abs(flagValue)
		return dir, true, err
	case os.Getenv("REKAM_HOME") != "":
		dir, err = filepath.Abs(os.Getenv("REKAM_HOME"))
		return dir, true, err
	case os.Getenv("XDG_DATA_HOME") != "":
		return filepath.Join(os.Getenv("XDG_DATA_HOME"), "rekam"), false, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", false, fmt.Errorf("no --data, REKAM_HOME or home folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "rekam"), false, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rekam:", err)
	os.Exit(2)
}
