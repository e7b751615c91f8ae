package ansinist

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// TestReferenceFilesRoundTrip parses every NIST reference transaction and
// writes it back: the bytes must be identical.
func TestReferenceFilesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(shareddata.Require(t, "ansi-nist"), "*.an2"))
	if len(files) == 0 {
		t.Fatal("no .an2 files")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tx, err := Parse(data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			cnt, err := tx.Contents()
			if err != nil || len(cnt) != len(tx.Records) {
				t.Fatalf("contents %v (%v) for %d records", cnt, err, len(tx.Records))
			}
			out, err := tx.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				i := 0
				for i < len(out) && i < len(data) && out[i] == data[i] {
					i++
				}
				t.Fatalf("written %d bytes, read %d; first difference at byte %d", len(out), len(data), i)
			}
			var types []int
			for _, r := range tx.Records {
				types = append(types, r.Type)
			}
			t.Logf("%d records, types %v", len(tx.Records), types)
		})
	}
}

// BenchmarkParseMarshal reads and writes the largest NIST transaction (a
// ten-print card of 15 records).
func BenchmarkParseMarshal(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(shareddata.Require(b, "ansi-nist"), "sample-type4-tpcard.an2"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		tx, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}
