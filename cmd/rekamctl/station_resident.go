package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

func init() {
	register(&command{path: "resident add", summary: "store a resident's biodata (JSON on stdin; see its --help for the keys)", run: runResidentAdd})
	register(&command{path: "resident show", summary: "show one resident's biodata by NIK (audited)", run: runResidentShow})
	register(&command{path: "resident list", summary: "list residents, NIKs masked unless --full (audited)", run: runResidentList})
}

// residentKeysHelp documents the JSON object `resident add` reads.
const residentKeysHelp = `The biodata is one JSON object on stdin (UU 24/2013 Pasal 58 elements;
code fields take SIAK codes, 0 = not given; NIKs and KK are strings):

  nik              string  16-digit NIK (required)
  kk               string  16-digit family card (KK) number
  name             string  full name (required)
  birth_place      string  place of birth
  birth_date       string  YYYY-MM-DD
  sex              int     1 LAKI-LAKI, 2 PEREMPUAN
  blood_type       int     golongan darah code (optional)
  religion         int     agama code
  marital          int     status perkawinan code
  family_relation  int     status hubungan dalam keluarga code
  disability       int     penyandang cacat code (optional, 0 = none)
  education        int     pendidikan terakhir code
  occupation       int     jenis pekerjaan code
  mother_name      string  mother's name
  mother_nik       string  mother's NIK (optional)
  father_name      string  father's name (optional)
  father_nik       string  father's NIK (optional)
  address          string  street address
  rt, rw           string  RT and RW numbers, e.g. "001"
  desa_code        string  desa/kelurahan code, e.g. "32.11.01.2001"
  citizenship      int     1 WNI, 2 WNA

Unknown keys are refused. The acting operator's password comes from
$REKAM_PASSWORD or --password-file (stdin carries the JSON).`

// maxResidentJSON bounds what resident add reads from stdin.
const maxResidentJSON = 64 << 10

func runResidentAdd(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "resident add", true)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rekamctl resident add --as OPERATOR [flags] < biodata.json\n\n"+residentKeysHelp+"\n\nflags:")
		fs.PrintDefaults()
	}
	ss, code := o.begin(cx, fs, args, 0, nil)
	if ss == nil {
		return code
	}
	defer ss.Close()
	r, err := decodeResident(cx.stdin)
	if err != nil {
		return failf(cx, exitUsage, "resident add: %v", err)
	}
	var regions nik.Regions
	if n, err := ss.s.RegionCount(stationCtx); err == nil && n > 0 {
		regions = ss.s.RegionChecker(stationCtx)
	}
	warnings, err := validateResident(r, regions)
	if err != nil {
		return failf(cx, exitNegative, "resident add: invalid biodata: %v", err)
	}
	for _, w := range warnings {
		fmt.Fprintf(cx.stderr, "rekamctl: resident add: warning: %s\n", w)
	}
	id, err := ss.s.AddResident(stationCtx, ss.sess, r)
	if err != nil {
		return stationFail(cx, fmt.Errorf("resident add: %w", err))
	}
	if o.jsonOut {
		emitJSON(cx, map[string]any{"id": id, "nik": r.NIK})
	} else {
		fmt.Fprintf(cx.stdout, "added resident %d (NIK %s)\n", id, maskNIK(r.NIK))
	}
	return exitOK
}

// decodeResident reads one JSON object of enroll.Resident, refusing unknown
// keys, trailing data, and more than maxResidentJSON bytes.
func decodeResident(in io.Reader) (enroll.Resident, error) {
	var r enroll.Resident
	b, err := io.ReadAll(io.LimitReader(in, maxResidentJSON+1))
	if err != nil {
		return r, fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > maxResidentJSON {
		return r, fmt.Errorf("biodata JSON larger than %d bytes", maxResidentJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("biodata JSON on stdin: %w", err)
	}
	if dec.More() {
		return r, fmt.Errorf("biodata JSON on stdin: more than one object")
	}
	return r, nil
}

func runResidentShow(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "resident show", true)
	usageLine(fs, "usage: rekamctl resident show NIK --as OPERATOR [flags]")
	ss, code := o.begin(cx, fs, args, 1, nil)
	if ss == nil {
		return code
	}
	defer ss.Close()
	rec, err := ss.s.ResidentByNIK(stationCtx, ss.sess, ss.pos[0])
	if err != nil {
		return stationFail(cx, fmt.Errorf("resident show: %w", err))
	}
	if o.jsonOut {
		emitJSON(cx, rec)
		return exitOK
	}
	b, _ := json.MarshalIndent(rec.Resident, "", "  ")
	fmt.Fprintf(cx.stdout, "resident %d (stored %s)\n%s\n", rec.ID, rec.CreatedAt.Format("2006-01-02 15:04"), b)
	return exitOK
}

func runResidentList(cx *context, args []string) int {
	fs, o := newStationFlags(cx, "resident list", true)
	full := fs.Bool("full", false, "show whole NIKs (supervisor only)")
	usageLine(fs, "usage: rekamctl resident list --as OPERATOR [--full] [flags]")
	ss, code := o.begin(cx, fs, args, 0, nil)
	if ss == nil {
		return code
	}
	defer ss.Close()
	if *full {
		if err := ss.s.Check(stationCtx, ss.sess, operator.ResidentListFull); err != nil {
			return stationFail(cx, fmt.Errorf("resident list --full: %w", err))
		}
	}
	recs, err := ss.s.Residents(stationCtx, ss.sess)
	if err != nil {
		return stationFail(cx, fmt.Errorf("resident list: %w", err))
	}
	for _, rec := range recs {
		nik := rec.Resident.NIK
		if !*full {
			nik = maskNIK(nik)
		}
		if o.jsonOut {
			emitJSON(cx, residentRow{rec.ID, nik, rec.Resident.Name, rec.CreatedAt.Format("2006-01-02")})
		} else {
			fmt.Fprintf(cx.stdout, "%-6d %s  %s\n", rec.ID, nik, rec.Resident.Name)
		}
	}
	return exitOK
}

// residentRow is one line of `resident list --json`.
type residentRow struct {
	ID     int64  `json:"id"`
	NIK    string `json:"nik"`
	Name   string `json:"name"`
	Stored string `json:"stored"`
}

// maskNIK keeps a NIK's first and last four digits: 3211********0001.
func maskNIK(nik string) string {
	if len(nik) <= 8 {
		return "****************"[:len(nik)]
	}
	b := []byte(nik)
	for i := 4; i < len(b)-4; i++ {
		b[i] = '*'
	}
	return string(b)
}
