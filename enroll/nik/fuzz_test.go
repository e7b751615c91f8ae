package nik_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/nik"
)

// FuzzParse checks that Parse never panics, that an invalid input always
// carries a known error code, and that a valid result re-parses from its own
// NIK to the same result.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"3211010101900001", "3211014101900001", "3211016902000001", "3211012902010001",
		"3211010001900001", "9101010101900001", "32.11.01-010190 0001", "32110101019O0001",
		"", "0", strings.Repeat("9", 16), "3211017112990001", "3211010101250001",
	} {
		f.Add(s)
	}
	table := fakeRegions{"32": "current", "32.11": "current", "32.11.01": "current", "91": "current", "91.01.01": "historic"}
	f.Fuzz(func(t *testing.T, s string) {
		for _, regions := range []nik.Regions{nil, table} {
			opts := nik.Options{Now: clock(vectorsToday), Regions: regions}
			r, err := nik.Parse(s, opts)
			if err != nil {
				if c := nik.CodeOf(err); !slices.Contains(nik.Errors, c) {
					t.Fatalf("Parse(%q): error %v has no known code", s, err)
				}
				continue
			}
			for _, w := range r.Warnings {
				if !w.IsWarning() {
					t.Fatalf("Parse(%q): warning %q is not a warning code", s, w)
				}
			}
			if len(r.NIK) != 16 || r.Serial < 1 || r.Serial > 9999 || r.BirthDate.After(vectorsToday) {
				t.Fatalf("Parse(%q) accepted an impossible result %+v", s, r)
			}
			again, err := nik.Parse(r.NIK, opts)
			if err != nil || !reflect.DeepEqual(again, r) {
				t.Fatalf("re-parse of %q: %+v, %v; first %+v", r.NIK, again, err, r)
			}
		}
	})
}

// FuzzParseKK checks ParseKK the same way.
func FuzzParseKK(f *testing.F) {
	for _, s := range []string{"3211011503150007", "3211015503150007", "321101150315000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		opts := nik.Options{Now: clock(vectorsToday)}
		k, err := nik.ParseKK(s, opts)
		if err != nil {
			if nik.CodeOf(err) == "" {
				t.Fatalf("ParseKK(%q): error %v has no code", s, err)
			}
			return
		}
		again, err := nik.ParseKK(k.Number, opts)
		if err != nil || !reflect.DeepEqual(again, k) {
			t.Fatalf("re-parse of %q: %+v, %v; first %+v", k.Number, again, err, k)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	opts := nik.Options{Now: clock(vectorsToday)}
	b.Run("no-table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := nik.Parse("3211014101900001", opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wilayah-table", func(b *testing.B) {
		opts.Regions = sharedChecker(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := nik.Parse("3211014101900001", opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
