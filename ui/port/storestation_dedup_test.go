package port

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
	"github.com/rekam-ktp/rekam/ui/port/porttest"
)

// dupFingers are the fingers the synthetic people present (porttest draws
// them); the others are recorded as bandaged, to keep the tests fast.
var dupFingers = []Finger{2, 7}

// submitPerson records and submits a complete enrollment of a synthetic
// person under biodata r, captured by sess.
func submitPerson(t *testing.T, st *StoreStation, sess *operator.Session, r enroll.Resident, person uint64, impression int) int64 {
	t.Helper()
	ctx := context.Background()
	rid, err := st.SaveResident(ctx, sess, 0, r)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.StartEnrollment(ctx, sess, rid)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := porttest.Captures(person, impression, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range Steps() {
		blob, meta := caps[step], store.CaptureMeta{Format: "png"}
		if blob == nil {
			meta = store.CaptureMeta{Exception: "bandaged"}
		}
		if err := st.SaveCapture(ctx, sess, id, step, blob, meta); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, sess, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// register registers the station with a loopback national server, so an
// approval seals (and the gallery learns the enrollment).
func register(t *testing.T, st *StoreStation) {
	t.Helper()
	ctx := context.Background()
	info, _ := st.Info(ctx)
	srv := pusattest.Start(t, info.ID, info.Kecamatan)
	reg, err := client.Register(ctx, srv.URL, srv.Token, info.ID, st.keys.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if err := syncstation.SaveRegistration(st.configDir, reg); err != nil {
		t.Fatal(err)
	}
}

func state(t *testing.T, st *StoreStation, s *operator.Session, id int64) enroll.State {
	t.Helper()
	e, err := st.Enrollment(context.Background(), s, id)
	if err != nil {
		t.Fatal(err)
	}
	return e.State
}

func TestReEnrollmentUnderAnotherNIKOpensCaseCapturerCannotDecide(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	register(t, st)
	const person = 5150
	first := submitPerson(t, st, s["op1"], enroll.Resident{NIK: "3211010101900001", Name: "BUDI SANTOSO", BirthDate: "1990-01-01"}, person, 0)
	r1, err := st.CheckDuplicates(ctx, s["op1"], first)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Decision != dedup.Clear || r1.CaseID != 0 || len(r1.Skipped) != 0 {
		t.Fatalf("first enrollment: %+v, want clear, every capture searched", r1)
	}
	// The approval seals it and the sealer adds it to the gallery.
	if err := st.Decide(ctx, s["sup2"], first, true, ""); err != nil {
		t.Fatal(err)
	}
	if got := state(t, st, s["sup2"], first); got != enroll.Processing {
		t.Fatalf("first enrollment is %s after approval, want PROCESSING", got)
	}
	chk, err := st.Checker(ctx)
	if err != nil || chk.Index.Len() != 1 {
		t.Fatalf("gallery after the seal: %v, %v", chk, err)
	}

	// The same person under another NIK and name, captured by supervisor
	// sup1 (a supervisor may capture, but not adjudicate their own).
	second := submitPerson(t, st, s["sup1"], enroll.Resident{NIK: "3211014506920002", Name: "RAHMAT HIDAYAT", BirthDate: "1992-06-05"}, person, 1)
	r2, err := st.CheckDuplicates(ctx, s["op1"], second)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Decision != dedup.Duplicate || r2.CaseID == 0 || len(r2.Candidates) == 0 {
		t.Fatalf("re-enrollment: %+v, want duplicate with a case", r2)
	}
	top := r2.Candidates[0]
	if top.Person.EnrollmentID != first || top.Score < r2.DuplicateThreshold || top.Person.NIK != nik.Mask("3211010101900001") || top.Person.Name != "" {
		t.Fatalf("top candidate %+v (threshold %.1f): want enrollment %d, masked NIK, no name for an operator", top, r2.DuplicateThreshold, first)
	}
	for _, f := range dupFingers {
		if top.Fingers[f-1] == nil {
			t.Errorf("finger %d has no score", f)
		}
	}
	if got := state(t, st, s["sup2"], second); got != enroll.Review {
		t.Fatalf("re-enrollment is %s, want REVIEW", got)
	}
	// Checking again shows the same case; no second case opens.
	again, err := st.CheckDuplicates(ctx, s["op1"], second)
	if err != nil || again.CaseID != r2.CaseID || again.Decision != dedup.Duplicate || len(again.Candidates) != len(r2.Candidates) {
		t.Fatalf("second look: %+v, %v", again, err)
	}
	// No approval around the case.
	if err := st.Decide(ctx, s["sup2"], second, true, ""); !errors.Is(err, store.ErrOpenDedupCase) {
		t.Fatalf("approval around the case: %v", err)
	}
	cases, err := st.DupCases(ctx, s["sup2"])
	if err != nil || len(cases) != 1 || cases[0].ID != r2.CaseID || cases[0].Person.NIK != nik.Mask("3211014506920002") {
		t.Fatalf("open cases %+v, %v", cases, err)
	}

	// Side by side: both records' images, minutiae, biodata in full.
	c, err := st.DupCase(ctx, s["sup2"], r2.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Probe.Person.NIK != "3211014506920002" || len(c.Sides) != len(c.Candidates) || c.Sides[0].Person.Name != "BUDI SANTOSO" {
		t.Fatalf("case sides: probe %+v, candidates %d, sides %d", c.Probe.Person, len(c.Candidates), len(c.Sides))
	}
	for _, side := range []DupSide{c.Probe, c.Sides[0]} {
		for _, f := range dupFingers {
			im := side.Fingers[f-1]
			if im.Image == nil || len(im.Minutiae) == 0 {
				t.Errorf("enrollment %d finger %d: image %v, %d minutiae", side.Person.EnrollmentID, f, im.Image != nil, len(im.Minutiae))
			}
			b := im.Image.Bounds()
			for _, m := range im.Minutiae {
				if m.X < 0 || m.Y < 0 || m.X >= b.Dx() || m.Y >= b.Dy() {
					t.Fatalf("minutia %+v outside the %v image", m, b)
				}
			}
		}
		if side.Fingers[0].Exception != "bandaged" || side.Irises[0].Image == nil || side.Irises[1].Image == nil {
			t.Errorf("enrollment %d: finger 1 %+v, irises %v %v", side.Person.EnrollmentID, side.Fingers[0].Exception, side.Irises[0].Image != nil, side.Irises[1].Image != nil)
		}
	}
	if c.DuplicateThreshold <= c.ReviewThreshold || c.ReviewThreshold <= 0 {
		t.Fatalf("thresholds %.2f / %.2f", c.DuplicateThreshold, c.ReviewThreshold)
	}

	// The four-eyes rule and the mandatory reason.
	if err := st.DecideDupCase(ctx, s["sup1"], r2.CaseID, false, "different people"); !errors.Is(err, ErrSelfAdjudication) {
		t.Fatalf("capturing supervisor decided: %v", err)
	}
	if err := st.DecideDupCase(ctx, s["op1"], r2.CaseID, true, "same prints"); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator decided: %v", err)
	}
	if err := st.DecideDupCase(ctx, s["sup2"], r2.CaseID, true, "  "); !errors.Is(err, ErrNeedReason) {
		t.Fatalf("verdict without a reason: %v", err)
	}
	if got := state(t, st, s["sup2"], second); got != enroll.Review {
		t.Fatalf("refused verdicts moved the enrollment to %s", got)
	}
	if err := st.DecideDupCase(ctx, s["sup2"], r2.CaseID, true, "same prints as #1"); err != nil {
		t.Fatal(err)
	}
	if got := state(t, st, s["sup2"], second); got != enroll.Rejected {
		t.Fatalf("duplicate verdict left the enrollment %s, want REJECTED", got)
	}
	if cases, _ := st.DupCases(ctx, s["sup2"]); len(cases) != 0 {
		t.Fatalf("decided case still listed: %+v", cases)
	}

	// Approving a submitted duplicate nobody checked runs the check first.
	third := submitPerson(t, st, s["op1"], enroll.Resident{NIK: "3211016007950003", Name: "DEDI", BirthDate: "1995-07-20"}, person, 1)
	if err := st.Decide(ctx, s["sup2"], third, true, ""); !errors.Is(err, ErrNotCleared) {
		t.Fatalf("unchecked duplicate approved: %v", err)
	}
	if got := state(t, st, s["sup2"], third); got != enroll.Review {
		t.Fatalf("unchecked duplicate is %s, want REVIEW with a case", got)
	}
}

func TestSameNIKWhilePendingIsBlocked(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	r := enroll.Resident{NIK: "3211010101900009", Name: "A"}
	first := draft(t, st, s["op1"], r.NIK, Steps())
	if err := st.Submit(ctx, s["op1"], first); err != nil {
		t.Fatal(err)
	}
	// The same NIK again (the resident row is shared).
	rec, err := st.ResidentByNIK(ctx, s["op1"], r.NIK)
	if err != nil {
		t.Fatal(err)
	}
	second, err := st.StartEnrollment(ctx, s["op1"], rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range Steps() {
		if err := st.SaveCapture(ctx, s["op1"], second, step, []byte{1}, store.CaptureMeta{Format: "png"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, s["op1"], second); err != nil {
		t.Fatal(err)
	}
	res, err := st.CheckDuplicates(ctx, s["op1"], second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != dedup.Blocked || res.Blocking == nil || res.Blocking.EnrollmentID != first || res.Blocking.State != enroll.BioCaptured {
		t.Fatalf("same NIK while pending: %+v", res)
	}
	if res.CaseID != 0 {
		t.Fatalf("blocked result opened a case: %+v", res)
	}
	// The supervisor cannot approve the blocked one either.
	if err := st.Decide(ctx, s["sup2"], second, true, ""); !errors.Is(err, ErrNotCleared) {
		t.Fatalf("blocked enrollment approved: %v", err)
	}
	// A draft is not checked.
	third, _ := st.StartEnrollment(ctx, s["op1"], rec.ID)
	if _, err := st.CheckDuplicates(ctx, s["op1"], third); err == nil {
		t.Fatal("a DRAFT was checked")
	}
}

// A twin-like near-miss by demographics alone (same name and birth date,
// another person's prints) is only a candidate: the case opens for review,
// a supervisor decides "not a duplicate", and the approval seals it into
// the gallery.
func TestDemographicNearMissReviewedNotDuplicateSeals(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	register(t, st)
	first := submitPerson(t, st, s["op1"], enroll.Resident{NIK: "3211010101900001", Name: "MUHAMMAD RIZKI", BirthDate: "1990-01-01", MotherName: "SITI"}, 6001, 0)
	if err := st.Decide(ctx, s["sup2"], first, true, ""); err != nil {
		t.Fatal(err)
	}
	twin := submitPerson(t, st, s["op1"], enroll.Resident{NIK: "3211010101900002", Name: "MUH. RIZKI", BirthDate: "1990-01-01", MotherName: "SITI"}, 6002, 0)
	res, err := st.CheckDuplicates(ctx, s["op1"], twin)
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != dedup.Review || len(res.Candidates) != 0 || len(res.Demographic) != 1 || res.Demographic[0].Person.EnrollmentID != first {
		t.Fatalf("twin-like near-miss: %+v, want review with one demographic candidate only", res)
	}
	if m := strings.Join(res.Demographic[0].Matched, ","); m != "name,birth_date,mother_name" {
		t.Fatalf("matched %q", m)
	}
	c, err := st.DupCase(ctx, s["sup2"], res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.DemoSides) != 1 || c.DemoSides[0].Person.Name != "MUHAMMAD RIZKI" || c.DemoSides[0].Fingers[1].Image == nil {
		t.Fatalf("demographic side not loaded: %+v", c.DemoSides)
	}
	if err := st.DecideDupCase(ctx, s["sup2"], res.CaseID, false, "sidik jari dan iris berbeda"); err != nil {
		t.Fatal(err)
	}
	if got := state(t, st, s["sup2"], twin); got != enroll.Processing {
		t.Fatalf("not-a-duplicate verdict left the enrollment %s, want PROCESSING (sealed)", got)
	}
	if chk, _ := st.Checker(ctx); chk.Index.Len() != 2 {
		t.Fatalf("gallery holds %d after two seals", chk.Index.Len())
	}
}

// TestSealWithoutGalleryStillStoresTemplates: when the gallery cannot be
// loaded at seal time, the sealed enrollment's templates still reach the
// store's gallery, so later checks find it once the gallery loads again.
func TestSealWithoutGalleryStillStoresTemplates(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	id := submitPerson(t, st, s["op1"], enroll.Resident{NIK: "3211010101900021", Name: "DEWI"}, 7001, 0)
	if err := st.Decide(ctx, s["sup2"], id, true, ""); err != nil { // unregistered: APPROVED, not sealed
		t.Fatal(err)
	}
	register(t, st)
	sys := st.S.SystemSession("sync")
	bad := []store.GalleryRecord{{RecordID: "c:bad", Source: store.GalleryCentral, Templates: []byte{1, 2, 3}}}
	if err := st.S.ReplaceCentralGallery(ctx, sys, bad); err != nil {
		t.Fatal(err)
	}
	st.dd.chk = nil
	if _, err := st.Checker(ctx); err == nil {
		t.Fatal("the gallery with a corrupt record loaded")
	}
	if err := st.sealApproved(ctx, s["sup2"], id); err != nil {
		t.Fatal(err)
	}
	if got := state(t, st, s["sup2"], id); got != enroll.Processing {
		t.Fatalf("enrollment %s after the seal", got)
	}
	if err := st.S.ReplaceCentralGallery(ctx, sys, nil); err != nil {
		t.Fatal(err)
	}
	chk, err := st.Checker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if chk.Index.Len() != 1 {
		t.Fatalf("gallery holds %d records after the seal, want the sealed enrollment", chk.Index.Len())
	}
}

func TestCheckerLoadsOnceForConcurrentCallers(t *testing.T) {
	st, _ := fixture(t)
	const n = 8
	got := make(chan *dedup.Checker, n)
	for i := 0; i < n; i++ {
		go func() {
			c, err := st.Checker(context.Background())
			if err != nil {
				t.Error(err)
			}
			got <- c
		}()
	}
	first := <-got
	for i := 1; i < n; i++ {
		if c := <-got; c != first || c == nil {
			t.Fatalf("callers got different checkers: %p and %p", first, c)
		}
	}
}

func FuzzDecodeCandidates(f *testing.F) {
	f.Add([]byte(`{"biometric":[{"record_id":"enr:1","enrollment_id":1,"score":3.5,"fingers":[null,2.5],"irises":[1,null]},{"record_id":"c:x","score":9}]}`))
	f.Add([]byte(`{"demographic":[{"resident_id":4,"matched":["name","birth_date"]}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"biometric":[{"fingers":[1,2,3,4,5,6,7,8,9,10,11]}]}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		bio, _, err := decodeCandidates(b)
		if err != nil {
			return
		}
		for i := 1; i < len(bio); i++ {
			if bio[i].Score > bio[i-1].Score {
				t.Fatalf("candidates not ranked: %v before %v", bio[i-1].Score, bio[i].Score)
			}
		}
	})
}
