package port

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	_ "image/png" // captures are stored as PNG
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

var _ Duplicates = (*StoreStation)(nil)

// dedupHandle is the station's one duplicate checker: the in-memory
// gallery is loaded from the encrypted store on first use and shared by
// every check and by the sealer (which adds each sealed enrollment).
type dedupHandle struct {
	mu  sync.Mutex
	chk *dedup.Checker
}

// maxSides bounds how many candidate records a case loads with images.
const maxSides = 5

// Checker returns the station's duplicate checker, loading the gallery
// from the store the first time (call it off the UI thread). It is safe
// for concurrent use; a failed load is retried on the next call.
func (st *StoreStation) Checker(ctx context.Context) (*dedup.Checker, error) {
	st.dd.mu.Lock()
	defer st.dd.mu.Unlock()
	if st.dd.chk != nil {
		return st.dd.chk, nil
	}
	chk, err := dedup.Open(ctx, st.S, st.S.SystemSession("dedup"), index.DefaultPolicy)
	if err != nil {
		return nil, fmt.Errorf("load the duplicate-check gallery: %w", err)
	}
	st.dd.chk = chk
	return chk, nil
}

// sealChecker is the checker handed to the sealer. When the gallery
// cannot be loaded the seal still goes ahead (the check reports the load
// error itself) with a checker over an empty index: the sealed enrollment's
// templates are still written to the store's gallery, which the next load
// reads, instead of being left out of every later check.
func (st *StoreStation) sealChecker(ctx context.Context) *dedup.Checker {
	chk, err := st.Checker(ctx)
	if err != nil {
		return &dedup.Checker{Store: st.S, Index: index.New(), Policy: index.DefaultPolicy}
	}
	return chk
}

// CheckDuplicates runs the duplicate check of a BIO_CAPTURED enrollment,
// or returns the open case of one already in REVIEW.
func (st *StoreStation) CheckDuplicates(ctx context.Context, sess *operator.Session, id int64) (DupResult, error) {
	e, err := st.S.Enrollment(ctx, sess, id)
	if err != nil {
		return DupResult{}, fmt.Errorf("duplicate check: %w", err)
	}
	chk, err := st.Checker(ctx)
	if err != nil {
		return DupResult{}, err
	}
	switch e.State {
	case enroll.BioCaptured:
	case enroll.Review:
		return st.openCaseResult(ctx, sess, chk, id)
	default:
		return DupResult{}, fmt.Errorf("duplicate check: enrollment %d is %s; only a submitted enrollment is checked", id, e.State)
	}
	caps, err := st.S.Captures(ctx, sess, id)
	if err != nil {
		return DupResult{}, fmt.Errorf("duplicate check: %w", err)
	}
	probe, skipped := dedup.ProbeFromCaptures(caps)
	res, err := chk.Check(ctx, sess, id, probe)
	if err != nil {
		return DupResult{}, err
	}
	out := DupResult{EnrollmentID: id, Decision: res.Decision, Supersedes: res.Supersedes, CaseID: res.CaseID,
		DuplicateThreshold: res.DuplicateThreshold, ReviewThreshold: res.ReviewThreshold, GallerySize: chk.Index.Len(), Skipped: skipped}
	if res.Blocking != nil {
		p, err := st.person(ctx, sess, *res.Blocking, false)
		if err != nil {
			return out, err
		}
		out.Blocking = &p
	}
	if out.Candidates, out.Demographic, err = st.candidates(ctx, sess, res.Biometric, res.Demographic, false); err != nil {
		return out, err
	}
	return out, nil
}

// openCaseResult rebuilds the result of a REVIEW enrollment's open case.
func (st *StoreStation) openCaseResult(ctx context.Context, sess *operator.Session, chk *dedup.Checker, id int64) (DupResult, error) {
	cs, err := st.S.DedupCases(ctx, sess, store.CaseOpen)
	if err != nil {
		return DupResult{}, fmt.Errorf("duplicate check: %w", err)
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].EnrollmentID != id {
			continue
		}
		c, err := st.S.DedupCaseByID(ctx, sess, cs[i].ID)
		if err != nil {
			return DupResult{}, fmt.Errorf("duplicate check: %w", err)
		}
		bio, demo, err := decodeCandidates(c.Candidates)
		if err != nil {
			return DupResult{}, err
		}
		out := DupResult{EnrollmentID: id, Decision: dedup.Decision(c.Decision), CaseID: c.ID, GallerySize: chk.Index.Len()}
		out.DuplicateThreshold, out.ReviewThreshold = chk.Policy.Thresholds(out.GallerySize)
		if out.Supersedes, err = st.S.Superseded(ctx, sess, id); err != nil {
			return out, fmt.Errorf("duplicate check: %w", err)
		}
		out.Candidates, out.Demographic, err = st.candidates(ctx, sess, bio, demo, false)
		return out, err
	}
	return DupResult{}, fmt.Errorf("duplicate check: enrollment %d is in review without an open case", id)
}

// caseCandidates is the candidate list dedup stores with a case.
type caseCandidates struct {
	Demographic []dedup.DemographicCandidate `json:"demographic"`
	Biometric   []dedup.BiometricCandidate   `json:"biometric"`
}

func decodeCandidates(b []byte) ([]dedup.BiometricCandidate, []dedup.DemographicCandidate, error) {
	var cc caseCandidates
	if len(b) > 0 {
		if err := json.Unmarshal(b, &cc); err != nil {
			return nil, nil, fmt.Errorf("duplicate case candidates: %w", err)
		}
	}
	sort.SliceStable(cc.Biometric, func(i, j int) bool { return cc.Biometric[i].Score > cc.Biometric[j].Score })
	return cc.Biometric, cc.Demographic, nil
}

// candidates turns dedup's candidates into the screens' (best first).
func (st *StoreStation) candidates(ctx context.Context, sess *operator.Session, bio []dedup.BiometricCandidate, demo []dedup.DemographicCandidate, detail bool) ([]DupCandidate, []DupDemographic, error) {
	var cs []DupCandidate
	for _, b := range bio {
		c := DupCandidate{BiometricCandidate: b, Central: b.EnrollmentID == 0}
		if b.EnrollmentID != 0 {
			e, err := st.S.Enrollment(ctx, sess, b.EnrollmentID)
			if err != nil {
				return nil, nil, fmt.Errorf("duplicate candidate: %w", err)
			}
			if c.Person, err = st.person(ctx, sess, e, detail); err != nil {
				return nil, nil, err
			}
		}
		cs = append(cs, c)
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Score > cs[j].Score })
	var ds []DupDemographic
	for _, d := range demo {
		p, err := st.residentPerson(ctx, sess, d.ResidentID, detail)
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, DupDemographic{Person: p, Matched: d.Matched})
	}
	return cs, ds, nil
}

// person names an enrollment and its resident. Names and whole NIKs are
// given to roles that may list residents in full, and only in detail
// views; everyone else gets the NIK masked and no name.
func (st *StoreStation) person(ctx context.Context, sess *operator.Session, e store.Enrollment, detail bool) (DupPerson, error) {
	p := DupPerson{EnrollmentID: e.ID, State: e.State, ResidentID: e.ResidentID, CreatedBy: e.CreatedBy}
	r, err := st.S.Resident(ctx, sess, e.ResidentID)
	if err != nil {
		return p, fmt.Errorf("duplicate candidate enrollment %d: %w", e.ID, err)
	}
	fillPerson(&p, r.Resident, sess, detail)
	return p, nil
}

// residentPerson names a resident and its latest enrollment (if any).
func (st *StoreStation) residentPerson(ctx context.Context, sess *operator.Session, residentID int64, detail bool) (DupPerson, error) {
	p := DupPerson{ResidentID: residentID}
	r, err := st.S.Resident(ctx, sess, residentID)
	if err != nil {
		return p, fmt.Errorf("demographic candidate: %w", err)
	}
	fillPerson(&p, r.Resident, sess, detail)
	es, err := st.S.ResidentEnrollments(ctx, sess, residentID)
	if err != nil {
		return p, fmt.Errorf("demographic candidate: %w", err)
	}
	if n := len(es); n > 0 {
		p.EnrollmentID, p.State, p.CreatedBy = es[n-1].ID, es[n-1].State, es[n-1].CreatedBy
	}
	return p, nil
}

// fillPerson copies what the session may see of a resident.
func fillPerson(p *DupPerson, r enroll.Resident, sess *operator.Session, detail bool) {
	full := detail && sess != nil && operator.Allowed(sess.Role, operator.ResidentListFull)
	p.NIK = nik.Mask(r.NIK)
	if !full {
		return
	}
	p.NIK, p.Name, p.BirthPlace, p.BirthDate, p.MotherName = r.NIK, r.Name, r.BirthPlace, r.BirthDate, r.MotherName
}

// DupCases lists the undecided cases of enrollments still in REVIEW.
func (st *StoreStation) DupCases(ctx context.Context, sess *operator.Session) ([]DupCaseInfo, error) {
	cs, err := st.S.DedupCases(ctx, sess, store.CaseOpen)
	if err != nil {
		return nil, fmt.Errorf("duplicate cases: %w", err)
	}
	var out []DupCaseInfo
	for _, c := range cs {
		e, err := st.S.Enrollment(ctx, sess, c.EnrollmentID)
		if err != nil {
			return nil, fmt.Errorf("duplicate cases: %w", err)
		}
		if e.State != enroll.Review {
			continue
		}
		p, err := st.person(ctx, sess, e, false)
		if err != nil {
			return nil, err
		}
		out = append(out, caseInfo(c, p))
	}
	return out, nil
}

func caseInfo(c store.DedupCase, p DupPerson) DupCaseInfo {
	return DupCaseInfo{ID: c.ID, Decision: dedup.Decision(c.Decision), Status: c.Status, OpenedBy: c.OpenedBy, OpenedAt: c.OpenedAt, Person: p}
}

// DupCase loads a case with both sides: the enrollment under review and
// each candidate's record (images, minutiae, biodata).
func (st *StoreStation) DupCase(ctx context.Context, sess *operator.Session, caseID int64) (DupCase, error) {
	var out DupCase
	c, err := st.S.DedupCaseByID(ctx, sess, caseID)
	if err != nil {
		return out, fmt.Errorf("duplicate case: %w", err)
	}
	chk, err := st.Checker(ctx)
	if err != nil {
		return out, err
	}
	e, err := st.S.Enrollment(ctx, sess, c.EnrollmentID)
	if err != nil {
		return out, fmt.Errorf("duplicate case: %w", err)
	}
	p, err := st.person(ctx, sess, e, true)
	if err != nil {
		return out, err
	}
	out.DupCaseInfo = caseInfo(c, p)
	out.DecidedBy, out.DecidedAt, out.Reason = c.DecidedBy, c.DecidedAt, c.Reason
	out.DuplicateThreshold, out.ReviewThreshold = chk.Policy.Thresholds(chk.Index.Len())
	if out.Probe, err = st.side(ctx, sess, p); err != nil {
		return out, err
	}
	bio, demo, err := decodeCandidates(c.Candidates)
	if err != nil {
		return out, err
	}
	if out.Candidates, out.Demographic, err = st.candidates(ctx, sess, bio, demo, true); err != nil {
		return out, err
	}
	for i, cand := range out.Candidates {
		s := DupSide{Person: cand.Person, Central: cand.Central}
		if !cand.Central && i < maxSides {
			if s, err = st.side(ctx, sess, cand.Person); err != nil {
				return out, err
			}
		}
		out.Sides = append(out.Sides, s)
	}
	for i, d := range out.Demographic {
		s := DupSide{Person: d.Person}
		if d.Person.EnrollmentID != 0 && i < maxSides {
			if s, err = st.side(ctx, sess, d.Person); err != nil {
				return out, err
			}
		}
		out.DemoSides = append(out.DemoSides, s)
	}
	return out, nil
}

// side loads one enrollment's images and the minutiae of its fingers.
func (st *StoreStation) side(ctx context.Context, sess *operator.Session, p DupPerson) (DupSide, error) {
	s := DupSide{Person: p}
	caps, err := st.S.Captures(ctx, sess, p.EnrollmentID)
	if err != nil {
		return s, fmt.Errorf("duplicate case: %w", err)
	}
	images := 0
	for _, c := range caps {
		var im *DupImage
		switch {
		case strings.HasPrefix(c.Step, "finger."):
			n, err := strconv.Atoi(strings.TrimPrefix(c.Step, "finger."))
			if err != nil || n < 1 || n > index.Fingers {
				continue
			}
			im = &s.Fingers[n-1]
		case c.Step == Eye(RightEye).Step():
			im = &s.Irises[0]
		case c.Step == Eye(LeftEye).Step():
			im = &s.Irises[1]
		case c.Step == StepFace:
			im = &s.Face
		default:
			continue
		}
		im.Exception = c.Meta.Exception
		if len(c.Blob) == 0 {
			continue
		}
		img, _, err := image.Decode(bytes.NewReader(c.Blob))
		if err != nil {
			continue // shown as "no image"; the case stays decidable
		}
		im.Image = img
		images++
		if strings.HasPrefix(c.Step, "finger.") && c.Meta.Exception == "" {
			im.Minutiae = minutiae(img)
		}
	}
	s.Purged = images == 0 && p.State != enroll.Draft && p.State != ""
	return s, nil
}

// minutiae extracts a finger image's minutiae in the image's pixels (nil
// when the engine finds no print).
func minutiae(img image.Image) []finger.Minutia {
	r := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(g, g.Rect, img, r.Min, draw.Src)
	t, err := finger.Extract(&finger.Image{Width: r.Dx(), Height: r.Dy(), Pix: g.Pix})
	if err != nil || t.Width == 0 || t.Height == 0 {
		return nil
	}
	sx, sy := float64(r.Dx())/float64(t.Width), float64(r.Dy())/float64(t.Height)
	out := make([]finger.Minutia, len(t.Minutiae))
	for i, m := range t.Minutiae {
		m.X, m.Y = int(float64(m.X)*sx+0.5), int(float64(m.Y)*sy+0.5)
		out[i] = m
	}
	return out
}

// DecideDupCase records a supervisor's verdict with its reason; a "not a
// duplicate" verdict approves the enrollment, which is then sealed when
// the station is registered.
func (st *StoreStation) DecideDupCase(ctx context.Context, sess *operator.Session, caseID int64, duplicate bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("decide duplicate case %d: %w", caseID, ErrNeedReason)
	}
	verdict := store.CaseNotDuplicate
	if duplicate {
		verdict = store.CaseDuplicate
	}
	c, err := st.S.DedupCaseByID(ctx, sess, caseID)
	if err != nil {
		return fmt.Errorf("decide duplicate case %d: %w", caseID, err)
	}
	if err := st.S.DecideDedupCase(ctx, sess, caseID, verdict, reason); err != nil {
		return err
	}
	if duplicate {
		return nil
	}
	return st.sealApproved(ctx, sess, c.EnrollmentID)
}

// clearForApproval runs the duplicate check before a submitted
// (BIO_CAPTURED) enrollment is approved, so that nothing is sealed
// unchecked: anything but clear refuses the approval with ErrNotCleared
// (a review or duplicate opened a case; the approval then goes through
// the case). Other states are left to the store.
func (st *StoreStation) clearForApproval(ctx context.Context, sess *operator.Session, id int64) error {
	if sess == nil || !operator.Allowed(sess.Role, operator.EnrollmentDecide) {
		return nil // the store refuses the decision itself
	}
	e, err := st.S.Enrollment(ctx, sess, id)
	if err != nil || e.State != enroll.BioCaptured {
		return err
	}
	res, err := st.CheckDuplicates(ctx, sess, id)
	if err != nil {
		return fmt.Errorf("approve enrollment %d: %w", id, err)
	}
	if res.Decision != dedup.Clear {
		return fmt.Errorf("approve enrollment %d: %w (%s)", id, ErrNotCleared, res.Decision)
	}
	return nil
}
