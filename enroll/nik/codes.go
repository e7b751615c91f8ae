package nik

// Code is a stable, machine-readable verdict: an error code (the number is
// rejected) or a warning code (the number is accepted, the operator is told).
// The strings never change; user interfaces translate them.
type Code string

// Error codes. A number with one of these is invalid.
const (
	// ErrLength: not exactly 16 digits after removing spaces, dots and dashes.
	ErrLength Code = "length"
	// ErrNonDigit: a character other than an ASCII digit.
	ErrNonDigit Code = "non_digit"
	// ErrUnknownProvince: digits 1–2 are not a current province code.
	ErrUnknownProvince Code = "unknown_province"
	// ErrBadDayCode: digits 7–8 are not 01–31 (or 41–71 for a woman's NIK).
	ErrBadDayCode Code = "bad_day_code"
	// ErrBadMonth: digits 9–10 are not 01–12.
	ErrBadMonth Code = "bad_month"
	// ErrInvalidDate: DDMMYY is not a real, non-future date in 19yy or 20yy.
	ErrInvalidDate Code = "invalid_date"
	// ErrSerial0000: digits 13–16 are 0000 (serials start at 0001).
	ErrSerial0000 Code = "serial_0000"
)

// Warning codes. A number with only these is valid.
const (
	// WarnCenturyAmbiguous: the date is real and past in both 19yy and
	// 20yy; the more recent one was chosen. The biodata decides.
	WarnCenturyAmbiguous Code = "century_ambiguous"
	// WarnRegionUnchecked: no region master data was available, so the
	// kab/kota and kecamatan of the prefix were not checked.
	WarnRegionUnchecked Code = "region_unknown"
	// WarnRegionHistoric: the prefix is a retired code of an earlier
	// edition (e.g. Papua 91/92 before the 2022 split).
	WarnRegionHistoric Code = "region_historic"
	// WarnRegionUnknownKabKota: digits 1–4 are in no known edition.
	WarnRegionUnknownKabKota Code = "region_unknown_kabkota"
	// WarnRegionUnknownKecamatan: the kab/kota is known, the kecamatan
	// (digits 5–6) is not.
	WarnRegionUnknownKecamatan Code = "region_unknown_kecamatan"
	// WarnSexMismatch: the NIK's sex (day + 40) differs from the biodata.
	WarnSexMismatch Code = "sex_mismatch"
	// WarnBirthDateMismatch: the NIK's date differs from the biodata's
	// birth date (allowed: a corrected birth date keeps its NIK).
	WarnBirthDateMismatch Code = "birth_date_mismatch"
)

// Error is the error Parse and ParseKK return for an invalid number.
type Error struct {
	// Code is the stable reason.
	Code Code
	// Detail says what was wrong in words (never the number itself).
	Detail string
}

// Error returns "code: detail".
func (e *Error) Error() string { return string(e.Code) + ": " + e.Detail }

// Warnings lists every warning code; every other Code is an error.
var Warnings = []Code{
	WarnCenturyAmbiguous, WarnRegionUnchecked, WarnRegionHistoric, WarnRegionUnknownKabKota,
	WarnRegionUnknownKecamatan, WarnSexMismatch, WarnBirthDateMismatch,
}

// Errors lists every error code.
var Errors = []Code{
	ErrLength, ErrNonDigit, ErrUnknownProvince, ErrBadDayCode, ErrBadMonth, ErrInvalidDate, ErrSerial0000,
}

// IsWarning reports whether c is a warning code (accept and inform).
func (c Code) IsWarning() bool {
	for _, w := range Warnings {
		if w == c {
			return true
		}
	}
	return false
}
