package enroll

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// today is the clock every validation test uses.
var today = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// regions is a tiny master-data table: Jawa Barat, Sumedang, Wado and one
// desa in it.
type regions map[string]bool

func (r regions) Province(code string) bool       { return r[code] }
func (r regions) Region(code string) (bool, bool) { return r[code], false }
func testRegions() regions {
	return regions{"32": true, "32.11": true, "32.11.01": true, "32.11.01.2001": true}
}

// goodResident is a complete, valid woman born 1990-01-01.
func goodResident() Resident {
	return Resident{
		NIK: "3211014101900001", KK: "3211011503150007", Name: "Siti Aminah", BirthPlace: "Sumedang",
		BirthDate: "1990-01-01", Sex: 2, BloodType: 4, Religion: 1, Marital: 2, FamilyRelation: 3,
		Education: 5, Occupation: 2, MotherName: "Ratna", MotherNIK: "3211015205650002",
		FatherName: "Ujang", FatherNIK: "3211011203600003", Address: "Jl. Raya Wado No. 5",
		RT: "003", RW: "01", DesaCode: "32.11.01.2001", Citizenship: 1,
	}
}

func TestValidateResident(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(r *Resident)
		opts   func(o *ValidateOptions)
		want   []string // field:code, in order
		errors bool
	}{
		{"complete and valid", nil, nil, nil, false},
		{"no master data: region unchecked warnings only", nil, func(o *ValidateOptions) { o.Regions = nil },
			[]string{"nik:nik_region_unknown", "kk:kk_region_unknown", "mother_nik:nik_region_unknown", "father_nik:nik_region_unknown"}, false},
		{"NIK sex and date mismatch warn, never block", func(r *Resident) { r.Sex = 1; r.BirthDate = "1990-01-02" }, nil,
			[]string{"nik:nik_sex_mismatch", "nik:nik_birth_date_mismatch"}, false},
		{"bad NIK blocks", func(r *Resident) { r.NIK = "3211010001900001" }, nil, []string{"nik:nik_bad_day_code"}, true},
		{"unknown kecamatan warns", func(r *Resident) { r.NIK = "3211994101900001" }, nil, []string{"nik:nik_region_unknown_kecamatan"}, false},
		{"bad KK", func(r *Resident) { r.KK = "3211014503150007" }, nil, []string{"kk:kk_bad_day_code"}, true},
		{"missing fields", func(r *Resident) {
			r.NIK, r.KK, r.Name, r.BirthPlace, r.Religion, r.MotherName, r.Address, r.RT, r.DesaCode, r.Citizenship = "", " ", "", "", 0, "", "", "", "", 0
		}, nil, []string{"nik:required", "kk:required", "name:required", "birth_place:required", "religion:required",
			"mother_name:required", "address:required", "rt:required", "desa_code:required", "citizenship:required"}, true},
		{"optional fields may be empty", func(r *Resident) {
			r.BloodType, r.Disability, r.FatherName, r.FatherNIK, r.MotherNIK = 0, 0, "", "", ""
		}, nil, nil, false},
		{"invalid SIAK codes", func(r *Resident) {
			r.Sex, r.BloodType, r.Religion, r.Marital, r.FamilyRelation, r.Disability, r.Education, r.Occupation, r.Citizenship = 3, 14, 8, 5, 12, 7, 11, 90, 3
		}, nil, []string{"sex:code_invalid", "blood_type:code_invalid", "religion:code_invalid", "marital:code_invalid",
			"family_relation:code_invalid", "disability:code_invalid", "education:code_invalid", "occupation:code_invalid",
			"citizenship:code_invalid"}, true},
		{"RT/RW format", func(r *Resident) { r.RT, r.RW = "000", "12a" }, nil, []string{"rt:rt_rw_format", "rw:rt_rw_format"}, true},
		{"RT/RW too long", func(r *Resident) { r.RT = "0012" }, nil, []string{"rt:rt_rw_format"}, true},
		{"undotted desa code accepted", func(r *Resident) { r.DesaCode = "3211012001" }, nil, nil, false},
		{"desa code format", func(r *Resident) { r.DesaCode = "32.11.01.5001" }, nil, []string{"desa_code:desa_code_format"}, true},
		{"desa code is a kecamatan", func(r *Resident) { r.DesaCode = "32.11.01" }, nil, []string{"desa_code:desa_code_format"}, true},
		{"desa unknown warns", func(r *Resident) { r.DesaCode = "32.11.01.2002" }, nil, []string{"desa_code:desa_unknown"}, false},
		{"names with digits", func(r *Resident) { r.Name = "Siti 2"; r.MotherName = "Ratna\x00" }, nil,
			[]string{"name:name_format", "mother_name:name_format"}, true},
		{"name too long", func(r *Resident) { r.Name = strings.Repeat("a", 101) }, nil, []string{"name:too_long"}, true},
		{"birth date format", func(r *Resident) { r.BirthDate = "01-01-1990" }, nil, []string{"birth_date:date_format"}, true},
		{"birth date in the future", func(r *Resident) { r.BirthDate = "2026-06-02" }, nil,
			[]string{"birth_date:date_future"}, true},
		{"birth date implausible", func(r *Resident) { r.BirthDate = "1850-01-01" }, nil,
			[]string{"birth_date:age_implausible"}, true},
		{"parent NIK invalid", func(r *Resident) { r.MotherNIK = "12345" }, nil, []string{"mother_nik:nik_length"}, true},
		{"parent NIK is own NIK", func(r *Resident) { r.MotherNIK = r.NIK }, nil, []string{"mother_nik:parent_nik_same"}, true},
		{"parent NIK sex and age", func(r *Resident) { r.MotherNIK, r.FatherNIK = "3211011205950002", "3211015203600003" }, nil,
			[]string{"mother_nik:parent_nik_sex", "mother_nik:parent_born_after", "father_nik:parent_nik_sex"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := goodResident()
			if tt.edit != nil {
				tt.edit(&r)
			}
			o := ValidateOptions{Now: func() time.Time { return today }, Regions: testRegions()}
			if tt.opts != nil {
				tt.opts(&o)
			}
			ps := ValidateResident(r, o)
			if got := ps.Codes(); !slices.Equal(got, tt.want) {
				t.Fatalf("problems %v, want %v", got, tt.want)
			}
			if ps.HasErrors() != tt.errors {
				t.Errorf("HasErrors = %v, want %v", ps.HasErrors(), tt.errors)
			}
			for _, p := range ps {
				if p.MessageID == "" || p.MessageEN == "" || !strings.Contains(p.MessageID, ":") {
					t.Errorf("problem %+v lacks a message", p)
				}
			}
		})
	}
}

// TestAgeRule checks the recording age: 16, younger if ever married,
// configurable, with the eligible date in the message.
func TestAgeRule(t *testing.T) {
	tests := []struct {
		name    string
		birth   string
		nik     string
		marital int
		min     int
		blocked bool
		msg     string
	}{
		{"exactly 16 today", "2010-06-01", "3211010106100001", 1, 0, false, ""},
		{"16 tomorrow", "2010-06-02", "3211010206100001", 1, 0, true, "umur 15 tahun; perekaman KTP-el mulai umur 16 tahun"},
		{"15 and married", "2010-12-01", "3211010112100001", 2, 0, false, ""},
		{"15 and divorced", "2010-12-01", "3211010112100001", 3, 0, false, ""},
		{"15, single, eligible date", "2010-12-01", "3211010112100001", 1, 0, true, "eligible from 2026-12-01"},
		{"threshold 17", "2010-01-01", "3211010101100001", 1, 17, true, "starts at 17"},
		{"29 Feb birthday counts from 1 Mar", "2008-02-29", "3211012902080001", 1, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := goodResident()
			r.BirthDate, r.NIK, r.Sex, r.Marital = tt.birth, tt.nik, 1, tt.marital
			r.MotherNIK, r.FatherNIK = "", ""
			ps := ValidateResident(r, ValidateOptions{Now: func() time.Time { return today }, Regions: testRegions(), MinRecordingAge: tt.min})
			var age *Problem
			for i := range ps {
				if ps[i].Code == "age_below_minimum" {
					age = &ps[i]
				}
			}
			if (age != nil) != tt.blocked {
				t.Fatalf("problems %v, blocked want %v", ps.Codes(), tt.blocked)
			}
			if age != nil && !strings.Contains(age.MessageID+age.MessageEN, tt.msg) {
				t.Errorf("message %q / %q lacks %q", age.MessageID, age.MessageEN, tt.msg)
			}
		})
	}
}

func TestAgeOn(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	tests := []struct {
		birth, on string
		want      int
	}{
		{"2008-02-29", "2024-02-28", 15}, {"2008-02-29", "2024-02-29", 16}, {"2008-02-29", "2025-02-28", 16},
		{"2008-02-29", "2026-02-28", 17}, {"2008-02-29", "2026-03-01", 18}, {"1990-12-31", "2026-06-01", 35},
	}
	for _, tt := range tests {
		if got := AgeOn(d(tt.birth), d(tt.on)); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func BenchmarkValidateResident(b *testing.B) {
	r := goodResident()
	o := ValidateOptions{Now: func() time.Time { return today }, Regions: testRegions()}
	b.ReportAllocs()
	for b.Loop() {
		if ps := ValidateResident(r, o); len(ps) != 0 {
			b.Fatal(ps.Codes())
		}
	}
}
