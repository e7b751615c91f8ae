package dedup_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/simulators/tmplsynth"
)

// station is a real store in a temporary folder with two operators and
// two supervisors, a checker over it, and a gallery of synthetic strangers.
type station struct {
	t    *testing.T
	ctx  context.Context
	st   *store.Store
	k    *keys.Keys
	path string
	chk  *dedup.Checker
	sess map[string]*operator.Session
}

const pw = "correct-horse-1"

func newStation(t *testing.T, strangers int) *station {
	t.Helper()
	ctx := context.Background()
	k, err := keys.Generate("ST-DEDUP")
	if err != nil {
		t.Fatal(err)
	}
	s := &station{t: t, ctx: ctx, k: k, path: filepath.Join(t.TempDir(), store.FileName), sess: map[string]*operator.Session{}}
	clock := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	s.st, err = store.Open(ctx, s.path, k, store.Options{Create: true, Now: func() time.Time { return clock },
		HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.st.Close() })
	if err := s.st.Bootstrap(ctx, store.Station{ID: "ST-DEDUP", Kecamatan: "32.11.01"}, "admin", pw); err != nil {
		t.Fatal(err)
	}
	admin, err := s.st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "op2": operator.RoleOperator,
		"sup1": operator.RoleSupervisor, "sup2": operator.RoleSupervisor} {
		if _, err := s.st.AddOperator(ctx, admin, name, role, pw); err != nil {
			t.Fatal(err)
		}
		if s.sess[name], err = s.st.Login(ctx, name, pw); err != nil {
			t.Fatal(err)
		}
	}
	// The centre's gallery: template-level synthetic strangers.
	var recs []store.GalleryRecord
	for i := 0; i < strangers; i++ {
		var r index.Record
		for f := range r.Fingers {
			r.Fingers[f] = tmplsynth.Finger(uint64(i), f+1)
		}
		for e := range r.Irises {
			r.Irises[e] = tmplsynth.Iris(uint64(i), e)
		}
		e, err := index.NewEntry(&r)
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, store.GalleryRecord{RecordID: dedup.CentralRecordID(strconv.Itoa(i)), Source: store.GalleryCentral, Templates: b})
	}
	sys := s.st.SystemSession("test")
	if err := s.st.ReplaceCentralGallery(ctx, sys, recs); err != nil {
		t.Fatal(err)
	}
	// Start-up: the checker loads the gallery from the encrypted store.
	if s.chk, err = dedup.Open(ctx, s.st, sys, index.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	if s.chk.Index.Len() != strangers {
		t.Fatalf("index holds %d identities after load, want %d", s.chk.Index.Len(), strangers)
	}
	return s
}

// The synthetic people's captures: two index fingers and both irises; the
// other eight fingers are recorded as exceptions (skipped by dedup).
var capturedFingers = []int{2, 7}

// pngOf encodes a grey image.
func pngOf(t *testing.T, g *image.Gray) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// captureCache keeps synthetic captures across tests (drawing them is the
// slow part).
var captureCache sync.Map

type capKey struct {
	person     uint64
	impression int
}

func captures(t *testing.T, person uint64, impression int) map[string][]byte {
	if v, ok := captureCache.Load(capKey{person, impression}); ok {
		return v.(map[string][]byte)
	}
	out := map[string][]byte{}
	for _, f := range capturedFingers {
		out["finger."+twoDigits(f)] = pngOf(t, synth.Finger(person, f, impression, synth.FingerOptions{}))
	}
	out["iris.right"] = pngOf(t, synth.Iris(person, 0, impression))
	out["iris.left"] = pngOf(t, synth.Iris(person, 1, impression))
	captureCache.Store(capKey{person, impression}, out)
	return out
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// resident makes biodata.
func resident(nik, name, birth, mother string) enroll.Resident {
	return enroll.Resident{NIK: nik, KK: "3211010101090001", Name: name, BirthPlace: "SUMEDANG", BirthDate: birth,
		Sex: 1, Religion: 1, Marital: 1, FamilyRelation: 4, Education: 5, Occupation: 15, MotherName: mother,
		Address: "JL MERDEKA 1", RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1}
}

// addResident stores biodata and returns the resident id.
func (s *station) addResident(r enroll.Resident) int64 {
	s.t.Helper()
	id, err := s.st.AddResident(s.ctx, s.sess["op1"], r)
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// capture records a BIO_CAPTURED enrollment of resident by operator op
// with the given person's impression, and returns it with its probe.
func (s *station) capture(residentID int64, op string, person uint64, impression int) (int64, *index.Record) {
	s.t.Helper()
	sess := s.sess[op]
	id, err := s.st.CreateEnrollment(s.ctx, sess, residentID)
	if err != nil {
		s.t.Fatal(err)
	}
	for step, blob := range captures(s.t, person, impression) {
		if err := s.st.SaveCapture(s.ctx, sess, id, step, blob, store.CaptureMeta{Format: "png"}); err != nil {
			s.t.Fatal(err)
		}
	}
	for f := 1; f <= 10; f++ {
		if f == capturedFingers[0] || f == capturedFingers[1] {
			continue
		}
		if err := s.st.SaveCapture(s.ctx, sess, id, "finger."+twoDigits(f), nil, store.CaptureMeta{Exception: "bandaged"}); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := s.st.Transition(s.ctx, sess, id, enroll.BioCaptured, ""); err != nil {
		s.t.Fatal(err)
	}
	caps, err := s.st.Captures(s.ctx, sess, id)
	if err != nil {
		s.t.Fatal(err)
	}
	probe, skipped := dedup.ProbeFromCaptures(caps)
	if len(skipped) != 0 {
		s.t.Fatalf("engines rejected captures %v", skipped)
	}
	if f, e := probe.Modalities(); f != len(capturedFingers) || e != 2 {
		s.t.Fatalf("probe has %d fingers and %d irises, want %d and 2 (exceptions skipped)", f, e, len(capturedFingers))
	}
	return id, probe
}

// seal approves a clear enrollment and adds it to the gallery, as the
// sealing step does.
func (s *station) seal(id int64, probe *index.Record) {
	s.t.Helper()
	if err := s.st.Transition(s.ctx, s.sess["sup2"], id, enroll.Approved, ""); err != nil {
		s.t.Fatal(err)
	}
	if err := s.chk.AddSealed(s.ctx, s.sess["sup2"], id, probe); err != nil {
		s.t.Fatal(err)
	}
}

func (s *station) state(id int64) enroll.State {
	s.t.Helper()
	e, err := s.st.Enrollment(s.ctx, s.sess["sup2"], id)
	if err != nil {
		s.t.Fatal(err)
	}
	return e.State
}

func TestReEnrollmentUnderAnotherNIKIsCaught(t *testing.T) {
	s := newStation(t, 300)
	const person = 4101
	first := s.addResident(resident("3211010101900001", "Budi Santoso", "1990-01-01", "Sri Wahyuni"))
	e1, p1 := s.capture(first, "op1", person, 0)
	r1, err := s.chk.Check(s.ctx, s.sess["op1"], e1, p1)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Decision != dedup.Clear || len(r1.Biometric) != 0 || r1.CaseID != 0 {
		t.Fatalf("first enrollment: %+v, want clear without candidates", r1)
	}
	s.seal(e1, p1)

	// The same person, another NIK, another name and birth date, another
	// operator, a new impression of every finger and eye.
	second := s.addResident(resident("3211014506920002", "Rahmat Hidayat", "1992-06-05", "Euis"))
	e2, p2 := s.capture(second, "op2", person, 1)
	r2, err := s.chk.Check(s.ctx, s.sess["op2"], e2, p2)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Decision != dedup.Duplicate {
		t.Fatalf("re-enrollment decided %s (candidates %+v), want duplicate", r2.Decision, r2.Biometric)
	}
	top := r2.Biometric[0]
	if top.RecordID != dedup.LocalRecordID(e1) || top.EnrollmentID != e1 || top.Score < r2.DuplicateThreshold {
		t.Fatalf("top candidate %+v, want enrollment %d above %.1f", top, e1, r2.DuplicateThreshold)
	}
	for _, f := range capturedFingers {
		if top.Fingers[f-1] == nil {
			t.Errorf("finger %d not compared", f)
		}
	}
	for p := 1; p <= 10; p++ {
		if top.Fingers[p-1] != nil && p != capturedFingers[0] && p != capturedFingers[1] {
			t.Errorf("finger %d (an exception) was compared", p)
		}
	}
	if top.Irises[0] == nil || top.Irises[1] == nil {
		t.Errorf("irises not compared: %+v", top.Irises)
	}
	if len(r2.Demographic) != 0 {
		t.Errorf("demographic candidates %+v for unrelated biodata", r2.Demographic)
	}
	if r2.CaseID == 0 || s.state(e2) != enroll.Review {
		t.Fatalf("case %d, state %s: want an open case and REVIEW", r2.CaseID, s.state(e2))
	}
	c, err := s.st.DedupCaseByID(s.ctx, s.sess["sup2"], r2.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.CaseOpen || c.Decision != "duplicate" || !bytes.Contains(c.Candidates, []byte(dedup.LocalRecordID(e1))) {
		t.Fatalf("case %+v", c)
	}

	// A restart loads the station's own sealed enrollment from the store.
	chk, err := dedup.Open(s.ctx, s.st, s.st.SystemSession("restart"), index.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if got := chk.Index.Search(p2, index.Options{}); len(got) == 0 || got[0].ID != dedup.LocalRecordID(e1) {
		t.Fatalf("after reload the search does not find enrollment %d first", e1)
	}
}

func TestTwinLikeDemographicsAreOnlyACandidate(t *testing.T) {
	s := newStation(t, 50)
	a := s.addResident(resident("3211010101000003", "Muhammad Rizky", "2000-01-01", "Siti Aminah"))
	ea, pa := s.capture(a, "op1", 4201, 0)
	if r, err := s.chk.Check(s.ctx, s.sess["op1"], ea, pa); err != nil || r.Decision != dedup.Clear {
		t.Fatalf("first twin: %+v, %v", r, err)
	}
	s.seal(ea, pa)
	// Same birth date, same mother written differently, a name variant:
	// a different person biometrically.
	b := s.addResident(resident("3211010101000004", "Muh. Rizki", "2000-01-01", "St. Aminah"))
	eb, pb := s.capture(b, "op2", 4202, 0)
	r, err := s.chk.Check(s.ctx, s.sess["op2"], eb, pb)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != dedup.Review {
		t.Fatalf("twin-like near miss decided %s, want review", r.Decision)
	}
	if len(r.Demographic) != 1 || r.Demographic[0].ResidentID != a || len(r.Demographic[0].Matched) != 3 {
		t.Fatalf("demographic candidates %+v, want resident %d on name, birth date and mother", r.Demographic, a)
	}
	if len(r.Biometric) != 0 {
		t.Fatalf("biometric candidates %+v for a different person", r.Biometric)
	}
	if r.CaseID == 0 {
		t.Fatal("no adjudication case opened")
	}
	// A different birth date is no candidate at all.
	c := s.addResident(resident("3211010101000005", "Muhammad Rizky", "2000-01-02", "Siti Aminah"))
	ec, pc := s.capture(c, "op2", 4203, 0)
	if r, err := s.chk.Check(s.ctx, s.sess["op2"], ec, pc); err != nil || r.Decision != dedup.Clear || len(r.Demographic) != 0 {
		t.Fatalf("other birth date: %+v, %v", r, err)
	}
}

func TestAdjudicationPermission(t *testing.T) {
	s := newStation(t, 20)
	// sup1 captures an enrollment itself; the twin rule gives it a case.
	a := s.addResident(resident("3211010101000006", "Dewi Lestari", "1995-03-03", "Ani"))
	ea, pa := s.capture(a, "op1", 4301, 0)
	if _, err := s.chk.Check(s.ctx, s.sess["op1"], ea, pa); err != nil {
		t.Fatal(err)
	}
	s.seal(ea, pa)
	b := s.addResident(resident("3211010101000007", "Dewi  Lestari", "1995-03-03", "Ani"))
	eb, pb := s.capture(b, "sup1", 4302, 0)
	r, err := s.chk.Check(s.ctx, s.sess["sup1"], eb, pb)
	if err != nil || r.CaseID == 0 {
		t.Fatalf("no case: %+v, %v", r, err)
	}
	tests := []struct {
		who     string
		verdict string
		want    error
	}{
		{"op2", store.CaseNotDuplicate, operator.ErrForbidden}, // an operator never decides
		{"sup1", store.CaseNotDuplicate, store.ErrSelfAdjudication},
		{"sup2", store.CaseNotDuplicate, nil},
		{"sup2", store.CaseDuplicate, nil}, // already decided: refused below
	}
	for i, tc := range tests {
		err := s.st.DecideDedupCase(s.ctx, s.sess[tc.who], r.CaseID, tc.verdict, "checked side by side")
		switch {
		case i == 3:
			if err == nil {
				t.Errorf("a decided case was decided again")
			}
		case tc.want == nil && err != nil:
			t.Errorf("%s: %v", tc.who, err)
		case tc.want != nil && !errors.Is(err, tc.want):
			t.Errorf("%s: got %v, want %v", tc.who, err, tc.want)
		}
	}
	c, err := s.st.DedupCaseByID(s.ctx, s.sess["sup2"], r.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.CaseNotDuplicate || c.DecidedBy != "sup2" || c.Reason != "checked side by side" {
		t.Fatalf("case after decision %+v", c)
	}
	if st := s.state(eb); st != enroll.Approved {
		t.Fatalf("enrollment %s after a not-duplicate verdict, want APPROVED", st)
	}
	hist, err := s.st.Transitions(s.ctx, s.sess["sup2"], eb)
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; last.Actor != "sup2" || last.To != enroll.Approved {
		t.Fatalf("last transition %+v", last)
	}
}

func TestSameNIKBlocksUntilTheCentreAsksForAReRecord(t *testing.T) {
	s := newStation(t, 20)
	a := s.addResident(resident("3211010101000008", "Agus Salim", "1980-08-08", "Ratna"))
	e1, p1 := s.capture(a, "op1", 4401, 0)
	if _, err := s.chk.Check(s.ctx, s.sess["op1"], e1, p1); err != nil {
		t.Fatal(err)
	}
	s.seal(e1, p1)
	e2, p2 := s.capture(a, "op2", 4401, 1)
	r, err := s.chk.Check(s.ctx, s.sess["op2"], e2, p2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != dedup.Blocked || r.Blocking == nil || r.Blocking.ID != e1 || r.CaseID != 0 {
		t.Fatalf("second enrollment of an approved NIK: %+v, want blocked by %d", r, e1)
	}
	// The centre refuses the first recording and asks for a new one.
	sys := s.st.SystemSession("sync")
	for _, to := range []enroll.State{enroll.Processing, enroll.SentForEnrollment, enroll.ReceivedAtCentral, enroll.EnrollFailureAtCentral} {
		if err := s.st.Transition(s.ctx, sys, e1, to, "centre: poor finger quality"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.st.Void(s.ctx, s.sess["op2"], e2, "blocked"); err == nil {
		t.Fatal("a BIO_CAPTURED enrollment was voided")
	}
	r, err = s.chk.Check(s.ctx, s.sess["op2"], e2, p2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != dedup.Clear || r.Supersedes != e1 {
		t.Fatalf("re-record after ENROLL_FAILURE_AT_CENTRAL: %+v, want clear and linked to %d (its own old templates are not a duplicate)", r, e1)
	}
	if old, err := s.st.Superseded(s.ctx, s.sess["op2"], e2); err != nil || old != e1 {
		t.Fatalf("stored link %d, %v; want %d", old, err, e1)
	}
}
