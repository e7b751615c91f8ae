package enroll

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/siak"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// Severity says whether a problem blocks recording.
type Severity string

// Problem severities.
const (
	// SeverityError blocks: the biodata must be corrected first.
	SeverityError Severity = "error"
	// SeverityWarning informs the operator; recording may go on.
	SeverityWarning Severity = "warning"
)

// Problem is one finding about one field of a Resident.
//
// Codes are stable (user interfaces and tests key on them):
//
//	required                 a required field is empty
//	code_invalid             a SIAK code is not in its list
//	nik_<nik code>           NIK/KK/parent NIK verdicts of package nik, e.g.
//	                         nik_length, nik_invalid_date (errors) and
//	                         nik_region_historic, nik_sex_mismatch (warnings);
//	                         the KK uses kk_<nik code>
//	parent_nik_same          a parent's NIK equals the resident's
//	parent_nik_sex           the mother's NIK encodes a man / father's a woman (warning)
//	parent_born_after        a parent's NIK birth date is after the resident's (warning)
//	date_format              birth_date is not YYYY-MM-DD
//	date_future              birth_date is after today
//	age_implausible          birth_date more than MaxAge years ago
//	age_below_minimum        younger than the recording age and never married
//	name_format              control characters, digits or invalid UTF-8 in a name
//	too_long                 longer than the field allows
//	rt_rw_format             RT/RW not 1–3 digits or all zeros
//	desa_code_format         desa_code not NN.NN.NN.NNNN (first of the last four 1–3)
//	desa_unknown             desa_code not in the current master data (warning)
type Problem struct {
	// Field is the Resident field's JSON name.
	Field string `json:"field"`
	// Code is the stable reason.
	Code string `json:"code"`
	// Severity says whether the problem blocks.
	Severity Severity `json:"severity"`
	// MessageID is the message in Indonesian.
	MessageID string `json:"message_id"`
	// MessageEN is the message in English.
	MessageEN string `json:"message_en"`
}

// Problems is the result of ValidateResident, in field order.
type Problems []Problem

// HasErrors reports whether any problem blocks recording.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Codes returns "field:code" for every problem, for logs and tests (no
// personal data).
func (ps Problems) Codes() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field + ":" + p.Code
	}
	return out
}

// DefaultMinRecordingAge is the age KTP-el recording starts at for a
// resident who has never married.
const DefaultMinRecordingAge = 16

// MaxAge is the oldest birth date accepted, in years before today.
const MaxAge = 150

// ValidateOptions configure ValidateResident.
type ValidateOptions struct {
	// Now is the clock for the age rule and the NIK century rule; nil
	// means time.Now.
	Now func() time.Time
	// Regions checks NIK/KK prefixes and the desa code; nil leaves them
	// unchecked (NIK warning region_unknown).
	Regions nik.Regions
	// MinRecordingAge is the recording age for a resident who has never
	// married; 0 means DefaultMinRecordingAge.
	MinRecordingAge int
}

// fieldLabels are the F-1.01 labels (Indonesian, English) of each field.
var fieldLabels = map[string][2]string{
	"nik": {"NIK", "NIK"}, "kk": {"Nomor KK", "Family card (KK) number"},
	"name": {"Nama lengkap", "Full name"}, "birth_place": {"Tempat lahir", "Place of birth"},
	"birth_date": {"Tanggal lahir", "Date of birth"}, "sex": {"Jenis kelamin", "Sex"},
	"blood_type": {"Golongan darah", "Blood type"}, "religion": {"Agama", "Religion"},
	"marital": {"Status perkawinan", "Marital status"}, "family_relation": {"Status hubungan dalam keluarga", "Family relation"},
	"disability": {"Penyandang cacat", "Disability"}, "education": {"Pendidikan terakhir", "Education"},
	"occupation": {"Jenis pekerjaan", "Occupation"}, "mother_name": {"Nama ibu", "Mother's name"},
	"mother_nik": {"NIK ibu", "Mother's NIK"}, "father_name": {"Nama ayah", "Father's name"},
	"father_nik": {"NIK ayah", "Father's NIK"}, "address": {"Alamat", "Address"},
	"rt": {"RT", "RT"}, "rw": {"RW", "RW"}, "desa_code": {"Kode desa/kelurahan", "Desa/kelurahan code"},
	"citizenship": {"Kewarganegaraan", "Citizenship"},
}

// nikMessages explains each nik.Code (Indonesian, English), after the
// field label.
var nikMessages = map[nik.Code][2]string{
	nik.ErrLength:                  {"harus 16 angka", "must be 16 digits"},
	nik.ErrNonDigit:                {"hanya boleh berisi angka", "may contain digits only"},
	nik.ErrUnknownProvince:         {"kode provinsi (2 angka pertama) tidak dikenal", "unknown province code (first 2 digits)"},
	nik.ErrBadDayCode:              {"kode tanggal (angka 7–8) harus 01–31, atau 41–71 untuk perempuan", "day code (digits 7–8) must be 01–31, or 41–71 for women"},
	nik.ErrBadMonth:                {"kode bulan (angka 9–10) harus 01–12", "month (digits 9–10) must be 01–12"},
	nik.ErrInvalidDate:             {"tanggal (angka 7–12) bukan tanggal yang sah", "digits 7–12 are not a real past date"},
	nik.ErrSerial0000:              {"nomor urut (4 angka terakhir) tidak boleh 0000", "serial (last 4 digits) cannot be 0000"},
	nik.WarnCenturyAmbiguous:       {"abad tahun lahir tidak pasti; periksa tanggal lahir", "birth century ambiguous; check the date of birth"},
	nik.WarnRegionUnchecked:        {"kode wilayah tidak dapat diperiksa (data wilayah belum ada)", "region code not checked (no region master data)"},
	nik.WarnRegionHistoric:         {"kode wilayah lama (sudah tidak berlaku)", "retired region code from an earlier edition"},
	nik.WarnRegionUnknownKabKota:   {"kode kabupaten/kota tidak dikenal", "unknown kabupaten/kota code"},
	nik.WarnRegionUnknownKecamatan: {"kode kecamatan tidak dikenal", "unknown kecamatan code"},
	nik.WarnSexMismatch:            {"jenis kelamin dalam NIK berbeda dengan biodata", "sex in the NIK differs from the biodata"},
	nik.WarnBirthDateMismatch:      {"tanggal lahir dalam NIK berbeda dengan biodata", "birth date in the NIK differs from the biodata"},
}

// validator collects problems for one resident.
type validator struct {
	opts  ValidateOptions
	today time.Time
	ps    Problems
}

func (v *validator) add(field, code string, sev Severity, id, en string) {
	l := fieldLabels[field]
	v.ps = append(v.ps, Problem{Field: field, Code: code, Severity: sev,
		MessageID: l[0] + ": " + id, MessageEN: l[1] + ": " + en})
}

// ValidateResident checks a resident's biodata before recording and
// returns every problem found, errors and warnings, in field order. The
// biodata's birth date is the truth; the NIK is a cross-check whose
// mismatches are warnings (a corrected birth date keeps its NIK).
func ValidateResident(r Resident, opts ValidateOptions) Problems {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MinRecordingAge <= 0 {
		opts.MinRecordingAge = DefaultMinRecordingAge
	}
	y, m, d := opts.Now().Date()
	v := &validator{opts: opts, today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	nopts := nik.Options{Now: opts.Now, Regions: opts.Regions}

	birth, birthOK := v.birthDate(r.BirthDate)
	own, ownOK := v.nik("nik", "nik", r.NIK, true)
	if ownOK && r.Sex != 0 {
		var sex nik.Sex
		switch siak.JenisKelamin(r.Sex) {
		case siak.LakiLaki:
			sex = nik.Male
		case siak.Perempuan:
			sex = nik.Female
		}
		var bd time.Time
		if birthOK {
			bd = birth
		}
		for _, w := range own.CheckBiodata(sex, bd) {
			v.nikProblem("nik", "nik", w)
		}
	}
	if v.required("kk", r.KK) {
		if k, err := nik.ParseKK(r.KK, nopts); err != nil {
			v.nikProblem("kk", "kk", nik.CodeOf(err))
		} else {
			for _, w := range k.Warnings {
				v.nikProblem("kk", "kk", w)
			}
		}
	}
	v.name("name", r.Name, true)
	v.name("birth_place", r.BirthPlace, true)
	v.code("sex", r.Sex, true, siak.JenisKelamin(r.Sex).Valid())
	v.code("blood_type", r.BloodType, false, siak.GolonganDarah(r.BloodType).Valid())
	v.code("religion", r.Religion, true, siak.Agama(r.Religion).Valid())
	v.code("marital", r.Marital, true, siak.StatusPerkawinan(r.Marital).Valid())
	v.code("family_relation", r.FamilyRelation, true, siak.HubunganKeluarga(r.FamilyRelation).Valid())
	v.code("disability", r.Disability, false, siak.PenyandangCacat(r.Disability).Valid())
	v.code("education", r.Education, true, siak.Pendidikan(r.Education).Valid())
	v.code("occupation", r.Occupation, true, siak.Pekerjaan(r.Occupation).Valid())
	v.name("mother_name", r.MotherName, true)
	v.parentNIK("mother_nik", r.MotherNIK, r.NIK, nik.Female, birth, birthOK)
	v.name("father_name", r.FatherName, false)
	v.parentNIK("father_nik", r.FatherNIK, r.NIK, nik.Male, birth, birthOK)
	if v.required("address", r.Address) {
		v.length("address", r.Address, 200)
	}
	v.rtrw("rt", r.RT)
	v.rtrw("rw", r.RW)
	v.desa(r.DesaCode)
	v.code("citizenship", r.Citizenship, true, siak.Kewarganegaraan(r.Citizenship).Valid())
	if birthOK {
		v.age(birth, siak.StatusPerkawinan(r.Marital))
	}
	return v.ps
}

// required adds a problem and returns false when s is blank.
func (v *validator) required(field, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.add(field, "required", SeverityError, "wajib diisi", "is required")
		return false
	}
	return true
}

func (v *validator) length(field, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		v.add(field, "too_long", SeverityError, fmt.Sprintf("paling banyak %d huruf (ada %d)", max, n), fmt.Sprintf("at most %d characters (has %d)", max, n))
	}
}

// name checks a person's or place's name.
func (v *validator) name(field, s string, required bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			v.required(field, s)
		}
		return
	}
	bad := !utf8.ValidString(s)
	for _, c := range s {
		if unicode.IsControl(c) || unicode.IsDigit(c) {
			bad = true
		}
	}
	if bad {
		v.add(field, "name_format", SeverityError, "tidak boleh berisi angka atau karakter kontrol", "may not contain digits or control characters")
		return
	}
	v.length(field, s, 100)
}

// code checks a SIAK code field: 0 is "not given".
func (v *validator) code(field string, c int, required, valid bool) {
	switch {
	case c == 0 && required:
		v.add(field, "required", SeverityError, "wajib dipilih", "is required")
	case c != 0 && !valid:
		v.add(field, "code_invalid", SeverityError, fmt.Sprintf("kode %d tidak ada dalam daftar SIAK", c), fmt.Sprintf("code %d is not in the SIAK list", c))
	}
}

// nik parses a NIK field, reporting its error or warnings under prefix.
func (v *validator) nik(field, prefix, s string, required bool) (nik.Result, bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			v.required(field, s)
		}
		return nik.Result{}, false
	}
	r, err := nik.Parse(s, nik.Options{Now: v.opts.Now, Regions: v.opts.Regions})
	if err != nil {
		v.nikProblem(field, prefix, nik.CodeOf(err))
		return r, false
	}
	for _, w := range r.Warnings {
		v.nikProblem(field, prefix, w)
	}
	return r, true
}

// nikProblem reports a nik.Code; its severity follows the code's kind.
func (v *validator) nikProblem(field, prefix string, c nik.Code) {
	sev := SeverityError
	if c.IsWarning() {
		sev = SeverityWarning
	}
	msg := nikMessages[c]
	if prefix == "kk" && c == nik.ErrBadDayCode {
		msg = [2]string{"kode tanggal (angka 7–8) harus 01–31", "day code (digits 7–8) must be 01–31"}
	}
	v.add(field, prefix+"_"+string(c), sev, msg[0], msg[1])
}

// parentNIK checks a parent's NIK when given.
func (v *validator) parentNIK(field, s, own string, sex nik.Sex, childBirth time.Time, birthOK bool) {
	p, ok := v.nik(field, "nik", s, false)
	if !ok {
		return
	}
	if p.NIK == nik.Normalize(own) {
		v.add(field, "parent_nik_same", SeverityError, "sama dengan NIK penduduk", "is the resident's own NIK")
		return
	}
	if p.Sex != sex {
		v.add(field, "parent_nik_sex", SeverityWarning, "jenis kelamin dalam NIK tidak sesuai", "the NIK encodes the other sex")
	}
	if birthOK && p.BirthDate.After(childBirth) && (p.AltBirthDate.IsZero() || p.AltBirthDate.After(childBirth)) {
		v.add(field, "parent_born_after", SeverityWarning, "tanggal lahir dalam NIK sesudah tanggal lahir anak", "the NIK's birth date is after the resident's")
	}
}

// birthDate checks the biodata birth date and returns it.
func (v *validator) birthDate(s string) (time.Time, bool) {
	if !v.required("birth_date", s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		v.add("birth_date", "date_format", SeverityError, "format harus TTTT-BB-HH, mis. 1990-01-31", "must be YYYY-MM-DD, e.g. 1990-01-31")
		return time.Time{}, false
	}
	if t.After(v.today) {
		v.add("birth_date", "date_future", SeverityError, "tidak boleh sesudah hari ini", "cannot be after today")
		return time.Time{}, false
	}
	if t.Before(v.today.AddDate(-MaxAge, 0, 0)) {
		v.add("birth_date", "age_implausible", SeverityError, fmt.Sprintf("lebih dari %d tahun yang lalu", MaxAge), fmt.Sprintf("more than %d years ago", MaxAge))
		return time.Time{}, false
	}
	return t, true
}

// AgeOn returns the age in whole years on day today of someone born on
// birth. A 29 February birthday counts from 1 March in common years.
func AgeOn(birth, today time.Time) int {
	age := today.Year() - birth.Year()
	if today.Month() < birth.Month() || (today.Month() == birth.Month() && today.Day() < birth.Day()) {
		age--
	}
	return age
}

// age applies the recording-age rule: from MinRecordingAge, or younger if
// married (any marital status other than BELUM KAWIN).
func (v *validator) age(birth time.Time, marital siak.StatusPerkawinan) {
	minAge := v.opts.MinRecordingAge
	a := AgeOn(birth, v.today)
	if a >= minAge || (marital.Valid() && marital != siak.BelumKawin) {
		return
	}
	from := birth.AddDate(minAge, 0, 0).Format(time.DateOnly)
	v.add("birth_date", "age_below_minimum", SeverityError,
		fmt.Sprintf("umur %d tahun; perekaman KTP-el mulai umur %d tahun, atau lebih muda bila sudah/pernah kawin (dapat direkam mulai %s)", a, minAge, from),
		fmt.Sprintf("age %d; KTP-el recording starts at %d, or younger if married (eligible from %s)", a, minAge, from))
}

// rtrw checks an RT or RW number: 1–3 digits, not all zeros.
func (v *validator) rtrw(field, s string) {
	if !v.required(field, s) {
		return
	}
	s = strings.TrimSpace(s)
	ok := len(s) <= 3 && strings.Trim(s, "0") != ""
	for i := 0; i < len(s); i++ {
		ok = ok && s[i] >= '0' && s[i] <= '9'
	}
	if !ok {
		v.add(field, "rt_rw_format", SeverityError, "harus 1–3 angka, bukan 000 (mis. 003)", "must be 1–3 digits, not 000 (e.g. 003)")
	}
}

// desa checks the desa/kelurahan code's form and, with master data, that
// it is current.
func (v *validator) desa(s string) {
	if !v.required("desa_code", s) {
		return
	}
	code, err := wilayah.Dotted(strings.TrimSpace(s))
	lvl := wilayah.Level(0)
	if err == nil {
		lvl, err = wilayah.LevelOf(code)
	}
	if err != nil || lvl != wilayah.Desa || code[9] < '1' || code[9] > '3' {
		v.add("desa_code", "desa_code_format", SeverityError,
			"harus 10 angka NN.NN.NN.NNNN; angka ke-7 1 (kelurahan), 2 (desa) atau 3 (desa adat)",
			"must be 10 digits NN.NN.NN.NNNN; digit 7 is 1 (kelurahan), 2 (desa) or 3 (desa adat)")
		return
	}
	if v.opts.Regions == nil {
		return
	}
	if known, _ := v.opts.Regions.Region(code); !known {
		v.add("desa_code", "desa_unknown", SeverityWarning, "kode "+code+" tidak ada dalam data wilayah", "code "+code+" is not in the region master data")
	}
}
