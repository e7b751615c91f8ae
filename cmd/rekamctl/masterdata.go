package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

func init() {
	register(&command{path: "masterdata import", summary: "import region master data (idn-area-data npm tarball or code,name,level CSV)", run: runMasterdataImport})
	register(&command{path: "masterdata show", summary: "show a region and its children by dotted code (\"\" for provinces)", run: runMasterdataShow})
	nikRegionSource = storeRegionSource
}

// FindMasterData returns the newest master-data file set down beside a
// station's data (by scripts/run.sh), or "" when there is none.
func findMasterData(data string) string {
	m, _ := filepath.Glob(filepath.Join(data, "masterdata", "*.tgz"))
	if len(m) == 0 {
		m, _ = filepath.Glob(filepath.Join(data, "masterdata", "*.csv"))
	}
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

func runMasterdataImport(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "masterdata import", true)
	usageLine(fs, "usage: rekamctl masterdata import --as ADMIN [FILE]   (default: the file in <data>/masterdata)")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) > 1 {
		return exitUsage
	}
	ses, code := o.begin(cx, fs, pos, len(pos), bufio.NewReader(cx.stdin))
	if ses == nil {
		return code
	}
	defer ses.Close()
	if ses.sess.Role != operator.RoleAdmin {
		return failf(cx, exitNegative, "masterdata import: only an admin may replace the master data")
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	} else if path = findMasterData(ses.data); path == "" {
		return failf(cx, exitUsage, "masterdata import: no file given and none in %s", filepath.Join(ses.data, "masterdata"))
	}
	regs, err := wilayah.ReadRegionsFile(path)
	if err != nil {
		return failf(cx, exitUsage, "masterdata import: %v", err)
	}
	n, err := ses.s.ImportRegions(stationCtx, regs)
	if err != nil {
		return failf(cx, exitUsage, "masterdata import: %v", err)
	}
	counts := map[wilayah.Level]int{}
	for _, r := range regs {
		counts[r.Level]++
	}
	if o.jsonOut {
		if err := emitJSON(cx, map[string]any{"regions": n, "provinsi": counts[wilayah.Provinsi], "kabkota": counts[wilayah.KabKota],
			"kecamatan": counts[wilayah.Kecamatan], "desa": counts[wilayah.Desa], "source": path}); err != nil {
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "%d regions imported from %s: %d provinsi, %d kab/kota, %d kecamatan, %d desa/kelurahan\n",
		n, path, counts[wilayah.Provinsi], counts[wilayah.KabKota], counts[wilayah.Kecamatan], counts[wilayah.Desa])
	return exitOK
}

func runMasterdataShow(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "masterdata show", false)
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) > 1 {
		return exitUsage
	}
	st, err := o.open(cx)
	if err != nil {
		return stationFail(cx, err)
	}
	defer st.s.Close()
	code := ""
	if len(pos) == 1 {
		code = pos[0]
	}
	if code != "" {
		r, err := st.s.Region(stationCtx, code)
		if err != nil {
			return stationFail(cx, err)
		}
		if o.jsonOut {
			emitJSON(cx, r)
		} else {
			fmt.Fprintf(cx.stdout, "%s %s\n", r.Code, r.Name)
		}
	}
	kids, err := st.s.RegionChildren(stationCtx, code)
	if err != nil {
		return stationFail(cx, err)
	}
	for _, k := range kids {
		if o.jsonOut {
			emitJSON(cx, k)
		} else {
			fmt.Fprintf(cx.stdout, "  %s %s\n", k.Code, k.Name)
		}
	}
	return exitOK
}

// storeRegionSource opens the station (when there is one) for `nik parse`.
// The store stays open for the rest of this short-lived command.
func storeRegionSource(cx *context, c *common) (nikRegions, error) {
	o := &stationOpts{common: c}
	data, _, err := o.dirs(cx)
	if err != nil {
		return nil, errNoMasterData
	}
	if _, err := os.Stat(filepath.Join(data, store.FileName)); err != nil {
		return nil, errNoMasterData
	}
	st, err := o.open(cx)
	if err != nil {
		if strings.Contains(err.Error(), "no station") {
			return nil, errNoMasterData
		}
		return nil, err
	}
	if n, err := st.s.RegionCount(stationCtx); err != nil || n == 0 {
		st.s.Close()
		return nil, errNoMasterData
	}
	return st.s.RegionChecker(stationCtx), nil
}

// importMasterDataFile imports a master-data file into the station of o;
// init uses it to take the file scripts/run.sh set down beside the data.
func importMasterDataFile(cx *context, o *stationOpts, path string) (int, error) {
	regs, err := wilayah.ReadRegionsFile(path)
	if err != nil {
		return 0, err
	}
	st, err := o.open(cx)
	if err != nil {
		return 0, err
	}
	defer st.s.Close()
	return st.s.ImportRegions(stationCtx, regs)
}
