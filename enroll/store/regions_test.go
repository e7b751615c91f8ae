package store

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

var levels = map[string]wilayah.Level{"provinsi": wilayah.Provinsi, "kabkota": wilayah.KabKota, "kecamatan": wilayah.Kecamatan, "desakel": wilayah.Desa}

// loadWilayah reads the shared code,name,level CSV (a minimal reader for the
// test; the product's parser lives in package wilayah).
func loadWilayah(tb testing.TB) []wilayah.Region {
	tb.Helper()
	fh, err := os.Open(shareddata.Require(tb, "wilayah", "wilayah.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []wilayah.Region
	for _, r := range recs[1:] {
		out = append(out, wilayah.Region{Code: r[0], Name: r[1], Level: levels[r[2]]})
	}
	return out
}

func TestImportRegionsSynthetic(t *testing.T) {
	f := newFixture(t)
	regs := []wilayah.Region{
		{Code: "32", Name: "JAWA BARAT", Level: 1},
		{Code: "32.11", Name: "KAB. SUMEDANG", Level: 2},
		{Code: "32.11.01", Name: "Jatinangor", Level: 3},
		{Code: "32.11.02", Name: "Cimanggung", Level: 3},
		{Code: "32.11.01.2001", Name: "Cibeusi", Level: 4},
	}
	n, err := f.s.ImportRegions(ctx, regs)
	if err != nil || n != 5 {
		t.Fatalf("ImportRegions = %d, %v", n, err)
	}
	r, err := f.s.Region(ctx, "32.11.01")
	if err != nil || r.Name != "Jatinangor" || r.Level != wilayah.Kecamatan {
		t.Fatalf("Region = %+v, %v", r, err)
	}
	kids, err := f.s.RegionChildren(ctx, "32.11")
	if err != nil || len(kids) != 2 || kids[0].Code != "32.11.01" || kids[1].Code != "32.11.02" {
		t.Fatalf("RegionChildren = %+v, %v", kids, err)
	}
	top, _ := f.s.RegionChildren(ctx, "")
	if len(top) != 1 || top[0].Code != "32" {
		t.Fatalf("provinces = %+v", top)
	}
	// A bad set leaves the old one in place.
	bad := [][]wilayah.Region{
		{{Code: "33", Name: "X", Level: 2}},
		{{Code: "33", Name: "", Level: 1}},
		{{Code: "3a", Name: "X", Level: 1}},
		{{Code: "33", Name: "X", Level: 1}, {Code: "33", Name: "Y", Level: 1}},
	}
	for _, b := range bad {
		if _, err := f.s.ImportRegions(ctx, b); err == nil {
			t.Errorf("import of %+v accepted", b)
		}
	}
	if c, _ := f.s.RegionCount(ctx); c != 5 {
		t.Fatalf("after failed imports: %d regions", c)
	}
	// A new import replaces everything.
	f.s.ImportRegions(ctx, regs[:1])
	if _, err := f.s.Region(ctx, "32.11"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old region survived a replace: %v", err)
	}
}

func TestImportRegionsShared(t *testing.T) {
	regs := loadWilayah(t)
	f := newFixture(t)
	n, err := f.s.ImportRegions(ctx, regs)
	if err != nil {
		t.Fatal(err)
	}
	if n != 91599 {
		t.Fatalf("imported %d regions, want 91599", n)
	}
	tests := []struct {
		parent string
		count  int
	}{{"", 38}, {"32", 27}, {"32.11", 26}}
	for _, tt := range tests {
		kids, err := f.s.RegionChildren(ctx, tt.parent)
		if err != nil || len(kids) != tt.count {
			t.Errorf("children of %q: %d, %v; want %d", tt.parent, len(kids), err, tt.count)
		}
	}
	r, err := f.s.Region(ctx, "12.07.28.1007")
	if err != nil || r.Name != "Lubuk Pakam I,II" {
		t.Fatalf("Region = %+v, %v", r, err)
	}
	var plan string
	f.s.r.QueryRow(`EXPLAIN QUERY PLAN SELECT code FROM regions WHERE parent = ? ORDER BY code`, "32").Scan(new(int), new(int), new(int), &plan)
	if plan == "" || !strings.Contains(plan, "regions_parent") {
		t.Fatalf("children query does not use the parent index: %q", plan)
	}
}
