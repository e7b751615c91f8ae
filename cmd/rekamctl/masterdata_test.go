package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func TestMasterdataImportFeedsNIKParse(t *testing.T) {
	csv := shareddata.Require(t, "wilayah", "wilayah.csv")
	data := testStation(t)
	admin := as(adminPW)

	// Before import, a NIK's region is unknown.
	code, out, _ := runCLI(t, nil, "", "nik", "parse", "--json", "--today", "2026-06-01", "--data", data, "3211010101900001")
	if code != exitOK || !strings.Contains(out, `"region_unknown"`) {
		t.Fatalf("before import: exit %d %s", code, out)
	}
	// Only an admin may import.
	if code, _, errs := runCLI(t, as(opPW), "", "masterdata", "import", csv, "--as", "budi", "--data", data); code != exitNegative {
		t.Fatalf("operator import: exit %d %s", code, errs)
	}
	code, out, errs := runCLI(t, admin, "", "masterdata", "import", "--json", csv, "--as", "admin", "--data", data)
	if code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	var res struct{ Regions, Provinsi, Kecamatan int }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Regions < 90000 || res.Provinsi != 38 || res.Kecamatan < 7000 {
		t.Fatalf("import result %s (%v)", out, err)
	}
	code, out, _ = runCLI(t, nil, "", "nik", "parse", "--json", "--today", "2026-06-01", "--data", data, "3211010101900001")
	var nik struct {
		Valid    bool
		Region   map[string]string
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &nik); err != nil || code != exitOK || !nik.Valid {
		t.Fatalf("nik parse: exit %d %s", code, out)
	}
	if nik.Region["provinsi"] != "Jawa Barat" || nik.Region["kabkota"] != "Kabupaten Sumedang" || nik.Region["kecamatan"] != "Wado" || len(nik.Warnings) != 0 {
		t.Fatalf("region from the store: %+v", nik)
	}
	code, out, _ = runCLI(t, nil, "", "masterdata", "show", "32.11", "--data", data)
	if code != exitOK || !strings.Contains(out, "32.11.01 Wado") {
		t.Fatalf("show: %d %s", code, out)
	}
	// A corrupt file is refused and the imported data stays.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("code,name,level\n32,JAWA BARAT,9\n"), 0o600)
	if code, _, _ := runCLI(t, admin, "", "masterdata", "import", bad, "--as", "admin", "--data", data); code != exitUsage {
		t.Fatalf("bad file: exit %d", code)
	}
	if code, out, _ := runCLI(t, nil, "", "masterdata", "show", "32.11.01", "--data", data); code != exitOK || !strings.Contains(out, "Wado") {
		t.Fatal("a refused import lost the stored master data")
	}
}

func TestResidentAddValidates(t *testing.T) {
	data := testStation(t)
	op := as(opPW)
	// A woman's NIK (day + 40) on a man's biodata: recorded, with a warning.
	mismatch := strings.Replace(residentJSON, `"3211010101900001"`, `"3211014101900001"`, 1)
	code, _, errs := runCLI(t, op, mismatch, "resident", "add", "--as", "budi", "--data", data)
	if code != exitOK || !strings.Contains(errs, "nik_sex_mismatch") {
		t.Fatalf("sex mismatch: exit %d %s", code, errs)
	}
	// An impossible birth date in the NIK blocks.
	bad := strings.Replace(residentJSON, `"3211010101900001"`, `"3211013202900001"`, 1)
	code, _, errs = runCLI(t, op, bad, "resident", "add", "--as", "budi", "--data", data)
	if code != exitNegative || !strings.Contains(errs, "nik_") {
		t.Fatalf("bad NIK date: exit %d %s", code, errs)
	}
}
