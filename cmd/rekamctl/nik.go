package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

func init() {
	register(&command{path: "nik parse", summary: "check NIKs: validity, sex, birth date, region of first registration", run: runNIKParse})
}

// nikRegions is what `nik parse` needs from region master data: the NIK
// parser's checks plus names for display. *wilayah.Checker satisfies it.
type nikRegions interface {
	nik.Regions
	// Name returns a dotted code's name (current, else historic).
	Name(code string) (string, bool)
}

// errNoMasterData says the station holds no region master data yet; NIKs
// are then checked without it (warning region_unknown).
var errNoMasterData = errors.New("no region master data")

// nikRegionSource gives `nik parse` the station's region master data when
// --regions is not given. The default has none; the store wires its table
// here. Any error other than errNoMasterData fails the command.
var nikRegionSource = func(cx *context, c *common) (nikRegions, error) {
	return nil, errNoMasterData
}

// nikJSON is the --json output for one NIK. NIKs stay strings.
type nikJSON struct {
	NIK       string        `json:"nik"`
	Valid     bool          `json:"valid"`
	Sex       string        `json:"sex,omitempty"`
	BirthDate string        `json:"birth_date,omitempty"`
	Region    nikRegionJSON `json:"region"`
	Warnings  []nik.Code    `json:"warnings"`
	Error     nik.Code      `json:"error,omitempty"`
}

// nikRegionJSON names the prefix's regions where known.
type nikRegionJSON struct {
	Provinsi  string `json:"provinsi,omitempty"`
	KabKota   string `json:"kabkota,omitempty"`
	Kecamatan string `json:"kecamatan,omitempty"`
}

func runNIKParse(cx *context, args []string) int {
	fs, c := newFlags(cx, "nik parse")
	regionsFile := fs.String("regions", "", "region codes to check against instead of the station's master data: a code,name,level CSV (wilayah.csv) or the idn-area-data npm .tgz")
	historicFile := fs.String("historic", "", "retired region codes, code,name,level,present_in_editions CSV (with --regions)")
	todayFlag := fs.String("today", "", "judge as of this date, YYYY-MM-DD (default: today)")
	fs.Usage = func() {
		fmt.Fprintln(cx.stderr, "usage: rekamctl nik parse [--json] [--regions FILE [--historic FILE]] [--today YYYY-MM-DD] NIK...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	opts := nik.Options{}
	if *todayFlag != "" {
		t, err := time.Parse(time.DateOnly, *todayFlag)
		if err != nil {
			return failf(cx, exitUsage, "nik parse: --today %q: want YYYY-MM-DD", *todayFlag)
		}
		opts.Now = func() time.Time { return t }
	}
	regs, err := nikLoadRegions(cx, c, *regionsFile, *historicFile)
	if err != nil {
		return failf(cx, exitUsage, "nik parse: %v", err)
	}
	if regs != nil {
		opts.Regions = regs
	}
	code := exitOK
	for _, s := range fs.Args() {
		out := nikReport(s, opts, regs)
		if !out.Valid {
			code = exitNegative
		}
		if c.jsonOut {
			if err := emitJSON(cx, out); err != nil {
				return failf(cx, exitUsage, "nik parse: %v", err)
			}
			continue
		}
		nikPrint(cx.stdout, out)
	}
	return code
}

// nikLoadRegions returns the region table: from the files when given, else
// from nikRegionSource; nil when there is no master data.
func nikLoadRegions(cx *context, c *common, regionsFile, historicFile string) (nikRegions, error) {
	if regionsFile == "" {
		if historicFile != "" {
			return nil, errors.New("--historic needs --regions")
		}
		regs, err := nikRegionSource(cx, c)
		if errors.Is(err, errNoMasterData) {
			return nil, nil
		}
		return regs, err
	}
	current, err := wilayah.ReadRegionsFile(regionsFile)
	if err != nil {
		return nil, err
	}
	ix, err := wilayah.NewIndex(current)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", regionsFile, err)
	}
	var historic []wilayah.Historic
	if historicFile != "" {
		if historic, err = wilayah.ReadFile(historicFile, wilayah.ParseHistoricCSV); err != nil {
			return nil, err
		}
	}
	return wilayah.NewChecker(ix, historic), nil
}

// nikReport parses one NIK into the command's output shape.
func nikReport(s string, opts nik.Options, regs nikRegions) nikJSON {
	r, err := nik.Parse(s, opts)
	if err != nil {
		return nikJSON{NIK: nik.Normalize(s), Error: nik.CodeOf(err), Warnings: []nik.Code{}}
	}
	out := nikJSON{NIK: r.NIK, Valid: true, Sex: string(r.Sex), BirthDate: r.BirthDateString(), Warnings: r.Warnings}
	if out.Warnings == nil {
		out.Warnings = []nik.Code{}
	}
	if regs != nil {
		out.Region.Provinsi, _ = regs.Name(r.Province)
		out.Region.KabKota, _ = regs.Name(r.KabKota)
		out.Region.Kecamatan, _ = regs.Name(r.Kecamatan)
	}
	return out
}

// nikPrint writes the human-readable report.
func nikPrint(w io.Writer, o nikJSON) {
	if !o.Valid {
		fmt.Fprintf(w, "%s: invalid (%s)\n", o.NIK, o.Error)
		return
	}
	fmt.Fprintf(w, "%s: valid\n  sex         %s\n  birth date  %s\n", o.NIK, o.Sex, o.BirthDate)
	var names []string
	for _, n := range []string{o.Region.Provinsi, o.Region.KabKota, o.Region.Kecamatan} {
		if n != "" {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(w, "  region      %s\n", strings.Join(names, " / "))
	}
	if len(o.Warnings) > 0 {
		ws := make([]string, len(o.Warnings))
		for i, c := range o.Warnings {
			ws[i] = string(c)
		}
		fmt.Fprintf(w, "  warnings    %s\n", strings.Join(ws, ", "))
	}
}
