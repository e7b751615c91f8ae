package wilayah

import (
	"testing"
)

func testIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := NewIndex([]Region{
		{"32.11.01", "Wado", Kecamatan}, {"32", "Jawa Barat", Provinsi}, {"32.11.02", "Jatinunggal", Kecamatan},
		{"32.11", "Kabupaten Sumedang", KabKota}, {"32.11.01.2001", "Cikareo Selatan", Desa}, {"11", "Aceh", Provinsi},
		{"93.01.01.9999", "Orphan", Desa},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestIndex(t *testing.T) {
	ix := testIndex(t)
	if ix.Len() != 7 {
		t.Errorf("Len = %d", ix.Len())
	}
	if r, ok := ix.Lookup("32.11.01"); !ok || r.Name != "Wado" {
		t.Errorf("Lookup(32.11.01) = %+v, %v", r, ok)
	}
	if _, ok := ix.Lookup("32.11.03"); ok {
		t.Error("Lookup found a missing code")
	}
	codes := func(rs []Region) (s []string) {
		for _, r := range rs {
			s = append(s, r.Code)
		}
		return s
	}
	tests := map[string][]string{"": {"11", "32"}, "32": {"32.11"}, "32.11": {"32.11.01", "32.11.02"}, "32.11.01": {"32.11.01.2001"}, "33": nil}
	for parent, want := range tests {
		if got := codes(ix.Children(parent)); !equal(got, want) {
			t.Errorf("Children(%q) = %v, want %v", parent, got, want)
		}
	}
	if got := codes(ix.Path("32.11.01.2001")); !equal(got, []string{"32", "32.11", "32.11.01", "32.11.01.2001"}) {
		t.Errorf("Path = %v", got)
	}
	if got := codes(ix.Path("93.01.01.9999")); !equal(got, []string{"93.01.01.9999"}) {
		t.Errorf("Path of an orphan = %v", got)
	}
	if _, err := NewIndex([]Region{{"32", "A", Provinsi}, {"32", "B", Provinsi}}); err == nil {
		t.Error("NewIndex accepted a duplicate code")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestChecker(t *testing.T) {
	c := NewChecker(testIndex(t), []Historic{{Region: Region{"91.01", "KAB. MERAUKE", KabKota}}, {Region: Region{"91.01.01", "Merauke", Kecamatan}}})
	tests := []struct {
		code            string
		known, historic bool
		name            string
	}{
		{"32.11.01", true, false, "Wado"},
		{"91.01", false, true, "KAB. MERAUKE"},
		{"91.01.01", false, true, "Merauke"},
		{"64.73", false, false, ""},
	}
	for _, tt := range tests {
		k, h := c.Region(tt.code)
		n, _ := c.Name(tt.code)
		if k != tt.known || h != tt.historic || n != tt.name {
			t.Errorf("%s: known %v historic %v name %q; want %v %v %q", tt.code, k, h, n, tt.known, tt.historic, tt.name)
		}
	}
	if !c.Province("32") || c.Province("33") || c.Province("32.11") {
		t.Error("Province answers wrong")
	}
}

// BenchmarkIndex measures lookups in the full national table (91,599
// regions) when the shared data is present.
func BenchmarkIndex(b *testing.B) {
	rs := loadShared(b)
	ix, err := NewIndex(rs)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Lookup", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, ok := ix.Lookup(rs[i%len(rs)].Code); !ok {
				b.Fatal("missing")
			}
			i += 7919
		}
	})
	b.Run("Children", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(ix.Children("32.11")) != 26 {
				b.Fatal("children")
			}
		}
	})
	b.Run("Path", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(ix.Path("32.11.01.2001")) != 4 {
				b.Fatal("path")
			}
		}
	})
	b.Run("NewIndex", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewIndex(rs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParseCSV(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadShared(b)
	}
}
