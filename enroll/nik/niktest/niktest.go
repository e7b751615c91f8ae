// Package niktest loads the shared NIK test vectors
// (../shared/data/nik/nik_test_vectors.csv) for tests of the NIK parser and
// of the commands built on it.
package niktest

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// Today is the date the vectors are judged against.
var Today = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Vector is one row of the vectors file.
type Vector struct {
	NIK   string
	Valid bool
	// Sex ("L"/"P") and BirthDate (YYYY-MM-DD) are set for valid rows.
	Sex, BirthDate string
	// Codes are the expected warnings (valid) or the one error (invalid).
	Codes []string
	Note  string
}

// Vectors returns every vector, or skips the test when the shared data is
// absent (fails in CI).
func Vectors(tb testing.TB) []Vector {
	tb.Helper()
	f, err := os.Open(shareddata.Require(tb, "nik", "nik_test_vectors.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	vs, err := Read(f)
	if err != nil {
		tb.Fatal(err)
	}
	return vs
}

// Read parses the vectors file: a header, then
// nik,result,sex,birth_date,warnings_or_error,note.
func Read(r io.Reader) ([]Vector, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 6
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("nik vectors: %w", err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("nik vectors: no rows")
	}
	var out []Vector
	for i, row := range rows[1:] {
		if row[1] != "valid" && row[1] != "invalid" {
			return nil, fmt.Errorf("nik vectors line %d: result %q", i+2, row[1])
		}
		out = append(out, Vector{NIK: row[0], Valid: row[1] == "valid", Sex: row[2], BirthDate: row[3],
			Codes: strings.FieldsFunc(row[4], func(r rune) bool { return r == ';' || r == ' ' || r == '|' }), Note: row[5]})
	}
	return out, nil
}
