package main

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/nik/niktest"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// nikOutKeys are the only keys `nik parse --json` may print.
var nikOutKeys = []string{"nik", "valid", "sex", "birth_date", "region", "warnings", "error"}

// decodeNIKLines decodes one JSON object per line and checks its keys.
func decodeNIKLines(t *testing.T, out string) []nikJSON {
	t.Helper()
	var res []nikJSON
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &keys); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		for k := range keys {
			if !slices.Contains(nikOutKeys, k) {
				t.Errorf("unexpected key %q in %s", k, line)
			}
		}
		for _, k := range []string{"nik", "valid", "region", "warnings"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("key %q missing in %s", k, line)
			}
		}
		if n := keys["nik"]; len(n) == 0 || n[0] != '"' {
			t.Errorf("nik is not a JSON string in %s", line)
		}
		var o nikJSON
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatal(err)
		}
		res = append(res, o)
	}
	return res
}

// TestNIKParseVectors runs every row of nik_test_vectors.csv through
// `nik parse --json` with wilayah.csv and the historic table, as of the
// vectors' date, in one invocation; then checks exit codes per NIK.
func TestNIKParseVectors(t *testing.T) {
	vs := niktest.Vectors(t)
	regions := shareddata.Require(t, "wilayah", "wilayah.csv")
	historic := shareddata.Require(t, "wilayah", "historic_codes_not_current.csv")
	today := niktest.Today.Format("2006-01-02")
	args := []string{"nik", "parse", "--json", "--regions", regions, "--historic", historic, "--today", today}
	for _, v := range vs {
		args = append(args, v.NIK)
	}
	code, out, errs := runCLI(t, nil, "", args...)
	if code != exitNegative {
		t.Errorf("exit %d with invalid vectors among them, want %d (stderr %q)", code, exitNegative, errs)
	}
	got := decodeNIKLines(t, out)
	if len(got) != len(vs) {
		t.Fatalf("%d output lines for %d vectors", len(got), len(vs))
	}
	for i, v := range vs {
		o := got[i]
		if o.NIK != v.NIK || o.Valid != v.Valid {
			t.Errorf("%s: nik %q valid %v, want valid %v (%s)", v.NIK, o.NIK, o.Valid, v.Valid, v.Note)
			continue
		}
		if v.Valid {
			ws := make([]string, len(o.Warnings))
			for j, w := range o.Warnings {
				ws[j] = string(w)
			}
			if o.Sex != v.Sex || o.BirthDate != v.BirthDate || !slices.Equal(ws, v.Codes) || o.Error != "" {
				t.Errorf("%s: %+v, want %s %s %v (%s)", v.NIK, o, v.Sex, v.BirthDate, v.Codes, v.Note)
			}
			if o.Region.Provinsi == "" {
				t.Errorf("%s: no province name", v.NIK)
			}
		} else if len(v.Codes) != 1 || string(o.Error) != v.Codes[0] || o.Sex != "" || o.BirthDate != "" {
			t.Errorf("%s: %+v, want error %v (%s)", v.NIK, o, v.Codes, v.Note)
		}
	}
	// Exit codes, one NIK per run: every invalid vector and the first valid one.
	for i, v := range vs {
		want := exitOK
		if !v.Valid {
			want = exitNegative
		} else if i > 0 {
			continue
		}
		if code, _, _ := runCLI(t, nil, "", "nik", "parse", "--json", "--today", today, v.NIK); code != want {
			t.Errorf("%s: exit %d, want %d", v.NIK, code, want)
		}
	}
}

func TestNIKParseNames(t *testing.T) {
	regions := shareddata.Require(t, "wilayah", "wilayah.csv")
	code, out, _ := runCLI(t, nil, "", "nik", "parse", "--json", "--regions", regions, "3211014101900001")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	o := decodeNIKLines(t, out)[0]
	if o.Region != (nikRegionJSON{"Jawa Barat", "Kabupaten Sumedang", "Wado"}) {
		t.Errorf("region %+v", o.Region)
	}
}

func TestNIKParseCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		out     string
		errText string
	}{
		{"valid without master data", []string{"--json", "3211014101900001"}, exitOK,
			`"region":{},"warnings":["region_unknown"]`, ""},
		{"invalid", []string{"--json", "3211010001900001"}, exitNegative, `"valid":false,"region":{},"warnings":[],"error":"bad_day_code"`, ""},
		{"separators", []string{"--json", "3211-0141-0190-0001"}, exitOK, `"nik":"3211014101900001"`, ""},
		{"text", []string{"--today", "2026-06-01", "3211010101250001"}, exitOK, "birth date  2025-01-01", ""},
		{"text invalid", []string{"32110101019O0001"}, exitNegative, "invalid (non_digit)", ""},
		{"no NIK", nil, exitUsage, "", "usage: rekamctl nik parse"},
		{"bad today", []string{"--today", "01-06-2026", "3211014101900001"}, exitUsage, "", "want YYYY-MM-DD"},
		{"historic without regions", []string{"--historic", "x.csv", "3211014101900001"}, exitUsage, "", "--historic needs --regions"},
		{"missing regions file", []string{"--regions", "/nonexistent/w.csv", "3211014101900001"}, exitUsage, "", "/nonexistent/w.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, nil, "", append([]string{"nik", "parse"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errText) {
				t.Errorf("exit %d out %q err %q; want %d %q %q", code, out, errs, tt.code, tt.out, tt.errText)
			}
		})
	}
}

// TestNIKRegionSource checks the hook the store plugs into: its table is
// used when --regions is absent, and its errors fail the command.
func TestNIKRegionSource(t *testing.T) {
	saved := nikRegionSource
	defer func() { nikRegionSource = saved }()
	ix, err := wilayah.NewIndex([]wilayah.Region{{Code: "32", Name: "Jawa Barat", Level: wilayah.Provinsi}, {Code: "32.11", Name: "Kabupaten Sumedang", Level: wilayah.KabKota}})
	if err != nil {
		t.Fatal(err)
	}
	nikRegionSource = func(*context, *common) (nikRegions, error) { return wilayah.NewChecker(ix, nil), nil }
	code, out, _ := runCLI(t, nil, "", "nik", "parse", "--json", "3211014101900001")
	if code != exitOK || !strings.Contains(out, `"region":{"provinsi":"Jawa Barat","kabkota":"Kabupaten Sumedang"},"warnings":["region_unknown_kecamatan"]`) {
		t.Errorf("exit %d out %q", code, out)
	}
	nikRegionSource = func(*context, *common) (nikRegions, error) { return nil, errors.New("store locked") }
	if code, _, errs := runCLI(t, nil, "", "nik", "parse", "3211014101900001"); code != exitUsage || !strings.Contains(errs, "store locked") {
		t.Errorf("exit %d err %q", code, errs)
	}
}

// nikUpdateGolden rewrites the nik goldens (a flag name of its own, so
// other commands' tests can add theirs).
var nikUpdateGolden = flag.Bool("update-nik-golden", false, "rewrite the nik parse goldens in testdata")

// TestNIKParseTextGolden pins the human-readable output.
func TestNIKParseTextGolden(t *testing.T) {
	code, out, errs := runCLI(t, nil, "", "nik", "parse", "--regions", "testdata/nik_regions.csv", "--historic", "testdata/nik_historic.csv",
		"--today", "2026-06-01", "3211014101900001", "9101010101250001", "3211990101900001", "3211010101900000")
	if code != exitNegative {
		t.Fatalf("exit %d (stderr %q)", code, errs)
	}
	golden := "testdata/nik_parse.golden"
	if *nikUpdateGolden {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("output differs from %s:\n%s\nwant:\n%s", golden, out, want)
	}
}
