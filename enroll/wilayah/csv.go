package wilayah

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// ParseError is a bad row or header in a master-data file: which file
// (when known), which line, and what is wrong.
type ParseError struct {
	// File is the file's name or archive path; "" when the caller gave a
	// bare reader.
	File string
	// Line is the 1-based line number.
	Line int
	// Err says what is wrong.
	Err error
}

// Error returns "file line N: what".
func (e *ParseError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// maxLine bounds one CSV line, so a file without newlines cannot make the
// reader buffer it whole. Real rows are under 200 bytes.
const maxLine = 4096

// errLineTooLong is returned by lineLimit when a line exceeds maxLine.
var errLineTooLong = fmt.Errorf("line longer than %d bytes", maxLine)

// lineLimit passes reads through while counting lines and failing on a line
// longer than maxLine.
type lineLimit struct {
	r     io.Reader
	lines int // completed lines
	cur   int // bytes in the current line
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.lines++
			l.cur = 0
			continue
		}
		if l.cur++; l.cur > maxLine {
			return i, errLineTooLong
		}
	}
	return n, err
}

// readTable reads a CSV whose first line must be exactly header and calls
// row for every further record with its line number. Errors are
// *ParseError naming file and line.
func readTable(r io.Reader, file string, header []string, row func(rec []string, line int) error) error {
	ll := &lineLimit{r: r}
	cr := csv.NewReader(ll)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			if first {
				return &ParseError{File: file, Line: 1, Err: errors.New("empty file, want header " + strings.Join(header, ","))}
			}
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &ParseError{File: file, Line: pe.Line, Err: pe.Err}
			}
			return &ParseError{File: file, Line: ll.lines + 1, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			for i, h := range header {
				if strings.TrimSpace(rec[i]) != h {
					return &ParseError{File: file, Line: line, Err: fmt.Errorf("header %q, want %q", strings.Join(rec, ","), strings.Join(header, ","))}
				}
			}
			continue
		}
		if err := row(rec, line); err != nil {
			return &ParseError{File: file, Line: line, Err: err}
		}
	}
}

// regionOf checks one code and name (and the level the file says, when
// want is not 0) and returns the region.
func regionOf(code, name string, want Level) (Region, error) {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	lvl, err := LevelOf(code)
	if err != nil {
		return Region{}, err
	}
	if want != 0 && lvl != want {
		return Region{}, fmt.Errorf("code %q is a %s code, the row says %s", code, lvl, want)
	}
	if name == "" {
		return Region{}, fmt.Errorf("code %q: empty name", code)
	}
	if !utf8.ValidString(name) {
		return Region{}, fmt.Errorf("code %q: name is not valid UTF-8", code)
	}
	return Region{Code: code, Name: name, Level: lvl}, nil
}

// dedup remembers codes already read, to reject a repeated one.
type dedup map[string]struct{}

func (d dedup) add(code string) error {
	if _, dup := d[code]; dup {
		return fmt.Errorf("code %q appears twice", code)
	}
	d[code] = struct{}{}
	return nil
}

// ParseCSV reads the code,name,level layout of wilayah.csv (header line
// first; level one of provinsi, kabkota, kecamatan, desakel). Every code
// must be well formed, match its level and appear once. Errors name the
// line (*ParseError).
func ParseCSV(r io.Reader) ([]Region, error) {
	var out []Region
	err := readLevelled(r, []string{"code", "name", "level"}, func(reg Region, _ []string) {
		out = append(out, reg)
	})
	if err != nil {
		return nil, fmt.Errorf("region csv: %w", err)
	}
	return out, nil
}

// Historic is a region code from an earlier edition of the code list that
// is no longer current (e.g. Papua kab/kecamatan renumbered in 2022). Old
// NIKs still carry such prefixes.
type Historic struct {
	Region
	// Editions lists the editions (years) the code appears in.
	Editions []string `json:"editions"`
}

// ParseHistoricCSV reads historic_codes_not_current.csv:
// code,name,level,present_in_editions (editions space-separated).
func ParseHistoricCSV(r io.Reader) ([]Historic, error) {
	var out []Historic
	err := readLevelled(r, []string{"code", "name", "level", "present_in_editions"}, func(reg Region, rec []string) {
		out = append(out, Historic{Region: reg, Editions: strings.Fields(rec[3])})
	})
	if err != nil {
		return nil, fmt.Errorf("historic region csv: %w", err)
	}
	return out, nil
}

// readLevelled reads a table whose first three columns are code,name,level,
// checks each row and hands it to add; codes must be unique.
func readLevelled(r io.Reader, header []string, add func(reg Region, rec []string)) error {
	seen := dedup{}
	return readTable(r, "", header, func(rec []string, _ int) error {
		lvl, err := ParseLevel(rec[2])
		if err != nil {
			return err
		}
		reg, err := regionOf(rec[0], rec[1], lvl)
		if err != nil {
			return err
		}
		if err := seen.add(reg.Code); err != nil {
			return err
		}
		add(reg, rec)
		return nil
	})
}

// ReadFile opens the file at path and parses it with parse (ParseCSV,
// ParseHistoricCSV, ParseNPMPackage …); errors name the path.
func ReadFile[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("read region data: %w", err)
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
