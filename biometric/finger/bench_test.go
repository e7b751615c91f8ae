package finger

import (
	"testing"

	"github.com/rekam-ktp/rekam/biometric/formats/minutiae"
)

func BenchmarkExtract(b *testing.B) {
	im := loadFVC(b, "DB1_B", 101, 1, 500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(im); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemplateMarshal(b *testing.B) {
	t := extractFVC(b, "DB1_B", 101, 1, 500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemplateUnmarshal(b *testing.B) {
	t := extractFVC(b, "DB1_B", 101, 1, 500)
	buf, _ := t.MarshalBinary()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		var x Template
		if err := x.UnmarshalBinary(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScore is one 1:N comparison: a prepared probe against a prepared
// gallery entry (half genuine, half impostor).
func BenchmarkScore(b *testing.B) {
	p := NewProbe(extractFVC(b, "DB1_B", 101, 1, 500))
	gs := []*Prepared{Prepare(extractFVC(b, "DB1_B", 101, 2, 500)), Prepare(extractFVC(b, "DB1_B", 102, 1, 500))}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.Score(gs[i&1])
		i++
	}
}

// BenchmarkNewProbe is the probe side's preparation (neighbours and edge
// hash), paid once per search or per probe in the evaluation loop.
func BenchmarkNewProbe(b *testing.B) {
	t := extractFVC(b, "DB1_B", 101, 1, 500)
	b.ReportAllocs()
	for b.Loop() {
		NewProbe(t)
	}
}

// BenchmarkVerify is a full 1:1 comparison including both preparations.
func BenchmarkVerify(b *testing.B) {
	x := extractFVC(b, "DB1_B", 101, 1, 500)
	y := extractFVC(b, "DB1_B", 101, 2, 500)
	b.ReportAllocs()
	for b.Loop() {
		Verify(x, y)
	}
}

func BenchmarkISOExport(b *testing.B) {
	t := extractFVC(b, "DB1_B", 101, 1, 500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.ToRecord(RecordOptions{}).Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkISOImport(b *testing.B) {
	buf, err := extractFVC(b, "DB1_B", 101, 1, 500).ToRecord(RecordOptions{}).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := minutiae.Unmarshal(buf)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := FromRecord(r, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGallerySearch is one 1:N search over a gallery of 80 fingers
// (reported per search; divide by 80 for the per-entry cost).
func BenchmarkGallerySearch(b *testing.B) {
	var g Gallery
	for f := 101; f <= 110; f++ {
		for i := 2; i <= 9; i++ {
			g.Add("x", extractFVC(b, "DB1_B", f, (i-1)%8+1, 500))
		}
	}
	probe := extractFVC(b, "DB1_B", 105, 1, 500)
	b.ReportAllocs()
	for b.Loop() {
		g.Search(probe, ThresholdForFMR(0.001), 10)
	}
}

// BenchmarkScoreSet is the FVC protocol's comparison loop on DB1_B: every
// impression (80) as a probe against every later impression, prepared
// once. ns/op is per comparison.
func BenchmarkScoreSet(b *testing.B) { benchScoreSet(b, "DB1_B", 500) }

// BenchmarkScoreSetDB2 is BenchmarkScoreSet on DB2_B (569 dpi), whose
// prints hold the most minutiae of the four sets and so cost the most.
func BenchmarkScoreSetDB2(b *testing.B) { benchScoreSet(b, "DB2_B", 569) }

func benchScoreSet(b *testing.B, set string, dpi float64) {
	var probes []*Probe
	var preps []*Prepared
	for f := 101; f <= 110; f++ {
		for i := 1; i <= 8; i++ {
			t := extractFVC(b, set, f, i, dpi)
			probes = append(probes, NewProbe(t))
			preps = append(preps, Prepare(t))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for n < b.N {
		for i := range probes {
			for j := i + 1; j < len(preps) && n < b.N; j++ {
				probes[i].Score(preps[j])
				n++
			}
		}
	}
}
