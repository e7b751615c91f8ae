package index_test

import (
	"strconv"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/dedup/index"
)

// BenchmarkSearch times one 10-finger + 2-iris search in a gallery of
// template-synthetic identities (rekamctl bench dedup measures the same
// with real-image probes at 10⁴–10⁵ identities).
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := index.New()
			for i := 0; i < n; i++ {
				x.Add(strconv.Itoa(i), record(uint64(i)))
			}
			p := perturbed(record(uint64(n/2)), 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if got := x.Search(p, index.Options{}); got[0].ID != strconv.Itoa(n/2) {
					b.Fatalf("mate not first: %s", got[0].ID)
				}
			}
		})
	}
}

// BenchmarkLoadEntry times decoding one stored entry and adding it.
func BenchmarkLoadEntry(b *testing.B) {
	e, _ := index.NewEntry(record(1))
	raw, _ := e.MarshalBinary()
	x := index.New()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var d index.Entry
		if err := d.UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
		x.AddEntry(strconv.Itoa(i), &d)
	}
}
