package store

import (
	"fmt"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// benchRegions returns a store holding the shared region master data and
// the codes of its kab/kota and kecamatan levels.
func benchRegions(b *testing.B) (*fixture, []wilayah.Region) {
	regs := loadWilayah(b)
	f := newFixture(b)
	if _, err := f.s.ImportRegions(ctx, regs); err != nil {
		b.Fatal(err)
	}
	return f, regs
}

func BenchmarkImportRegions(b *testing.B) {
	regs := loadWilayah(b)
	f := newFixture(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.s.ImportRegions(ctx, regs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(regs)), "regions/op")
}

func BenchmarkRegionByCode(b *testing.B) {
	f, regs := benchRegions(b)
	i := 0
	for b.Loop() {
		r := regs[(i*7919)%len(regs)]
		i++
		if _, err := f.s.Region(ctx, r.Code); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegionChildren(b *testing.B) {
	f, regs := benchRegions(b)
	for _, lvl := range []wilayah.Level{wilayah.KabKota, wilayah.Kecamatan} {
		var parents []string
		for _, r := range regs {
			if r.Level == lvl {
				parents = append(parents, r.Code)
			}
		}
		b.Run(fmt.Sprintf("level%d", lvl), func(b *testing.B) {
			i, n := 0, 0
			for b.Loop() {
				kids, err := f.s.RegionChildren(ctx, parents[(i*7919)%len(parents)])
				if err != nil {
					b.Fatal(err)
				}
				i++
				n += len(kids)
			}
			b.ReportMetric(float64(n)/float64(b.N), "children/op")
		})
	}
}

func BenchmarkResidentAdd(b *testing.B) {
	f := newFixture(b)
	i := 0
	for b.Loop() {
		if _, err := f.s.AddResident(ctx, f.op(), resident(fmt.Sprintf("3211%012d", i), "BENCH")); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkResidentByNIK(b *testing.B) {
	f := newFixture(b)
	const n = 1000
	for i := range n {
		if _, err := f.s.AddResident(ctx, f.op(), resident(fmt.Sprintf("3211%012d", i), "BENCH")); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := f.s.ResidentByNIK(ctx, f.op(), fmt.Sprintf("3211%012d", (i*7)%n)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSaveCapture(b *testing.B) {
	f := newFixture(b)
	rid, _ := f.s.AddResident(ctx, f.op(), resident("3211010101900001", "BENCH"))
	eid, _ := f.s.CreateEnrollment(ctx, f.op(), rid)
	blob := make([]byte, 8<<10)
	b.SetBytes(int64(len(blob)))
	i := 0
	for b.Loop() {
		if err := f.s.SaveCapture(ctx, f.op(), eid, fmt.Sprintf("finger.%d", i%10), blob, CaptureMeta{Quality: 80}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
