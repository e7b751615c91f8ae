// Command rekam-sim runs simulated serial devices on ptys for technicians
// and end-to-end tests, and prints one JSON line per device:
//
//	{"kind":"finger","driver":"r503","transport":"serial","path":"/tmp/rekam-sim-1/fp0","control":"http://127.0.0.1:PORT/dev/fp0"}
//
// A driver opens "path" exactly like /dev/ttyUSB0 (e.g. rekamctl devices
// capture --port PATH --driver r503). "control" is the fault API of that
// device (see package simulators/control):
//
//	curl -X POST $control/fault/wet      # next finger image is wet
//	curl -X POST $control/unplug         # device disappears
//	curl -X POST $control/replug
//	curl -X POST $control/finger/off
//	curl $control/status
//
// It runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rekam-ktp/rekam/simulators/fault"
	"github.com/rekam-ktp/rekam/simulators/simset"
)

// Line is what rekam-sim prints for each device.
type Line struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Driver    string `json:"driver"`
	Transport string `json:"transport"`
	Path      string `json:"path"`
	Baud      int    `json:"baud"`
	Control   string `json:"control"`
}

// faultFlags collects repeated --fault NAME=KIND[:N] flags.
type faultFlags []string

func (f *faultFlags) String() string     { return strings.Join(*f, ",") }
func (f *faultFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rekam-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "folder for the stable device links (default: a new temporary folder)")
	only := fs.String("devices", "", "comma-separated device names to keep (default: all of face0, fp0, fp1, iris0, pad0)")
	pace := fs.Bool("pace", true, "emit bytes no faster than each device's baud rate (57600 for fp0: a full image takes ~3.5 s)")
	identity := fs.Uint64("identity", 1, "synthetic identity whose biometrics the devices present")
	addr := fs.String("control", "127.0.0.1:0", "address of the loopback fault-control HTTP API")
	var faults faultFlags
	fs.Var(&faults, "fault", "arm a fault at start: NAME=KIND[:N], e.g. fp0=wet or fp1=timeout:2 (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	set, err := simset.Start(simset.Options{Dir: *dir, Pace: *pace, Identity: *identity, Serial: true, Control: *addr})
	if err != nil {
		fmt.Fprintln(stderr, "rekam-sim:", err)
		return 2
	}
	defer set.Close()
	keep := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			if _, ok := set.Get(n); !ok {
				fmt.Fprintf(stderr, "rekam-sim: no device %q\n", n)
				return 2
			}
			keep[n] = true
		}
	}
	for _, f := range faults {
		name, spec, ok := strings.Cut(f, "=")
		sim, found := set.Get(name)
		if !ok || !found {
			fmt.Fprintf(stderr, "rekam-sim: bad --fault %q (want NAME=KIND[:N] with a known device)\n", f)
			return 2
		}
		kindStr, nStr, _ := strings.Cut(spec, ":")
		k, err := fault.Parse(kindStr)
		if err != nil {
			fmt.Fprintln(stderr, "rekam-sim:", err)
			return 2
		}
		n := 1
		if nStr != "" {
			if _, err := fmt.Sscanf(nStr, "%d", &n); err != nil {
				fmt.Fprintf(stderr, "rekam-sim: bad count in --fault %q\n", f)
				return 2
			}
		}
		sim.Faults().Inject(k, n)
	}
	enc := json.NewEncoder(stdout)
	for _, sim := range set.Sims {
		if len(keep) > 0 && !keep[sim.Name] {
			sim.Unplug()
			continue
		}
		if err := enc.Encode(Line{Name: sim.Name, Kind: string(sim.Kind), Driver: sim.Driver, Transport: sim.Transport,
			Path: sim.Path(), Baud: sim.Baud, Control: set.Control.URL(sim.Name)}); err != nil {
			return 2
		}
	}
	<-ctx.Done()
	return 0
}
