package siak

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// readCSV returns the rows (without header) of a shared SIAK file.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(shareddata.Require(t, "siak"), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[1:]
}

// TestListsMatchSharedCSV checks every list against its CSV: every coded
// row is in the list with the same name, or documented as excluded, and
// the list has nothing the CSV lacks.
func TestListsMatchSharedCSV(t *testing.T) {
	for _, tab := range Tables {
		t.Run(tab.ListKey(), func(t *testing.T) {
			rows := readCSV(t, tab.ListKey()+".csv")
			want := map[int]string{}
			for _, r := range rows {
				if r[0] == "" { // detail values without a public code (status_perkawinan)
					continue
				}
				c, err := strconv.Atoi(r[0])
				if err != nil {
					t.Fatalf("bad code %q", r[0])
				}
				if _, ex := tab.ExcludedCodes()[c]; ex {
					continue
				}
				want[c] = r[1]
			}
			got := tab.Rows()
			if len(got) != len(want) {
				t.Errorf("%d entries, CSV has %d", len(got), len(want))
			}
			for i, r := range got {
				if want[r.Code] != r.Name {
					t.Errorf("code %d = %q, CSV says %q", r.Code, r.Name, want[r.Code])
				}
				if i > 0 && got[i-1].Code >= r.Code {
					t.Errorf("codes out of order at %d", r.Code)
				}
			}
		})
	}
	if n := len(Pekerjaans.Entries); n != 89 {
		t.Errorf("%d occupations, want 89", n)
	}
}

func TestStatusRekamMatchesSharedCSV(t *testing.T) {
	rows := readCSV(t, "status_rekam_ktpel.csv")
	if len(rows) != len(StatusRekams) {
		t.Fatalf("%d statuses, CSV has %d", len(StatusRekams), len(rows))
	}
	for i, r := range rows {
		if string(StatusRekams[i]) != r[0] {
			t.Errorf("status %d = %s, CSV says %s", i, StatusRekams[i], r[0])
		}
	}
	if StatusRekam("BIO_CAPTURE").Valid() || !BioCaptured.Valid() {
		t.Error("StatusRekam.Valid wrong")
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Agama(3).String(), "KATHOLIK"},
		{Agama(9).String(), "Agama(9)"},
		{Pekerjaan(88).String(), "WIRASWASTA"},
		{GolonganDarah(13).String(), "TIDAK TAHU"},
		{StatusPerkawinan(1).String(), "BELUM KAWIN"},
		{HubunganKeluarga(11).String(), "LAINNYA"},
		{Pendidikan(7).String(), "AKADEMI/DIPLOMA III/S. MUDA"},
		{PenyandangCacat(6).String(), "CACAT LAINNYA"},
		{Kewarganegaraan(2).String(), "WNA"},
		{JenisKelamin(2).String(), "PEREMPUAN"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	valid := []struct {
		ok   bool
		want bool
	}{
		{Agama(7).Valid(), true}, {Agama(0).Valid(), false}, {Agama(8).Valid(), false},
		{Pekerjaan(89).Valid(), true}, {Pekerjaan(90).Valid(), false},
		{Kewarganegaraan(3).Valid(), false}, {PenyandangCacat(7).Valid(), false},
		{GolonganDarah(13).Valid(), true}, {StatusPerkawinan(5).Valid(), false},
		{JenisKelamin(1).Valid(), true}, {HubunganKeluarga(12).Valid(), false}, {Pendidikan(10).Valid(), true},
	}
	for i, v := range valid {
		if v.ok != v.want {
			t.Errorf("case %d: Valid = %v, want %v", i, v.ok, v.want)
		}
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want Agama
		ok   bool
	}{
		{"islam", Islam, true}, {" KATOLIK ", Katholik, true}, {"Buddha", Budha, true},
		{"Konghucu", Khonghucu, true}, {"kepercayaan terhadap tuhan yme", Kepercayaan, true}, {"Jedi", 0, false},
	}
	for _, tt := range tests {
		if c, ok := Agamas.Parse(tt.in); c != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.in, c, ok, tt.want, tt.ok)
		}
	}
	if c, ok := Pekerjaans.Parse(strings.ToLower("Petani/Pekebun")); !ok || c != 9 {
		t.Errorf("Pekerjaan parse = %d, %v", c, ok)
	}
}
