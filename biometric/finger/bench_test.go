package finger

import "testing"

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

// BenchmarkVerify is a full 1:1 comparison including both preparations.
func BenchmarkVerify(b *testing.B) {
	x := extractFVC(b, "DB1_B", 101, 1, 500)
	y := extractFVC(b, "DB1_B", 101, 2, 500)
	b.ReportAllocs()
	for b.Loop() {
		Verify(x, y)
	}
}
