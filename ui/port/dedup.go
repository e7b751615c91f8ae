package port

import (
	"context"
	"errors"
	"image"
	"time"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// Duplicates is what the duplicate-check and adjudication screens ask of
// the station: the local duplicate check of a submitted enrollment and the
// supervisor's cases. NIKs come masked (3211********0001) unless the
// session's role may see whole NIKs and the screen compares two records.
type Duplicates interface {
	// CheckDuplicates runs the duplicate check of a submitted
	// (BIO_CAPTURED) enrollment; for one already in REVIEW it returns its
	// open case without searching again.
	CheckDuplicates(ctx context.Context, sess *operator.Session, enrollmentID int64) (DupResult, error)
	// DupCases lists the adjudication cases still undecided, oldest first.
	DupCases(ctx context.Context, sess *operator.Session) ([]DupCaseInfo, error)
	// DupCase loads one case with the probe and each candidate side by
	// side.
	DupCase(ctx context.Context, sess *operator.Session, caseID int64) (DupCase, error)
	// DecideDupCase records a verdict with its reason (always required).
	// The operator who captured the enrollment is refused with
	// ErrSelfAdjudication.
	DecideDupCase(ctx context.Context, sess *operator.Session, caseID int64, duplicate bool, reason string) error
}

// ErrSelfAdjudication refuses a verdict by the operator who created or
// captured the enrollment (the store's four-eyes rule for cases).
var ErrSelfAdjudication = store.ErrSelfAdjudication

// ErrNeedReason: a verdict on a duplicate case needs a reason.
var ErrNeedReason = errors.New("a verdict on a duplicate case needs a reason")

// ErrNotCleared refuses approving a submitted enrollment whose duplicate
// check did not come out clear (a case was opened, or the NIK is blocked).
var ErrNotCleared = errors.New("the duplicate check did not clear the enrollment")

// DupPerson names an enrollment and its resident on the screens.
type DupPerson struct {
	// EnrollmentID is 0 for a record of the centre's gallery.
	EnrollmentID int64        `json:"enrollment_id,omitempty"`
	State        enroll.State `json:"state,omitempty"`
	ResidentID   int64        `json:"resident_id,omitempty"`
	// NIK is masked unless the role needs the whole.
	NIK        string `json:"nik,omitempty"`
	Name       string `json:"name,omitempty"`
	BirthPlace string `json:"birth_place,omitempty"`
	BirthDate  string `json:"birth_date,omitempty"`
	MotherName string `json:"mother_name,omitempty"`
	// CreatedBy is the operator who recorded the enrollment.
	CreatedBy string `json:"created_by,omitempty"`
}

// DupCandidate is one gallery identity the 1:N search ranked above the
// review threshold: its fused and per-modality scores (Fingers[p-1],
// Irises[0 right, 1 left]; nil when not compared) and who it is.
type DupCandidate struct {
	dedup.BiometricCandidate
	// Central is true for a record of the centre's kecamatan gallery
	// (templates only: no images, no biodata).
	Central bool      `json:"central,omitempty"`
	Person  DupPerson `json:"person"`
}

// DupDemographic is another resident whose normalised name, birth date
// and mother's name agree.
type DupDemographic struct {
	Person DupPerson `json:"person"`
	// Matched lists what agreed: name, birth_date, mother_name.
	Matched []string `json:"matched"`
}

// DupResult is a duplicate check's outcome as the screens show it.
type DupResult struct {
	EnrollmentID int64          `json:"enrollment_id"`
	Decision     dedup.Decision `json:"decision"`
	// Blocking is the pending or accepted enrollment of the same NIK
	// (Decision Blocked).
	Blocking *DupPerson `json:"blocking,omitempty"`
	// Supersedes is the enrollment the centre refused
	// (ENROLL_FAILURE_AT_CENTRAL) that this one re-records.
	Supersedes  int64            `json:"supersedes,omitempty"`
	Candidates  []DupCandidate   `json:"candidates,omitempty"`
	Demographic []DupDemographic `json:"demographic,omitempty"`
	// DuplicateThreshold and ReviewThreshold are the fused-score
	// thresholds for the gallery's size.
	DuplicateThreshold float64 `json:"duplicate_threshold"`
	ReviewThreshold    float64 `json:"review_threshold"`
	// GallerySize is the number of identities searched.
	GallerySize int `json:"gallery_size"`
	// CaseID is the adjudication case opened (0 when none).
	CaseID int64 `json:"case_id,omitempty"`
	// Skipped names the captures the engines could not use.
	Skipped []string `json:"skipped,omitempty"`
}

// DupCaseInfo is one line of the adjudication queue.
type DupCaseInfo struct {
	ID       int64          `json:"id"`
	Decision dedup.Decision `json:"decision"`
	Status   string         `json:"status"`
	OpenedBy string         `json:"opened_by"`
	OpenedAt time.Time      `json:"opened_at"`
	// Person is the enrollment under review (NIK masked).
	Person DupPerson `json:"person"`
}

// DupImage is one capture as the adjudication screen shows it.
type DupImage struct {
	// Image is nil when the step has none (an exception, a purged or a
	// central record).
	Image image.Image
	// Exception is the capture's exception (amputated, bandaged, ...).
	Exception string
	// Minutiae are a finger image's minutiae in the image's pixels.
	Minutiae []finger.Minutia
}

// DupSide is one record of a case, images and biodata, for the side by
// side view.
type DupSide struct {
	Person DupPerson
	// Central: a record of the centre's gallery (templates only).
	Central bool
	// Purged: a local record whose images were purged after the centre's
	// receipt (its templates are still in the gallery).
	Purged bool
	// Fingers[p-1], Irises[0 right, 1 left] and Face are the captures.
	Fingers [index.Fingers]DupImage
	Irises  [index.Eyes]DupImage
	Face    DupImage
}

// DupCase is one adjudication case, loaded for a decision.
type DupCase struct {
	DupCaseInfo
	DecidedBy string
	DecidedAt time.Time
	Reason    string
	// Probe is the enrollment under review.
	Probe DupSide
	// Candidates are the biometric candidates, best first; Sides[i] is
	// Candidates[i]'s record.
	Candidates []DupCandidate
	Sides      []DupSide
	// Demographic are the demographic near-duplicates; DemoSides[i] is
	// Demographic[i]'s latest enrollment (images empty when none).
	Demographic []DupDemographic
	DemoSides   []DupSide
	// DuplicateThreshold and ReviewThreshold are today's thresholds for
	// the gallery's size.
	DuplicateThreshold float64
	ReviewThreshold    float64
}
