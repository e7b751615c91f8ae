package wilayah

import (
	"errors"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func TestParseCSV(t *testing.T) {
	good := "code,name,level\n32,Jawa Barat,provinsi\n32.11,Kabupaten Sumedang,kabkota\n32.11.01,Wado,kecamatan\n32.11.01.2001,\"Cikareo, Selatan\",desakel\n"
	rs, err := ParseCSV(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{{"32", "Jawa Barat", Provinsi}, {"32.11", "Kabupaten Sumedang", KabKota}, {"32.11.01", "Wado", Kecamatan}, {"32.11.01.2001", "Cikareo, Selatan", Desa}}
	if len(rs) != len(want) {
		t.Fatalf("%d regions, want %d", len(rs), len(want))
	}
	for i := range want {
		if rs[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rs[i], want[i])
		}
	}
	bad := []struct {
		name, in, msg string
		line          int
	}{
		{"empty", "", "empty file", 1},
		{"wrong header", "kode,nama,tingkat\n", "header", 1},
		{"bad level", "code,name,level\n32,Jawa Barat,negara\n", "unknown level", 2},
		{"level mismatch", "code,name,level\n32,Jawa Barat,provinsi\n32.11,Sumedang,kecamatan\n", "is a kabkota code", 3},
		{"bad code", "code,name,level\n3x,Jawa Barat,provinsi\n", "must be 2 digits", 2},
		{"empty name", "code,name,level\n32, ,provinsi\n", "empty name", 2},
		{"duplicate", "code,name,level\n32,A,provinsi\n33,B,provinsi\n32,C,provinsi\n", "appears twice", 4},
		{"missing field", "code,name,level\n32,Jawa Barat\n", "wrong number of fields", 2},
		{"bad quote", "code,name,level\n32,\"Jawa\"x,provinsi\n", "quote", 2},
		{"bad utf8", "code,name,level\n32,Jawa\xff,provinsi\n", "UTF-8", 2},
		{"endless line", "code,name,level\n32," + strings.Repeat("x", 3*maxLine), "longer than", 2},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q (line %d), want line %d and %q", err, pe.Line, tt.line, tt.msg)
			}
		})
	}
}

func TestParseHistoricCSV(t *testing.T) {
	in := "code,name,level,present_in_editions\n91.01,KAB. MERAUKE,kabkota,2016 2018 2020 2022\n91.01.01,Merauke,kecamatan,2022\n"
	hs, err := ParseHistoricCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[0].Code != "91.01" || hs[0].Level != KabKota || len(hs[0].Editions) != 4 || hs[1].Editions[0] != "2022" {
		t.Fatalf("got %+v", hs)
	}
	if _, err := ParseHistoricCSV(strings.NewReader("code,name,level\n91.01,X,kabkota\n")); err == nil {
		t.Fatal("accepted a file without the editions column")
	}
}

// TestSharedWilayah reads the real master data and checks the published
// counts (38 provinsi, 514 kab/kota, 7,285 kecamatan, 83,762 desa/kel) and
// that every region's parent exists.
func TestSharedWilayah(t *testing.T) {
	rs := loadShared(t)
	counts := map[Level]int{}
	ix, err := NewIndex(rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		counts[r.Level]++
		if p := r.Parent(); p != "" {
			if _, ok := ix.Lookup(p); !ok {
				t.Errorf("%s has no parent %s", r.Code, p)
			}
		}
	}
	want := map[Level]int{Provinsi: 38, KabKota: 514, Kecamatan: 7285, Desa: 83762}
	for l, n := range want {
		if counts[l] != n {
			t.Errorf("%s: %d, want %d", l, counts[l], n)
		}
	}
	if got := len(ix.Children("32.11")); got != 26 {
		t.Errorf("Sumedang has %d kecamatan, want 26", got)
	}
	hs, err := ReadFile(shareddata.Require(t, "wilayah", "historic_codes_not_current.csv"), ParseHistoricCSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 620 {
		t.Errorf("%d historic codes, want 620", len(hs))
	}
	for _, h := range hs {
		if _, ok := ix.Lookup(h.Code); ok {
			t.Errorf("historic code %s is also current", h.Code)
		}
	}
}

func loadShared(tb testing.TB) []Region {
	tb.Helper()
	rs, err := ReadFile(shareddata.Require(tb, "wilayah", "wilayah.csv"), ParseCSV)
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

func TestLevelOfAndDotted(t *testing.T) {
	tests := []struct {
		in, dotted string
		level      Level
	}{
		{"32", "32", Provinsi}, {"3211", "32.11", KabKota}, {"321101", "32.11.01", Kecamatan},
		{"3211012001", "32.11.01.2001", Desa}, {"32.11.01", "32.11.01", Kecamatan},
	}
	for _, tt := range tests {
		d, err := Dotted(tt.in)
		if err != nil || d != tt.dotted {
			t.Errorf("Dotted(%q) = %q, %v; want %q", tt.in, d, err, tt.dotted)
			continue
		}
		if l, err := LevelOf(d); err != nil || l != tt.level {
			t.Errorf("LevelOf(%q) = %v, %v; want %v", d, l, err, tt.level)
		}
	}
	for _, bad := range []string{"", "3", "321", "32110", "32.1", "32.11.01.201", "32.11.01.2001.1", "3a", "32..11", "32110120011"} {
		if d, err := Dotted(bad); err == nil {
			t.Errorf("Dotted(%q) = %q, want an error", bad, d)
		}
	}
	for l := Provinsi; l <= Desa; l++ {
		if back, err := ParseLevel(l.String()); err != nil || back != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), back, err)
		}
	}
}

// FuzzParseCSV checks ParseCSV never panics and that what it accepts is
// well formed and unique.
func FuzzParseCSV(f *testing.F) {
	f.Add("code,name,level\n32,Jawa Barat,provinsi\n32.11,Kabupaten Sumedang,kabkota\n")
	f.Add("code,name,level\n32.11.01.2001,\"A, B\",desakel\n")
	f.Add("code,name,level\n")
	f.Add("\ufeffcode,name,level\r\n11,Aceh,provinsi\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, r := range rs {
			if l, err := LevelOf(r.Code); err != nil || l != r.Level || r.Name == "" || seen[r.Code] {
				t.Fatalf("accepted bad region %+v", r)
			}
			seen[r.Code] = true
		}
	})
}
