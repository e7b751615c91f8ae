package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// common holds the flags every subcommand takes.
type common struct {
	data    string
	jsonOut bool
}

// newFlags returns a FlagSet for the command path with --data and --json
// already defined; parse errors are reported on cx.stderr.
func newFlags(cx *context, path string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("rekamctl "+path, flag.ContinueOnError)
	fs.SetOutput(cx.stderr)
	c := &common{}
	fs.StringVar(&c.data, "data", "", "station data folder (default $REKAM_HOME, else the XDG data folder)")
	fs.BoolVar(&c.jsonOut, "json", false, "print machine output: one JSON object per line")
	return fs, c
}

// dataDir resolves the station data folder: --data, else $REKAM_HOME, else
// $XDG_DATA_HOME/rekam, else ~/.local/share/rekam.
func (c *common) dataDir(cx *context) (string, error) {
	if c.data != "" {
		return filepath.Abs(c.data)
	}
	if h := cx.getenv("REKAM_HOME"); h != "" {
		return filepath.Abs(h)
	}
	if x := cx.getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "rekam"), nil
	}
	home := cx.getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("no --data, REKAM_HOME or home folder: %w", err)
		}
	}
	return filepath.Join(home, ".local", "share", "rekam"), nil
}

// emitJSON writes v as one JSON line on cx.stdout.
func emitJSON(cx *context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	_, err = fmt.Fprintf(cx.stdout, "%s\n", b)
	return err
}

// failf prints a message on stderr and returns the given exit code.
func failf(cx *context, code int, format string, a ...any) int {
	fmt.Fprintf(cx.stderr, "rekamctl: "+format+"\n", a...)
	return code
}
