// Package nik parses and checks Indonesian population numbers: the NIK
// (Nomor Induk Kependudukan) and the KK (Kartu Keluarga) number.
//
// A NIK is 16 digits: 1–6 the kecamatan where it was first registered
// (prov+kab/kota+kec), 7–12 the birth date DDMMYY with 40 added to the day
// for women, 13–16 a serial from 0001 (PP 37/2007 Pasal 37, unchanged by
// PP 40/2019). The numbers are strings everywhere: Papua NIKs exceed 2^53.
//
// Verdicts carry stable codes (see Code): an error rejects the number, a
// warning only informs. A region prefix that is retired or unknown is a
// warning, never an error, because a NIK keeps its first prefix for life;
// a province that does not exist is an error. The century is chosen as the
// most recent year (20yy or 19yy) giving a real, non-future date, against an
// injectable clock.
package nik

import (
	"fmt"
	"time"
)

// Sex is the sex a NIK encodes: "L" (laki-laki) or "P" (perempuan).
type Sex string

// The two sexes, as printed on KTP-el.
const (
	Male   Sex = "L"
	Female Sex = "P"
)

// Regions tells the parser which region codes exist. The station's store or
// an in-memory table (wilayah.Checker) backs it.
type Regions interface {
	// Province reports whether a two-digit province code ("32") is current.
	Province(code string) bool
	// Region reports whether a dotted kab/kota ("32.11") or kecamatan
	// ("32.11.01") code is current (known) or appears only in a retired
	// edition (historic).
	Region(code string) (known, historic bool)
}

// Options are the parser's inputs besides the number.
type Options struct {
	// Now is the clock the century rule and the future check use; nil
	// means time.Now.
	Now func() time.Time
	// Regions checks the prefix; nil means the province is checked against
	// the built-in list of current provinces and the rest of the prefix is
	// left unchecked (warning region_unknown).
	Regions Regions
}

// Result is a parsed, valid NIK.
type Result struct {
	// NIK is the 16 digits, with input separators removed.
	NIK string
	// Prefix is digits 1–6, the kecamatan of first registration.
	Prefix string
	// Province, KabKota and Kecamatan are the prefix as dotted codes:
	// "32", "32.11", "32.11.01".
	Province, KabKota, Kecamatan string
	// Sex is the sex the day code encodes.
	Sex Sex
	// BirthDate is the encoded birth date (UTC midnight).
	BirthDate time.Time
	// AltBirthDate is the other century's date when the century is
	// ambiguous (warning century_ambiguous), else the zero time.
	AltBirthDate time.Time
	// Serial is digits 13–16, 1–9999.
	Serial int
	// Warnings lists the warning codes, in a fixed order.
	Warnings []Code
}

// BirthDateString returns the birth date as YYYY-MM-DD.
func (r Result) BirthDateString() string { return r.BirthDate.Format(time.DateOnly) }

// KK is a parsed, valid Kartu Keluarga number.
type KK struct {
	// Number is the 16 digits, with input separators removed.
	Number string
	// Prefix is digits 1–6, the kecamatan where the KK was issued.
	Prefix string
	// Province, KabKota and Kecamatan are the prefix as dotted codes.
	Province, KabKota, Kecamatan string
	// IssueDate is the encoded recording/issue date (UTC midnight).
	IssueDate time.Time
	// Serial is digits 13–16, the family serial, 1–9999.
	Serial int
	// Warnings lists the warning codes, in a fixed order.
	Warnings []Code
}

// number is what a NIK and a KK number share once decoded.
type number struct {
	digits                       string
	province, kabkota, kecamatan string
	date, alt                    time.Time
	female                       bool
	serial                       int
	warnings                     []Code
}

// maxInput bounds the raw input so a hostile string is rejected before any
// work proportional to its size.
const maxInput = 64

// Parse checks a NIK and decodes it. Spaces, dots and dashes in s are
// ignored. An invalid NIK returns a *Error with its Code.
func Parse(s string, opts Options) (Result, error) {
	n, err := decode(s, true, opts)
	if err != nil {
		return Result{}, err
	}
	r := Result{
		NIK: n.digits, Prefix: n.digits[:6],
		Province: n.province, KabKota: n.kabkota, Kecamatan: n.kecamatan,
		Sex: Male, BirthDate: n.date, AltBirthDate: n.alt, Serial: n.serial, Warnings: n.warnings,
	}
	if n.female {
		r.Sex = Female
	}
	return r, nil
}

// ParseKK checks a KK number and decodes it: 16 digits, a current province,
// a real non-future issue date DDMMYY (no +40), serial from 0001; an unknown
// or retired region prefix is a warning. An invalid number returns a *Error.
func ParseKK(s string, opts Options) (KK, error) {
	n, err := decode(s, false, opts)
	if err != nil {
		return KK{}, err
	}
	return KK{
		Number: n.digits, Prefix: n.digits[:6],
		Province: n.province, KabKota: n.kabkota, Kecamatan: n.kecamatan,
		IssueDate: n.date, Serial: n.serial, Warnings: n.warnings,
	}, nil
}

// CodeOf returns the Code of an error from Parse or ParseKK, or "" when err
// is nil or not a *Error.
func CodeOf(err error) Code {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}

// Normalize removes the separators people type (spaces, tabs, dots,
// dashes) from s. It does not validate.
func Normalize(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '.', '-':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// decode runs the shared checks. withSex allows day codes 41–71 (NIK);
// without it (KK) only 01–31 are dates and the century is not flagged.
func decode(s string, withSex bool, opts Options) (number, error) {
	if len(s) > maxInput {
		return number{}, &Error{ErrLength, fmt.Sprintf("%d characters, want 16 digits", len(s))}
	}
	d := Normalize(s)
	if len(d) != 16 {
		return number{}, &Error{ErrLength, fmt.Sprintf("%d characters after removing separators, want 16 digits", len(d))}
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return number{}, &Error{ErrNonDigit, fmt.Sprintf("character %d is not a digit", i+1)}
		}
	}
	n := number{
		digits:    d,
		province:  d[0:2],
		kabkota:   d[0:2] + "." + d[2:4],
		kecamatan: d[0:2] + "." + d[2:4] + "." + d[4:6],
		serial:    atoi(d[12:16]),
	}
	if !provinceKnown(n.province, opts.Regions) {
		return number{}, &Error{ErrUnknownProvince, "province " + n.province + " is not a current province code"}
	}
	day, month, yy := atoi(d[6:8]), atoi(d[8:10]), atoi(d[10:12])
	switch {
	case day >= 1 && day <= 31:
	case withSex && day >= 41 && day <= 71:
		n.female, day = true, day-40
	default:
		want := "01–31"
		if withSex {
			want = "01–31 or 41–71"
		}
		return number{}, &Error{ErrBadDayCode, fmt.Sprintf("day code %02d, want %s", day, want)}
	}
	if month < 1 || month > 12 {
		return number{}, &Error{ErrBadMonth, fmt.Sprintf("month %02d, want 01–12", month)}
	}
	date, alt, ok := resolveCentury(day, month, yy, today(opts.Now))
	if !ok {
		return number{}, &Error{ErrInvalidDate, fmt.Sprintf("%02d-%02d-%02d is no real past date in 19%02d or 20%02d", day, month, yy, yy, yy)}
	}
	if n.serial == 0 {
		return number{}, &Error{ErrSerial0000, "serial 0000, serials start at 0001"}
	}
	n.date = date
	if withSex && !alt.IsZero() {
		n.alt = alt
		n.warnings = append(n.warnings, WarnCenturyAmbiguous)
	}
	if w := regionWarning(n, opts.Regions); w != "" {
		n.warnings = append(n.warnings, w)
	}
	return n, nil
}

// resolveCentury returns the most recent of 20yy and 19yy that makes a real
// date on or before today, and the other one when it qualifies too.
func resolveCentury(day, month, yy int, today time.Time) (best, alt time.Time, ok bool) {
	var found []time.Time
	for _, century := range []int{2000, 1900} {
		t := time.Date(century+yy, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if t.Day() != day || t.Month() != time.Month(month) || t.After(today) {
			continue
		}
		found = append(found, t)
	}
	switch len(found) {
	case 0:
		return time.Time{}, time.Time{}, false
	case 1:
		return found[0], time.Time{}, true
	default:
		return found[0], found[1], true
	}
}

// today returns the current calendar date, in the clock's own zone, as UTC
// midnight.
func today(now func() time.Time) time.Time {
	if now == nil {
		now = time.Now
	}
	y, m, d := now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func provinceKnown(code string, r Regions) bool {
	if r != nil {
		return r.Province(code)
	}
	for _, p := range Provinces {
		if p == code {
			return true
		}
	}
	return false
}

// regionWarning classifies the kab/kota and kecamatan of the prefix.
func regionWarning(n number, r Regions) Code {
	if r == nil {
		return WarnRegionUnchecked
	}
	if known, historic := r.Region(n.kecamatan); known {
		return ""
	} else if historic {
		return WarnRegionHistoric
	}
	known, historic := r.Region(n.kabkota)
	switch {
	case historic && !known:
		return WarnRegionHistoric
	case !known:
		return WarnRegionUnknownKabKota
	default:
		return WarnRegionUnknownKecamatan
	}
}

// atoi converts a short run of ASCII digits already checked by the caller.
func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// Provinces lists the 38 current province codes (Kepmendagri
// 300.2.2-2138/2025), used when no region table is given.
var Provinces = []string{
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
	"31", "32", "33", "34", "35", "36", "51", "52", "53",
	"61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
	"81", "82", "91", "92", "93", "94", "95", "96",
}

// CheckBiodata compares the NIK with the biodata's sex and birth date and
// returns the mismatch warnings (never errors: a corrected birth date keeps
// its NIK). An empty sex or a zero birthDate is not compared. When the
// century is ambiguous, either century's date matches.
func (r Result) CheckBiodata(sex Sex, birthDate time.Time) []Code {
	var w []Code
	if sex != "" && sex != r.Sex {
		w = append(w, WarnSexMismatch)
	}
	if !birthDate.IsZero() {
		y, m, d := birthDate.Date()
		b := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if !b.Equal(r.BirthDate) && (r.AltBirthDate.IsZero() || !b.Equal(r.AltBirthDate)) {
			w = append(w, WarnBirthDateMismatch)
		}
	}
	return w
}

// Mask hides the birth-date digits of a 16-digit number for lists and
// screens that do not need it ("321101******0001"). Other input is returned
// fully masked.
func Mask(s string) string {
	if len(s) != 16 {
		return "****************"[:min(len(s), 16)]
	}
	return s[:6] + "******" + s[12:]
}
