package station_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/feed"
	"github.com/rekam-ktp/rekam/sync/packet"
	"github.com/rekam-ktp/rekam/sync/pusat"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
	"github.com/rekam-ktp/rekam/sync/server"
	"github.com/rekam-ktp/rekam/sync/station"
)

var ctx = context.Background()

type stationFixture struct {
	s        *store.Store
	k        *keys.Keys
	data     string
	op, sup  *operator.Session
	password string
}

func newStation(t *testing.T) *stationFixture {
	t.Helper()
	k, err := keys.Generate("ST-01")
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	s, err := store.Open(ctx, filepath.Join(data, store.FileName), k, store.Options{Create: true, HashParams: operator.HashParams{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &stationFixture{s: s, k: k, data: data, password: "pass-word-1"}
	if err := s.Bootstrap(ctx, store.Station{ID: "ST-01", Kecamatan: "32.11.01"}, "admin", f.password); err != nil {
		t.Fatal(err)
	}
	admin, _ := s.Login(ctx, "admin", f.password)
	s.AddOperator(ctx, admin, "budi", operator.RoleOperator, f.password)
	s.AddOperator(ctx, admin, "sari", operator.RoleSupervisor, f.password)
	f.op, _ = s.Login(ctx, "budi", f.password)
	f.sup, _ = s.Login(ctx, "sari", f.password)
	return f
}

func (f *stationFixture) approved(t *testing.T, nik string) int64 {
	t.Helper()
	rid, err := f.s.AddResident(ctx, f.op, enroll.Resident{NIK: nik, KK: "3211010101090001", Name: "ASEP", BirthPlace: "SUMEDANG",
		BirthDate: "1990-01-01", Sex: 1, Religion: 1, Marital: 2, FamilyRelation: 1, Education: 5, Occupation: 15,
		MotherName: "IBU", Address: "JL 1", RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1})
	if err != nil {
		t.Fatal(err)
	}
	eid, _ := f.s.CreateEnrollment(ctx, f.op, rid)
	for _, step := range []string{"finger.01", "face", "iris.right", "template.01"} {
		blob, format := noisePNG(t, 120, 160), "png"
		switch step {
		case "template.01":
			blob, format = []byte("minutiae of "+step), "rekam-template"
		case "finger.01":
			// A distinct synthetic person per NIK, so the centre's dedup
			// finds no duplicate among the test's enrollments.
			id, _ := strconv.ParseUint(nik[10:], 10, 64)
			var b bytes.Buffer
			png.Encode(&b, synth.Finger(id, 1, 0, synth.FingerOptions{}))
			blob = b.Bytes()
		}
		if err := f.s.SaveCapture(ctx, f.op, eid, step, blob, store.CaptureMeta{Format: format, Quality: 70}); err != nil {
			t.Fatal(err)
		}
	}
	f.s.Transition(ctx, f.op, eid, enroll.BioCaptured, "")
	if err := f.s.Transition(ctx, f.sup, eid, enroll.Approved, "ok"); err != nil {
		t.Fatal(err)
	}
	return eid
}

func TestSealSyncStatusPurge(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	f := newStation(t)
	cfg := t.TempDir()

	eid := f.approved(t, "3211010101900001")
	sealer := &station.Sealer{Store: f.s, Keys: f.k, DataDir: f.data}
	if _, err := sealer.Seal(ctx, f.sup, eid); !errors.Is(err, station.ErrNotRegistered) {
		t.Fatalf("unregistered station sealed: %v", err)
	}
	if _, err := station.LoadRegistration(cfg); !errors.Is(err, station.ErrNotRegistered) {
		t.Fatal(err)
	}
	reg, err := client.Register(ctx, url, token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if err := station.SaveRegistration(cfg, reg); err != nil {
		t.Fatal(err)
	}
	if reg, err = station.LoadRegistration(cfg); err != nil {
		t.Fatal(err)
	}
	sealer.Reg = reg
	ids := []int64{eid, f.approved(t, "3211010101900002"), f.approved(t, "3211010101900003")}
	for _, id := range ids {
		if _, err := sealer.Seal(ctx, f.sup, id); err != nil {
			t.Fatalf("seal %d: %v", id, err)
		}
	}
	if _, err := sealer.Seal(ctx, f.sup, ids[0]); err == nil {
		t.Fatal("sealed an enrollment twice")
	}
	c, err := reg.Client()
	if err != nil {
		t.Fatal(err)
	}
	sy := &station.Syncer{Store: f.s, Client: c, StationID: "ST-01", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: f.data}
	// Saved receipt PDFs name the resident: the purge removes them too,
	// and only those of the purged enrollments.
	other := receipt.Path(f.data, "ST-01", 999)
	for _, p := range []string{receipt.Path(f.data, "ST-01", ids[0]), receipt.Path(f.data, "ST-01", ids[2]), other} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("%PDF-1.3"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := sy.Run(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Received != 3 || rep.Failed != 0 || rep.Statuses < 3 || rep.Purged != 9 {
		t.Fatalf("report %+v", rep)
	}
	left, _ := filepath.Glob(filepath.Join(f.data, receipt.Dir, "*.pdf"))
	if len(left) != 1 || left[0] != other {
		t.Fatalf("receipts left after the purge: %v, want only %s", left, other)
	}
	// The centre decides in the background; pull until it has.
	waitDecided(t, sy, f, ids)
	for _, id := range ids {
		e, _ := f.s.Enrollment(ctx, f.sup, id)
		if e.State != enroll.PrintReadyRecord {
			t.Fatalf("enrollment %d is %s, want PRINT_READY_RECORD", id, e.State)
		}
		caps, _ := f.s.Captures(ctx, f.sup, id)
		if len(caps) != 1 || caps[0].Step != "template.01" {
			t.Fatalf("after purge %d keeps %+v", id, caps)
		}
	}
	again, err := sy.Run(ctx, true)
	if err != nil || again.Due != 0 || again.Received != 0 {
		t.Fatalf("second pass %+v %v", again, err)
	}
}

func TestUploadFailureBacksOffInTheStore(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	f := newStation(t)
	reg, err := client.Register(ctx, url, token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	eid := f.approved(t, "3211010101900004")
	if _, err := (&station.Sealer{Store: f.s, Keys: f.k, Reg: reg, DataDir: f.data}).Seal(ctx, f.sup, eid); err != nil {
		t.Fatal(err)
	}
	c, _ := reg.Client()
	c.BaseURL = "https://127.0.0.1:1" // nothing listens there
	c.MaxAttempts, c.Backoff = 1, 0
	now := time.Now()
	sy := &station.Syncer{Store: f.s, Client: c, StationID: "ST-01", Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rep, err := sy.Run(ctx, false)
	if rep.Failed != 1 || err == nil {
		t.Fatalf("report %+v err %v", rep, err)
	}
	if last, ok, _ := station.LoadLastRun(ctx, f.s); !ok || !last.Failed || last.Report.Failed != 1 || !last.At.Equal(now.UTC()) {
		t.Fatalf("last pass recorded as %+v", last)
	}
	// A restart right away does not hammer the server: nothing is due.
	rep, _ = sy.Run(ctx, false)
	if rep.Due != 0 {
		t.Fatalf("due again immediately: %+v", rep)
	}
	e, _ := f.s.Enrollment(ctx, f.sup, eid)
	if e.State != enroll.SentForEnrollment {
		t.Fatalf("state %s", e.State)
	}
}

func TestNextWindowAndBackoff(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	loc := time.FixedZone("WIB", 7*3600)
	tests := []struct {
		now      time.Time
		from, to time.Time
	}{
		{time.Date(2026, 11, 27, 12, 0, 0, 0, loc), time.Date(2026, 11, 28, 1, 0, 0, 0, loc), time.Date(2026, 11, 28, 4, 0, 0, 0, loc)},
		{time.Date(2026, 11, 27, 0, 30, 0, 0, loc), time.Date(2026, 11, 27, 1, 0, 0, 0, loc), time.Date(2026, 11, 27, 4, 0, 0, 0, loc)},
		{time.Date(2026, 11, 27, 2, 0, 0, 0, loc), time.Date(2026, 11, 27, 2, 0, 0, 0, loc), time.Date(2026, 11, 27, 4, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		for range 50 {
			got := station.NextWindow(tt.now, time.Hour, 4*time.Hour, rng)
			if got.Before(tt.from) || got.After(tt.to) {
				t.Fatalf("NextWindow(%v) = %v, want in [%v, %v]", tt.now, got, tt.from, tt.to)
			}
		}
	}
	if d := station.Backoff(0, 0, rng); d < 24*time.Second || d > 36*time.Second {
		t.Fatalf("first backoff %v", d)
	}
	if d := station.Backoff(40, time.Hour, rng); d > 72*time.Minute || d < 48*time.Minute {
		t.Fatalf("capped backoff %v", d)
	}
	for _, ref := range []string{"ST-01/12", "a/b/3"} {
		if _, _, err := station.ParseEnrollmentRef(ref); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := station.ParseEnrollmentRef("nope"); err == nil {
		t.Fatal("bad reference parsed")
	}
}

func TestFeedsRevokeAndImport(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	dir := srv.Dir
	keysSrv, _ := pusat.LoadKeys(dir)
	ops, _ := json.Marshal([]feed.Operator{{Name: "budi", Role: "operator", Revoked: true}})
	server.Publish(filepath.Join(dir, "feeds"), feed.KindOperators, ops, 48*time.Hour, keysSrv.Receipt, time.Now())
	regs, _ := json.Marshal([]wilayah.Region{{Code: "32", Name: "JAWA BARAT", Level: 1}, {Code: "32.11", Name: "KAB. SUMEDANG", Level: 2}})
	server.Publish(filepath.Join(dir, "feeds"), feed.KindRegions, regs, 48*time.Hour, keysSrv.Receipt, time.Now())
	f := newStation(t)
	reg, err := client.Register(ctx, srv.URL, srv.Token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := reg.Client()
	sy := &station.Syncer{Store: f.s, Client: c, StationID: "ST-01", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rep, err := sy.Run(ctx, false)
	if err != nil || rep.Feeds != 2 {
		t.Fatalf("first pass %+v %v", rep, err)
	}
	if _, err := f.s.Login(ctx, "budi", f.password); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("revoked operator logged in: %v", err)
	}
	if r, err := f.s.Region(ctx, "32.11"); err != nil || r.Name != "KAB. SUMEDANG" {
		t.Fatalf("region feed: %+v %v", r, err)
	}
	if rep, _ := sy.Run(ctx, false); rep.Feeds != 0 {
		t.Fatalf("unchanged feeds applied again: %+v", rep)
	}
}

// noisePNG is a grey image of random pixels, encoded as PNG.
func noisePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range g.Pix {
		g.Pix[i] = uint8(rng.IntN(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSealedPacketCarriesTheTransaction(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	f := newStation(t)
	reg, err := client.Register(ctx, url, token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	eid := f.approved(t, "3211010101900009")
	path, err := (&station.Sealer{Store: f.s, Keys: f.k, Reg: reg, DataDir: f.data}).Seal(ctx, f.sup, eid)
	if err != nil {
		t.Fatal(err)
	}
	// Only the centre can open it; here we check what the station sealed
	// through the server's own verification path.
	sealed, _ := os.ReadFile(path)
	if bytes.Contains(sealed, []byte("ASEP")) || bytes.Contains(sealed, []byte("3211010101900009")) {
		t.Fatal("sealed packet holds plaintext biodata")
	}
	c, _ := reg.Client()
	if _, r, err := c.Upload(ctx, packet.Name(sealed), path, station.EnrollmentRef("ST-01", eid)); err != nil || r.EnrollmentID != "ST-01/"+fmt.Sprint(eid) {
		t.Fatalf("upload: %+v %v", r, err)
	}
}

func TestRemoveOrphanPackets(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	f := newStation(t)
	reg, _ := client.Register(ctx, url, token, "ST-01", f.k.PublicKey())
	eid := f.approved(t, "3211010101900011")
	kept, err := (&station.Sealer{Store: f.s, Keys: f.k, Reg: reg, DataDir: f.data}).Seal(ctx, f.sup, eid)
	if err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(f.data, station.OutboxDir, strings.Repeat("ab", 32)+".pkt")
	os.WriteFile(orphan, []byte("left by a crash"), 0o600)
	if n, _ := station.RemoveOrphanPackets(ctx, f.s, f.data, time.Hour, time.Now()); n != 0 {
		t.Fatal("a fresh file was removed")
	}
	n, err := station.RemoveOrphanPackets(ctx, f.s, f.data, time.Hour, time.Now().Add(2*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("removed %d, %v", n, err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatal("orphan still there")
	}
	if _, err := os.Stat(kept); err != nil {
		t.Fatal("a queued packet was removed")
	}
}

// waitDecided runs status pulls until every enrollment has left
// RECEIVED_AT_CENTRAL (the centre decides in the background).
func waitDecided(t *testing.T, sy *station.Syncer, f *stationFixture, ids []int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var r station.Report
		if err := sy.PullStatus(ctx, &r); err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, id := range ids {
			if e, _ := f.s.Enrollment(ctx, f.sup, id); e.State == enroll.ReceivedAtCentral {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d enrollments still undecided by the centre", pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSealFeedsTheLocalDedupGallery: a sealed enrollment's templates join
// the in-memory gallery, and a restart loads them back from the store.
func TestSealFeedsTheLocalDedupGallery(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	f := newStation(t)
	reg, err := client.Register(ctx, url, token, "ST-01", f.k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	chk, err := dedup.Open(ctx, f.s, f.sup, index.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	before := chk.Index.Len()
	eid := f.approved(t, "3211010101900021")
	if _, err := (&station.Sealer{Store: f.s, Keys: f.k, Reg: reg, DataDir: f.data, Dedup: chk}).Seal(ctx, f.sup, eid); err != nil {
		t.Fatal(err)
	}
	if chk.Index.Len() != before+1 {
		t.Fatalf("gallery holds %d, want %d", chk.Index.Len(), before+1)
	}
	again, err := dedup.Open(ctx, f.s, f.sup, index.DefaultPolicy)
	if err != nil || again.Index.Len() != before+1 {
		t.Fatalf("after a restart the gallery holds %d (%v)", again.Index.Len(), err)
	}
}
