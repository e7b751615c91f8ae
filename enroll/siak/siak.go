// Package siak holds the SIAK code lists of the F-1.01 biodata form
// (Permendagri 19/2010, 109/2019) as typed Go values: codes with their
// Indonesian names, lookup by code and by name, and validity checks.
//
// The numbers are those SIAK-compatible systems use (OpenSID seeders,
// Dukcapil pages); they are facts of the regulation, kept here as an
// offline seed. The national server's reference data may extend them (the
// 2026 F-1.01 lists 99 occupations; only 1–89 are public with numbers).
package siak

import (
	"fmt"
	"strings"
)

// Entry is one code of a list and its Indonesian name.
type Entry[C ~int] struct {
	Code C
	Name string
}

// List is one SIAK code list.
type List[C ~int] struct {
	// Key names the list; it is also the file name (without .csv) of the
	// list in the shared reference data.
	Key string
	// Title is the list's Indonesian title on the F-1.01 form.
	Title string
	// Entries are the valid codes in code order.
	Entries []Entry[C]
	// Aliases are other spellings of names in use (e.g. KATOLIK for
	// KATHOLIK), accepted by Parse.
	Aliases map[string]C
	// Excluded lists codes other systems use that are not SIAK/KTP-el
	// values, with the reason (e.g. OpenSID's 3 DUA KEWARGANEGARAAN).
	Excluded map[int]string
}

// Lookup returns the name of code c.
func (l *List[C]) Lookup(c C) (string, bool) {
	for _, e := range l.Entries {
		if e.Code == c {
			return e.Name, true
		}
	}
	return "", false
}

// Name returns the name of code c for display, or "<Title>(<n>)" for a
// code not in the list.
func (l *List[C]) Name(c C) string {
	if n, ok := l.Lookup(c); ok {
		return n
	}
	return fmt.Sprintf("%s(%d)", l.Title, int(c))
}

// Valid reports whether c is a code of the list.
func (l *List[C]) Valid(c C) bool {
	_, ok := l.Lookup(c)
	return ok
}

// Parse finds the code for a name (case and surrounding space ignored;
// aliases accepted).
func (l *List[C]) Parse(name string) (C, bool) {
	n := strings.ToUpper(strings.TrimSpace(name))
	for _, e := range l.Entries {
		if e.Name == n {
			return e.Code, true
		}
	}
	c, ok := l.Aliases[n]
	return c, ok
}

// Row is a list entry with a plain int code, for code that handles every
// list alike (tests, exports, the reference-data sync).
type Row struct {
	Code int    `json:"code"`
	Name string `json:"name"`
}

// Rows returns the entries as plain rows.
func (l *List[C]) Rows() []Row {
	out := make([]Row, len(l.Entries))
	for i, e := range l.Entries {
		out[i] = Row{int(e.Code), e.Name}
	}
	return out
}

// ListKey returns Key (so every list satisfies Table).
func (l *List[C]) ListKey() string { return l.Key }

// ExcludedCodes returns Excluded (so every list satisfies Table).
func (l *List[C]) ExcludedCodes() map[int]string { return l.Excluded }

// Table is any code list, without its code type.
type Table interface {
	ListKey() string
	Rows() []Row
	ExcludedCodes() map[int]string
}

// Tables lists every numeric code list.
var Tables = []Table{&Agamas, &GolonganDarahs, &JenisKelamins, &StatusPerkawinans, &HubunganKeluargas,
	&Pendidikans, &Pekerjaans, &PenyandangCacats, &Kewarganegaraans}

// Agama is a religion code (1 ISLAM … 7 KEPERCAYAAN TERHADAP TUHAN YME).
type Agama int

// GolonganDarah is a blood type code (1 A … 13 TIDAK TAHU).
type GolonganDarah int

// JenisKelamin is a sex code (1 LAKI-LAKI, 2 PEREMPUAN).
type JenisKelamin int

// StatusPerkawinan is a marital status code (1 BELUM KAWIN … 4 CERAI MATI).
type StatusPerkawinan int

// HubunganKeluarga is a status hubungan dalam keluarga code (1 KEPALA
// KELUARGA … 11 LAINNYA).
type HubunganKeluarga int

// Pendidikan is a pendidikan terakhir code (1 TIDAK/BELUM SEKOLAH … 10
// STRATA III).
type Pendidikan int

// Pekerjaan is a jenis pekerjaan code (1 BELUM/TIDAK BEKERJA … 89 LAINNYA).
type Pekerjaan int

// PenyandangCacat is a disability code (1 CACAT FISIK … 6 CACAT LAINNYA).
// It is protected data (UU 24/2013 Pasal 84).
type PenyandangCacat int

// Kewarganegaraan is a citizenship code (1 WNI, 2 WNA).
type Kewarganegaraan int

// String returns the Agama name, for display.
func (c Agama) String() string { return Agamas.Name(c) }

// String returns the GolonganDarah name, for display.
func (c GolonganDarah) String() string { return GolonganDarahs.Name(c) }

// String returns the JenisKelamin name, for display.
func (c JenisKelamin) String() string { return JenisKelamins.Name(c) }

// String returns the StatusPerkawinan name, for display.
func (c StatusPerkawinan) String() string { return StatusPerkawinans.Name(c) }

// String returns the HubunganKeluarga name, for display.
func (c HubunganKeluarga) String() string { return HubunganKeluargas.Name(c) }

// String returns the Pendidikan name, for display.
func (c Pendidikan) String() string { return Pendidikans.Name(c) }

// String returns the Pekerjaan name, for display.
func (c Pekerjaan) String() string { return Pekerjaans.Name(c) }

// String returns the PenyandangCacat name, for display.
func (c PenyandangCacat) String() string { return PenyandangCacats.Name(c) }

// String returns the Kewarganegaraan name, for display.
func (c Kewarganegaraan) String() string { return Kewarganegaraans.Name(c) }

// Valid reports whether c is a code of its list.
func (c Agama) Valid() bool { return Agamas.Valid(c) }

// Valid reports whether c is a code of its list.
func (c GolonganDarah) Valid() bool { return GolonganDarahs.Valid(c) }

// Valid reports whether c is a code of its list.
func (c JenisKelamin) Valid() bool { return JenisKelamins.Valid(c) }

// Valid reports whether c is a code of its list.
func (c StatusPerkawinan) Valid() bool { return StatusPerkawinans.Valid(c) }

// Valid reports whether c is a code of its list.
func (c HubunganKeluarga) Valid() bool { return HubunganKeluargas.Valid(c) }

// Valid reports whether c is a code of its list.
func (c Pendidikan) Valid() bool { return Pendidikans.Valid(c) }

// Valid reports whether c is a code of its list.
func (c Pekerjaan) Valid() bool { return Pekerjaans.Valid(c) }

// Valid reports whether c is a code of its list.
func (c PenyandangCacat) Valid() bool { return PenyandangCacats.Valid(c) }

// Valid reports whether c is a code of its list.
func (c Kewarganegaraan) Valid() bool { return Kewarganegaraans.Valid(c) }

// StatusRekam is a KTP-el recording status as Dukcapil systems report it
// (SIAK "status perekaman"). Its value is the status name.
type StatusRekam string

// The KTP-el recording statuses, in lifecycle order.
const (
	Unregistered            StatusRekam = "UNREGISTERED"
	BioCaptured             StatusRekam = "BIO_CAPTURED"
	Processing              StatusRekam = "PROCESSING"
	SentForEnrollment       StatusRekam = "SENT_FOR_ENROLLMENT"
	ReceivedAtCentral       StatusRekam = "RECEIVED_AT_CENTRAL"
	EnrollFailureAtCentral  StatusRekam = "ENROLL_FAILURE_AT_CENTRAL"
	SearchFailureAtCentral  StatusRekam = "SEARCH_FAILURE_AT_CENTRAL"
	EnrollFailureAtRegional StatusRekam = "ENROLL_FAILURE_AT_REGIONAL"
	DuplicateRecord         StatusRekam = "DUPLICATE_RECORD"
	AdjudicateRecord        StatusRekam = "ADJUDICATE_RECORD"
	PrintReadyRecord        StatusRekam = "PRINT_READY_RECORD"
	SentForCardPrinting     StatusRekam = "SENT_FOR_CARD_PRINTING"
	CardPrinted             StatusRekam = "CARD_PRINTED"
	CardShipped             StatusRekam = "CARD_SHIPPED"
	CardIssued              StatusRekam = "CARD_ISSUED"
)

// StatusRekams lists every recording status in lifecycle order.
var StatusRekams = []StatusRekam{
	Unregistered, BioCaptured, Processing, SentForEnrollment, ReceivedAtCentral,
	EnrollFailureAtCentral, SearchFailureAtCentral, EnrollFailureAtRegional,
	DuplicateRecord, AdjudicateRecord, PrintReadyRecord, SentForCardPrinting,
	CardPrinted, CardShipped, CardIssued,
}

// Valid reports whether s is a known recording status.
func (s StatusRekam) Valid() bool {
	for _, x := range StatusRekams {
		if x == s {
			return true
		}
	}
	return false
}

// Codes the station's rules refer to by name.
const (
	LakiLaki  JenisKelamin = 1
	Perempuan JenisKelamin = 2

	BelumKawin StatusPerkawinan = 1
	Kawin      StatusPerkawinan = 2
	CeraiHidup StatusPerkawinan = 3
	CeraiMati  StatusPerkawinan = 4

	WNI Kewarganegaraan = 1
	WNA Kewarganegaraan = 2

	Islam       Agama = 1
	Kristen     Agama = 2
	Katholik    Agama = 3
	Hindu       Agama = 4
	Budha       Agama = 5
	Khonghucu   Agama = 6
	Kepercayaan Agama = 7

	KepalaKeluarga HubunganKeluarga = 1
	Suami          HubunganKeluarga = 2
	Istri          HubunganKeluarga = 3
	Anak           HubunganKeluarga = 4
)
