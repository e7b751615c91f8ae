package nik_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/nik/niktest"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// vectorsToday is the "today" the vectors file is judged against.
var vectorsToday = niktest.Today

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

var (
	checkerOnce sync.Once
	checker     *wilayah.Checker
	checkerErr  error
)

// sharedChecker loads wilayah.csv and historic_codes_not_current.csv from
// the shared data folder once per test binary.
func sharedChecker(tb testing.TB) *wilayah.Checker {
	tb.Helper()
	cur := shareddata.Require(tb, "wilayah", "wilayah.csv")
	hist := shareddata.Require(tb, "wilayah", "historic_codes_not_current.csv")
	checkerOnce.Do(func() {
		checker, checkerErr = loadChecker(cur, hist)
	})
	if checkerErr != nil {
		tb.Fatal(checkerErr)
	}
	return checker
}

func loadChecker(cur, hist string) (*wilayah.Checker, error) {
	regions, err := wilayah.ReadFile(cur, wilayah.ParseCSV)
	if err != nil {
		return nil, err
	}
	ix, err := wilayah.NewIndex(regions)
	if err != nil {
		return nil, err
	}
	historic, err := wilayah.ReadFile(hist, wilayah.ParseHistoricCSV)
	if err != nil {
		return nil, err
	}
	return wilayah.NewChecker(ix, historic), nil
}

// TestVectors runs every row of nik_test_vectors.csv against the parser
// with the current and historic region tables.
func TestVectors(t *testing.T) {
	vs := niktest.Vectors(t)
	opts := nik.Options{Now: clock(niktest.Today), Regions: sharedChecker(t)}
	if len(vs) < 26 {
		t.Fatalf("%d vectors, want 26", len(vs))
	}
	for _, v := range vs {
		t.Run(v.NIK, func(t *testing.T) {
			r, err := nik.Parse(v.NIK, opts)
			if !v.Valid {
				if err == nil {
					t.Fatalf("accepted (%+v), want error %v (%s)", r, v.Codes, v.Note)
				}
				if len(v.Codes) != 1 || string(nik.CodeOf(err)) != v.Codes[0] {
					t.Errorf("error %v, want %v (%s)", err, v.Codes, v.Note)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v (%s)", err, v.Note)
			}
			if string(r.Sex) != v.Sex || r.BirthDateString() != v.BirthDate {
				t.Errorf("sex %s date %s, want %s %s (%s)", r.Sex, r.BirthDateString(), v.Sex, v.BirthDate, v.Note)
			}
			if got := codeStrings(r.Warnings); !slices.Equal(got, v.Codes) {
				t.Errorf("warnings %v, want %v (%s)", got, v.Codes, v.Note)
			}
			if r.NIK != v.NIK {
				t.Errorf("NIK %q, want %q", r.NIK, v.NIK)
			}
		})
	}
}

func codeStrings(cs []nik.Code) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, string(c))
	}
	return out
}

// TestProvincesMatchMasterData checks the built-in province list against
// wilayah.csv.
func TestProvincesMatchMasterData(t *testing.T) {
	c := sharedChecker(t)
	for _, p := range nik.Provinces {
		if !c.Province(p) {
			t.Errorf("built-in province %s not in wilayah.csv", p)
		}
	}
	for i := 10; i < 100; i++ {
		code := string(rune('0'+i/10)) + string(rune('0'+i%10))
		if c.Province(code) != slices.Contains(nik.Provinces, code) {
			t.Errorf("province %s: wilayah.csv says %v, built-in list disagrees", code, c.Province(code))
		}
	}
}

// fakeRegions is a tiny region table for unit tests of the prefix rules.
type fakeRegions map[string]string // code → "current" | "historic"

func (f fakeRegions) Province(code string) bool { return f[code] == "current" }
func (f fakeRegions) Region(code string) (bool, bool) {
	return f[code] == "current", f[code] == "historic"
}

func TestParseRules(t *testing.T) {
	table := fakeRegions{"32": "current", "32.11": "current", "32.11.01": "current", "91": "current", "91.01": "historic", "91.01.01": "historic", "91.03": "current"}
	tests := []struct {
		name     string
		in       string
		regions  nik.Regions
		now      time.Time
		err      nik.Code
		sex      nik.Sex
		date     string
		warnings []nik.Code
	}{
		{"separators stripped", "32.11.01 010190-0001", table, vectorsToday, "", nik.Male, "1990-01-01", nil},
		{"no table: built-in province, region unchecked", "3211010101900001", nil, vectorsToday, "", nik.Male, "1990-01-01", []nik.Code{nik.WarnRegionUnchecked}},
		{"no table: unknown province still an error", "2201010101900001", nil, vectorsToday, nik.ErrUnknownProvince, "", "", nil},
		{"table decides the province", "3311010101900001", table, vectorsToday, nik.ErrUnknownProvince, "", "", nil},
		{"historic kecamatan", "9101010101900001", table, vectorsToday, "", nik.Male, "1990-01-01", []nik.Code{nik.WarnRegionHistoric}},
		{"historic kab, unknown kecamatan", "9101990101900001", table, vectorsToday, "", nik.Male, "1990-01-01", []nik.Code{nik.WarnRegionHistoric}},
		{"current kab, unknown kecamatan", "9103010101900001", table, vectorsToday, "", nik.Male, "1990-01-01", []nik.Code{nik.WarnRegionUnknownKecamatan}},
		{"unknown kab", "9199010101900001", table, vectorsToday, "", nik.Male, "1990-01-01", []nik.Code{nik.WarnRegionUnknownKabKota}},
		{"today itself is not future", "3211010106260001", table, vectorsToday, "", nik.Male, "2026-06-01", []nik.Code{nik.WarnCenturyAmbiguous}},
		{"tomorrow in 20yy falls back to 19yy", "3211010206260001", table, vectorsToday, "", nik.Male, "1926-06-02", nil},
		{"29 Feb 1904 when 2004 is future", "3211012902040001", table, time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC), "", nik.Male, "1904-02-29", nil},
		{"29 Feb 00 before 2000 is invalid (1900 not leap)", "3211012902000001", table, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), nik.ErrInvalidDate, "", "", nil},
		{"female century ambiguous", "3211016503200001", table, vectorsToday, "", nik.Female, "2020-03-25", []nik.Code{nik.WarnCenturyAmbiguous}},
		{"hostile long input", strings.Repeat("3", 1000), table, vectorsToday, nik.ErrLength, "", "", nil},
		{"unicode digit", "321101010190000١", table, vectorsToday, nik.ErrLength, "", "", nil},
		{"empty", "", table, vectorsToday, nik.ErrLength, "", "", nil},
		{"serial 9999", "3211010101909999", table, vectorsToday, "", nik.Male, "1990-01-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := nik.Parse(tt.in, nik.Options{Now: clock(tt.now), Regions: tt.regions})
			if nik.CodeOf(err) != tt.err {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
			if err != nil {
				return
			}
			if r.Sex != tt.sex || r.BirthDateString() != tt.date || !slices.Equal(r.Warnings, tt.warnings) {
				t.Errorf("got %s %s %v, want %s %s %v", r.Sex, r.BirthDateString(), r.Warnings, tt.sex, tt.date, tt.warnings)
			}
		})
	}
}

func TestResultFields(t *testing.T) {
	r, err := nik.Parse("3211017112990123", nik.Options{Now: clock(vectorsToday)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Prefix != "321101" || r.Province != "32" || r.KabKota != "32.11" || r.Kecamatan != "32.11.01" || r.Serial != 123 {
		t.Errorf("fields %+v", r)
	}
}

func TestCheckBiodata(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	opts := nik.Options{Now: clock(vectorsToday)}
	tests := []struct {
		in    string
		sex   nik.Sex
		birth time.Time
		want  []nik.Code
	}{
		{"3211014101900001", nik.Female, d("1990-01-01"), nil},
		{"3211014101900001", nik.Male, d("1990-01-01"), []nik.Code{nik.WarnSexMismatch}},
		{"3211014101900001", nik.Female, d("1990-01-02"), []nik.Code{nik.WarnBirthDateMismatch}},
		{"3211010101900001", nik.Female, d("1991-01-01"), []nik.Code{nik.WarnSexMismatch, nik.WarnBirthDateMismatch}},
		{"3211010101250001", nik.Male, d("1925-01-01"), nil}, // other century of an ambiguous date
		{"3211010101250001", nik.Male, d("2025-01-01"), nil},
		{"3211010101250001", nik.Male, d("1825-01-01"), []nik.Code{nik.WarnBirthDateMismatch}},
		{"3211010101900001", "", time.Time{}, nil}, // nothing to compare
	}
	for _, tt := range tests {
		r, err := nik.Parse(tt.in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.CheckBiodata(tt.sex, tt.birth); !slices.Equal(got, tt.want) {
			t.Errorf("%s vs %s %s: %v, want %v", tt.in, tt.sex, tt.birth.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestParseKK(t *testing.T) {
	table := fakeRegions{"32": "current", "32.11": "current", "32.11.01": "current"}
	tests := []struct {
		in   string
		err  nik.Code
		date string
		warn []nik.Code
	}{
		{"3211011503150007", "", "2015-03-15", nil},
		{"3211991503150007", "", "2015-03-15", []nik.Code{nik.WarnRegionUnknownKecamatan}},
		{"3211015503150007", nik.ErrBadDayCode, "", nil}, // no +40 on a KK
		{"3211011513150007", nik.ErrBadMonth, "", nil},
		{"3211013102150007", nik.ErrInvalidDate, "", nil},
		{"3211011503150000", nik.ErrSerial0000, "", nil},
		{"9911011503150007", nik.ErrUnknownProvince, "", nil},
		{"321101150315000", nik.ErrLength, "", nil},
		{"32110115031500x7", nik.ErrNonDigit, "", nil},
		{"3211011512270007", "", "1927-12-15", nil}, // 2027 is future: 1927, no ambiguity warning on a KK
	}
	for _, tt := range tests {
		k, err := nik.ParseKK(tt.in, nik.Options{Now: clock(vectorsToday), Regions: table})
		if nik.CodeOf(err) != tt.err {
			t.Errorf("%s: error %v, want %q", tt.in, err, tt.err)
			continue
		}
		if err == nil && (k.IssueDate.Format(time.DateOnly) != tt.date || !slices.Equal(k.Warnings, tt.warn) || k.Number != tt.in) {
			t.Errorf("%s: %+v, want date %s warnings %v", tt.in, k, tt.date, tt.warn)
		}
	}
}

func TestMask(t *testing.T) {
	tests := map[string]string{"3211010101900001": "321101******0001", "123": "***", "": ""}
	for in, want := range tests {
		if got := nik.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultClock(t *testing.T) {
	// A date in the far past must parse with the real clock.
	if _, err := nik.Parse("3211010101500001", nik.Options{}); err != nil {
		t.Fatal(err)
	}
}

// The in-memory master data satisfies the parser's interface.
var _ nik.Regions = (*wilayah.Checker)(nil)

func TestCodeKinds(t *testing.T) {
	for _, c := range nik.Errors {
		if c.IsWarning() {
			t.Errorf("%s listed as error and warning", c)
		}
	}
	if !nik.WarnRegionHistoric.IsWarning() || nik.ErrSerial0000.IsWarning() {
		t.Error("IsWarning wrong")
	}
}
