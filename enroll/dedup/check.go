package dedup

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/dedup/names"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// Decision is a duplicate check's outcome.
type Decision string

// Decisions. Review and Duplicate open an adjudication case.
const (
	Clear     Decision = Decision(index.Clear)
	Review    Decision = Decision(index.Review)
	Duplicate Decision = Decision(index.Duplicate)
	// Blocked: the resident's NIK already has a pending or accepted
	// enrollment; no new one may go ahead.
	Blocked Decision = "blocked"
)

// Checker runs duplicate checks against the store and the in-memory
// gallery. Its methods may be called from many goroutines.
type Checker struct {
	Store  *store.Store
	Index  *index.Index
	Policy index.Policy
	// Search tunes the 1:N search (zero value: the defaults).
	Search index.Options
}

// Open makes a checker and loads the gallery from the store (the start-up
// load).
func Open(ctx context.Context, st *store.Store, sess *operator.Session, pol index.Policy) (*Checker, error) {
	if err := pol.Check(); err != nil {
		return nil, err
	}
	c := &Checker{Store: st, Index: index.New(), Policy: pol}
	if _, err := LoadIndex(ctx, st, sess, c.Index, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// LocalRecordID is the gallery id of the station's own enrollment id.
func LocalRecordID(enrollmentID int64) string { return "enr:" + strconv.FormatInt(enrollmentID, 10) }

// CentralRecordID is the gallery id of the centre's opaque record id.
func CentralRecordID(id string) string { return "c:" + id }

// localEnrollment returns the enrollment id of a local gallery id.
func localEnrollment(recordID string) int64 {
	s, ok := strings.CutPrefix(recordID, "enr:")
	if !ok {
		return 0
	}
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

// DemographicCandidate is another resident whose normalised name, birth
// date and mother's name agree with the enrolled resident's.
type DemographicCandidate struct {
	ResidentID int64 `json:"resident_id"`
	// Matched lists what agreed: name, birth_date, mother_name.
	Matched []string `json:"matched"`
}

// BiometricCandidate is a gallery identity above the review threshold.
type BiometricCandidate struct {
	RecordID string `json:"record_id"`
	// EnrollmentID is the local enrollment (0 for a central record).
	EnrollmentID int64 `json:"enrollment_id,omitempty"`
	// Score is the fused score (−log10 of the false match probability).
	Score float64 `json:"score"`
	// Fingers[p-1] and Irises[e] are the per-modality scores; null when
	// the modality was not compared.
	Fingers [index.Fingers]*float64 `json:"fingers"`
	Irises  [index.Eyes]*float64    `json:"irises"`
}

// Result is a duplicate check's outcome.
type Result struct {
	EnrollmentID int64    `json:"enrollment_id"`
	Decision     Decision `json:"decision"`
	// Blocking is the pending or accepted enrollment of the same NIK.
	Blocking *store.Enrollment `json:"blocking,omitempty"`
	// Supersedes is the enrollment refused by the centre that this one
	// re-records (0 when none).
	Supersedes  int64                  `json:"supersedes,omitempty"`
	Demographic []DemographicCandidate `json:"demographic,omitempty"`
	Biometric   []BiometricCandidate   `json:"biometric,omitempty"`
	// DuplicateThreshold and ReviewThreshold are the fused-score
	// thresholds used for this gallery size.
	DuplicateThreshold float64 `json:"duplicate_threshold"`
	ReviewThreshold    float64 `json:"review_threshold"`
	// CaseID is the adjudication case opened (0 when none).
	CaseID int64 `json:"case_id,omitempty"`
}

// finished are enrollment states that do not block a new enrollment of the
// same NIK (a refused, voided or centrally failed recording).
var finished = map[enroll.State]bool{enroll.Voided: true, enroll.Rejected: true, enroll.EnrollFailureAtCentral: true}

// Check runs the duplicate check of a BIO_CAPTURED enrollment with the
// templates of its captures: the NIK rule, demographic near-duplicates and
// the 1:N search. A review or duplicate decision opens an adjudication
// case and moves the enrollment to REVIEW.
func (c *Checker) Check(ctx context.Context, sess *operator.Session, enrollmentID int64, probe *index.Record) (*Result, error) {
	e, err := c.Store.Enrollment(ctx, sess, enrollmentID)
	if err != nil {
		return nil, fmt.Errorf("dedup check: %w", err)
	}
	res := &Result{EnrollmentID: enrollmentID}
	// 1. The same NIK (one resident row per NIK).
	own, err := c.Store.ResidentEnrollments(ctx, sess, e.ResidentID)
	if err != nil {
		return nil, fmt.Errorf("dedup check: %w", err)
	}
	sameResident := map[int64]bool{}
	var failed int64
	for _, o := range own {
		sameResident[o.ID] = true
		if o.ID == enrollmentID {
			continue
		}
		switch {
		case o.State == enroll.EnrollFailureAtCentral:
			failed = max(failed, o.ID)
		case !finished[o.State]:
			o := o
			res.Decision, res.Blocking = Blocked, &o
			return res, nil
		}
	}
	if failed != 0 {
		if old, err := c.Store.Superseded(ctx, sess, enrollmentID); err != nil {
			return nil, fmt.Errorf("dedup check: %w", err)
		} else if old != failed {
			if err := c.Store.Supersede(ctx, sess, enrollmentID, failed); err != nil {
				return nil, fmt.Errorf("dedup check: %w", err)
			}
		}
		res.Supersedes = failed
	}
	// 2. Demographic near-duplicates.
	if res.Demographic, err = c.demographic(ctx, sess, e.ResidentID); err != nil {
		return nil, err
	}
	// 3. Biometric 1:N.
	n := c.Index.Len()
	res.DuplicateThreshold, res.ReviewThreshold = c.Policy.Thresholds(n)
	best := 0.0
	for _, cand := range c.Index.Search(probe, c.Search) {
		eid := localEnrollment(cand.ID)
		if cand.Score < res.ReviewThreshold || (eid != 0 && sameResident[eid]) {
			continue
		}
		bc := BiometricCandidate{RecordID: cand.ID, EnrollmentID: eid, Score: cand.Score}
		for p, v := range cand.Fingers {
			bc.Fingers[p] = scorePtr(v)
		}
		for k, v := range cand.Irises {
			bc.Irises[k] = scorePtr(v)
		}
		res.Biometric = append(res.Biometric, bc)
		best = max(best, cand.Score)
	}
	res.Decision = Decision(c.Policy.Decide(best, n))
	if res.Decision == Clear && len(res.Demographic) > 0 {
		res.Decision = Review
	}
	if res.Decision == Clear {
		return res, nil
	}
	cands, err := json.Marshal(struct {
		Demographic []DemographicCandidate `json:"demographic,omitempty"`
		Biometric   []BiometricCandidate   `json:"biometric,omitempty"`
	}{res.Demographic, res.Biometric})
	if err != nil {
		return nil, fmt.Errorf("dedup check: %w", err)
	}
	if res.CaseID, err = c.Store.OpenDedupCase(ctx, sess, enrollmentID, string(res.Decision), cands); err != nil {
		return nil, fmt.Errorf("dedup check: %w", err)
	}
	return res, nil
}

func scorePtr(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// demographic returns the other residents whose name, birth date and
// mother's name agree with resident id's (a missing mother's name on one
// side does not rule a candidate out).
func (c *Checker) demographic(ctx context.Context, sess *operator.Session, id int64) ([]DemographicCandidate, error) {
	all, err := c.Store.Residents(ctx, sess)
	if err != nil {
		return nil, fmt.Errorf("dedup check: %w", err)
	}
	var me *enroll.Resident
	for i := range all {
		if all[i].ID == id {
			me = &all[i].Resident
		}
	}
	if me == nil {
		return nil, fmt.Errorf("dedup check: resident %d: %w", id, store.ErrNotFound)
	}
	var out []DemographicCandidate
	for _, o := range all {
		r := o.Resident
		if o.ID == id || r.BirthDate == "" || r.BirthDate != me.BirthDate || !names.Match(r.Name, me.Name) {
			continue
		}
		matched := []string{"name", "birth_date"}
		switch {
		case r.MotherName == "" || me.MotherName == "":
		case names.Match(r.MotherName, me.MotherName):
			matched = append(matched, "mother_name")
		default:
			continue
		}
		out = append(out, DemographicCandidate{ResidentID: o.ID, Matched: matched})
	}
	return out, nil
}

// AddSealed puts a sealed enrollment's templates into the store's gallery
// (sealed) and the in-memory index, so the next search sees them.
func (c *Checker) AddSealed(ctx context.Context, sess *operator.Session, enrollmentID int64, rec *index.Record) error {
	e, err := index.NewEntry(rec)
	if err != nil {
		return fmt.Errorf("dedup add enrollment %d: %w", enrollmentID, err)
	}
	b, err := e.MarshalBinary()
	if err != nil {
		return fmt.Errorf("dedup add enrollment %d: %w", enrollmentID, err)
	}
	id := LocalRecordID(enrollmentID)
	if err := c.Store.PutGalleryRecords(ctx, sess, []store.GalleryRecord{{RecordID: id, Source: store.GalleryLocal, EnrollmentID: enrollmentID, Templates: b}}); err != nil {
		return fmt.Errorf("dedup add enrollment %d: %w", enrollmentID, err)
	}
	return c.Index.AddEntry(id, e)
}
