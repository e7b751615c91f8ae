package main

import (
	"bufio"
	gocontext "context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// stationCtx is the context of station commands (they run to completion).
var stationCtx = gocontext.Background()

// The KDF costs for new password hashes and the recovery copy. Tests lower
// them (the parameters travel inside each hash, so verification is
// unaffected); the binary always uses the defaults.
var (
	stationHashParams     = operator.DefaultHashParams
	stationRecoveryParams = keys.RecoveryParams
)

// stationOpts are the flags of every command that opens the station:
// --data and --json from newFlags, plus --config and the acting operator.
type stationOpts struct {
	*common
	config       string
	as           string
	passwordFile string
}

// newStationFlags is newFlags plus --config; withAuth adds --as and
// --password-file for commands that act as an operator.
func newStationFlags(cx *context, path string, withAuth bool) (*flag.FlagSet, *stationOpts) {
	fs, c := newFlags(cx, path)
	o := &stationOpts{common: c}
	fs.StringVar(&o.config, "config", "", "station config folder with the key files (default $REKAM_CONFIG, else <data>-config when --data or\n$REKAM_HOME is set, else $XDG_CONFIG_HOME/rekam or ~/.config/rekam)")
	if withAuth {
		fs.StringVar(&o.as, "as", "", "acting operator account (password from $REKAM_PASSWORD or --password-file)")
		fs.StringVar(&o.passwordFile, "password-file", "", "file whose first line is the acting operator's password")
	}
	return fs, o
}

// dirs resolves the data and config folders.
func (o *stationOpts) dirs(cx *context) (data, cfg string, err error) {
	if data, err = o.dataDir(cx); err != nil {
		return "", "", err
	}
	explicit := o.data != "" || cx.getenv("REKAM_HOME") != ""
	cfg, err = config.Dir(o.config, cx.getenv, data, explicit)
	return data, cfg, err
}

// station is an opened station: its store, config and keys.
type station struct {
	s    *store.Store
	cfg  config.Config
	k    *keys.Keys
	data string
	dir  string // config folder
}

// open opens an existing station's store with its keys and policy.
func (o *stationOpts) open(cx *context) (*station, error) {
	data, cfgDir, err := o.dirs(cx)
	if err != nil {
		return nil, err
	}
	db := filepath.Join(data, store.FileName)
	if _, err := os.Stat(db); err != nil {
		return nil, fmt.Errorf("no station database at %s (run `rekamctl init`, or pass --data): %w", db, err)
	}
	k, err := keys.Load(cfgDir)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(cfgDir)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(stationCtx, db, k, store.Options{Policy: cfg.Policy(), HashParams: stationHashParams})
	if err != nil {
		return nil, err
	}
	return &station{s: s, cfg: cfg, k: k, data: data, dir: cfgDir}, nil
}

// login authenticates the acting operator named by --as.
func (o *stationOpts) login(cx *context, st *station, stdin *bufio.Reader) (*operator.Session, error) {
	if o.as == "" {
		return nil, errUsage("--as USER is required")
	}
	pw, err := readSecret(cx, o.passwordFile, "REKAM_PASSWORD", stdin)
	if err != nil {
		return nil, fmt.Errorf("password for %s: %w", o.as, err)
	}
	return st.s.Login(stationCtx, o.as, pw)
}

// readSecret returns the first line of file when given, else the
// environment variable env, else the next line of stdin (when stdin is not
// nil). Secrets never come from flags: they would show in the process list.
func readSecret(cx *context, file, env string, stdin *bufio.Reader) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	if v := cx.getenv(env); v != "" {
		return v, nil
	}
	if stdin == nil {
		return "", fmt.Errorf("none given (set $%s or use the file flag)", env)
	}
	line, err := stdin.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("none given (set $%s, use the file flag, or write it on stdin)", env)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return line, nil
}

// usageError marks a usage mistake (exit 2).
type usageError string

// Error returns the usage message.
func (e usageError) Error() string { return string(e) }

func errUsage(msg string) error { return usageError(msg) }

// stationExit maps an error to the exit code: refusals (wrong password,
// locked account, role not allowed, idle session, not found, a broken
// check) are negative results (1); usage and I/O problems are 2.
func stationExit(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, store.ErrLogin), errors.Is(err, store.ErrLocked), errors.Is(err, operator.ErrForbidden),
		errors.Is(err, operator.ErrIdle), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrExists),
		errors.Is(err, store.ErrLastAdmin):
		return exitNegative
	}
	return exitUsage
}

// stationFail prints err and returns its exit code.
func stationFail(cx *context, err error) int {
	return failf(cx, stationExit(err), "%v", err)
}

// parseArgs parses flags that may come before, between or after the
// positional arguments ("operator add budi --role operator") and returns
// the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// session is an opened station with its acting operator, for one command.
type session struct {
	*station
	sess *operator.Session
	pos  []string
}

// begin parses a command's flags, checks it got nargs positional
// arguments, opens the station and logs in the --as operator (password from
// --password-file, $REKAM_PASSWORD, or the next line of stdin when stdin is
// not nil). When it fails it has printed why and returns the exit code;
// else the caller must Close the session.
func (o *stationOpts) begin(cx *context, fs *flag.FlagSet, args []string, nargs int, stdin *bufio.Reader) (*session, int) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, exitUsage
	}
	if len(pos) != nargs {
		fs.Usage()
		return nil, exitUsage
	}
	st, err := o.open(cx)
	if err != nil {
		return nil, stationFail(cx, err)
	}
	sess, err := o.login(cx, st, stdin)
	if err != nil {
		st.s.Close()
		return nil, stationFail(cx, err)
	}
	return &session{station: st, sess: sess, pos: pos}, exitOK
}

// Close closes the station's store.
func (s *session) Close() error { return s.s.Close() }

// usageLine sets a FlagSet's usage to one line plus the flag list.
func usageLine(fs *flag.FlagSet, line string) {
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), line)
		fs.PrintDefaults()
	}
}
