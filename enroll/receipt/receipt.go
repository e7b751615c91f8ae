// Package receipt makes the resident's enrollment receipt, the "Tanda
// Terima Perekaman KTP-el": what was recorded, where, when and by whom, the
// state the enrollment is in, and a short verification code, rendered to a
// one-page PDF in Bahasa Indonesia with English subtitles.
//
// The NIK on the receipt is masked like every list in the station
// (nik.Mask: the 6-digit region code and the 4-digit serial stay, the six
// birth-date digits are hidden, "321101******0001"): the resident still
// recognises the number as theirs, while a lost receipt does not reveal the
// birth date the NIK encodes.
//
// The verification code is an HMAC-SHA256, keyed with a sub-key of the
// station's data key (KeyFrom), over the station id, the enrollment id and
// the full NIK, truncated to 50 bits and written as ten base-32 characters
// ("ABCDE-FGH23"). It stays the same for the enrollment's whole life, so a
// receipt printed at capture still checks when the card is collected. Only the station (or its restored
// backup) can make or check it, so the office can tell a receipt the
// station issued from a forged or altered one (Verify), and the code says
// nothing about the NIK to whoever reads it. A plain digest would not do:
// anyone could compute one for a made-up receipt.
//
// The package has no Fyne import; Render's output depends only on its
// input, so the same receipt always gives the same bytes.
package receipt

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
)

// Receipt is everything printed on one enrollment receipt.
type Receipt struct {
	// StationID is the recording station, e.g. "3211-01".
	StationID string
	// Kecamatan is the dotted kecamatan code; KecamatanName its name ("" when
	// the master data does not know it).
	Kecamatan, KecamatanName string
	// EnrollmentID is the station's enrollment number.
	EnrollmentID int64
	// Number is the reference the centre knows the enrollment by
	// ("3211-01/42").
	Number string
	// NIK is the resident's full NIK; the PDF prints it masked.
	NIK string
	// Name is the resident's name.
	Name string
	// RecordedAt is when the capture was completed (or started, for a
	// draft), in the station's time zone.
	RecordedAt time.Time
	// PrintedAt is when the receipt was made; it is also the PDF's creation
	// date.
	PrintedAt time.Time
	// Operator is the account that recorded the enrollment.
	Operator string
	// State is the enrollment's state when the receipt was made.
	State enroll.State
	// Captured says what was captured.
	Captured Captured
	// Code is the verification code (Code).
	Code string
}

// Status is one capture item: captured, or an exception with its code
// ("missing", "amputated", "bandaged", "blind", "cannot_sign").
type Status struct {
	Captured  bool
	Exception string
	// Forced marks a capture a supervisor accepted below the quality gate.
	Forced bool
}

// Captured is what one enrollment holds, item by item.
type Captured struct {
	// Fingers are the ISO/IEC 19794-4 positions 1 (right thumb) to 10 (left
	// little), at index position-1.
	Fingers [10]Status
	// Irises are the right and the left eye.
	Irises [2]Status
	Face   Status
	// Signature's exception is "cannot_sign" when the resident cannot sign.
	Signature Status
	// Purged is true when the images were removed from the station after
	// the centre's signed receipt (retention): nothing is left to count.
	Purged bool
}

// Capture step names as the station's store holds them.
const (
	fingerPrefix = "finger."
	irisPrefix   = "iris."
	stepFace     = "face"
	stepSign     = "signature"
	// ForcedException marks a finger kept below the gate with a
	// supervisor's approval: it counts as captured.
	ForcedException = "forced_low_quality"
	// CannotSign starts the signature exception of a resident who cannot
	// sign (a reason may follow after ": ").
	CannotSign = "cannot_sign"
)

// Summarize reads a capture list, step name → exception ("" for a plain
// capture), into a Captured. Steps it does not know (templates) are ignored.
func Summarize(steps map[string]string) Captured {
	var c Captured
	status := func(exc string) Status {
		switch {
		case exc == "":
			return Status{Captured: true}
		case exc == ForcedException:
			return Status{Captured: true, Forced: true}
		case strings.HasPrefix(exc, CannotSign):
			return Status{Exception: CannotSign}
		}
		return Status{Exception: exc}
	}
	for step, exc := range steps {
		switch {
		case strings.HasPrefix(step, fingerPrefix):
			n, err := strconv.Atoi(step[len(fingerPrefix):])
			if err == nil && n >= 1 && n <= 10 {
				c.Fingers[n-1] = status(exc)
			}
		case step == irisPrefix+"right":
			c.Irises[0] = status(exc)
		case step == irisPrefix+"left":
			c.Irises[1] = status(exc)
		case step == stepFace:
			c.Face = status(exc)
		case step == stepSign:
			c.Signature = status(exc)
		}
	}
	return c
}

// Count returns how many of items were captured.
func Count(items []Status) int {
	n := 0
	for _, s := range items {
		if s.Captured {
			n++
		}
	}
	return n
}

// Empty reports whether nothing at all is recorded.
func (c Captured) Empty() bool {
	all := append(append(c.Fingers[:0:0], c.Fingers[:]...), c.Irises[:]...)
	all = append(all, c.Face, c.Signature)
	for _, s := range all {
		if s.Captured || s.Exception != "" {
			return false
		}
	}
	return true
}

// KeyPurpose is the data-key derivation label of the receipt code key.
const KeyPurpose = "receipt-code"

// KeyFrom derives the station's receipt code key from its data key.
func KeyFrom(k *keys.Keys) []byte { return k.Derive(KeyPurpose, nil) }

// codeContext separates receipt codes from every other MAC of the key.
const codeContext = "rekam receipt code v1\x00"

// codeEncoding is Crockford's base 32: no I, L, O or U, so a code read
// off paper is not misread.
var codeEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Code computes the verification code of r with the station's receipt key:
// ten base-32 characters in two groups of five.
func Code(key []byte, r Receipt) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(codeContext))
	for _, f := range []string{r.StationID, strconv.FormatInt(r.EnrollmentID, 10), r.NIK} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	s := codeEncoding.EncodeToString(m.Sum(nil)[:7])[:10]
	return s[:5] + "-" + s[5:]
}

// Verify reports whether code is r's verification code under key. Case,
// spaces and dashes are ignored, and the lookalikes O, I and L read as 0,
// 1 and 1 (Crockford), so a code typed back from paper still checks.
func Verify(key []byte, r Receipt, code string) bool {
	norm := func(s string) string {
		s = strings.ToUpper(s)
		s = strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(s)
		return s
	}
	return hmac.Equal([]byte(norm(code)), []byte(norm(Code(key, r))))
}
