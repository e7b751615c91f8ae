package main

import (
	"bytes"
	crand "crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
)

// approveEnrollments adds residents with captures of capBytes random bytes
// and takes them to APPROVED through the store, as the station app would.
func approveEnrollments(t *testing.T, data string, n, capBytes int) []int64 {
	t.Helper()
	o := &stationOpts{common: &common{data: data}}
	cx := &context{getenv: func(string) string { return "" }}
	st, err := o.open(cx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.s.Close()
	op, err := st.s.Login(stationCtx, "budi", opPW)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := st.s.Login(stationCtx, "sari", opPW)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		var r enroll.Resident
		json.Unmarshal([]byte(residentJSON), &r)
		r.NIK = fmt.Sprintf("32110101019%05d", i+10)
		rid, err := st.s.AddResident(stationCtx, op, r)
		if err != nil {
			t.Fatal(err)
		}
		eid, _ := st.s.CreateEnrollment(stationCtx, op, rid)
		// A face of random pixels: as large as a real enrollment's images
		// and as incompressible.
		side := int(math.Sqrt(float64(capBytes)))
		g := image.NewGray(image.Rect(0, 0, side, side))
		crand.Read(g.Pix)
		var face bytes.Buffer
		png.Encode(&face, g)
		tmpl := make([]byte, 800)
		crand.Read(tmpl)
		if err := st.s.SaveCapture(stationCtx, op, eid, "face", face.Bytes(), store.CaptureMeta{Format: "png", Quality: 60}); err != nil {
			t.Fatal(err)
		}
		if err := st.s.SaveCapture(stationCtx, op, eid, "template.01", tmpl, store.CaptureMeta{Format: "rekam-template"}); err != nil {
			t.Fatal(err)
		}
		// One synthetic finger of a person of its own, for the centre.
		var fp bytes.Buffer
		png.Encode(&fp, synth.Finger(uint64(1000+i), 1, 0, synth.FingerOptions{}))
		if err := st.s.SaveCapture(stationCtx, op, eid, "finger.01", fp.Bytes(), store.CaptureMeta{Format: "png", Quality: 60}); err != nil {
			t.Fatal(err)
		}
		st.s.Transition(stationCtx, op, eid, enroll.BioCaptured, "")
		if err := st.s.Transition(stationCtx, sup, eid, enroll.Approved, "ok"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, eid)
	}
	return ids
}

func TestRegisterSealSyncCLI(t *testing.T) {
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, token := srv.URL, srv.Token
	data := testStation(t)
	ids := approveEnrollments(t, data, 2, 10_000)
	sup := as(opPW)
	if code, _, errs := runCLI(t, sup, "", "seal", fmt.Sprint(ids[0]), "--as", "sari", "--data", data); code != exitNegative || !strings.Contains(errs, "not registered") {
		t.Fatalf("unregistered seal: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, as(adminPW), "", "station", "register", "--server", url, "--token", token, "--as", "admin", "--data", data); code != exitOK {
		t.Fatalf("register: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, sup, "", "seal", fmt.Sprint(ids[0]), "--as", "budi", "--data", data); code != exitNegative {
		t.Fatalf("an operator sealed: %d %s", code, errs)
	}
	for _, id := range ids {
		if code, _, errs := runCLI(t, sup, "", "seal", fmt.Sprint(id), "--as", "sari", "--data", data); code != exitOK {
			t.Fatalf("seal %d: %d %s", id, code, errs)
		}
	}
	drive := t.TempDir()
	if code, _, errs := runCLI(t, sup, "", "sync", "export", drive, "--as", "budi", "--data", data); code != exitNegative || !strings.Contains(errs, "not allowed") {
		t.Fatalf("an operator exported the outbox: %d %s", code, errs)
	}
	if code, out, errs := runCLI(t, sup, "", "sync", "export", drive, "--as", "sari", "--data", data); code != exitOK || !strings.Contains(out, "2 packets exported") {
		t.Fatalf("sync export: %d %s %s", code, out, errs)
	}
	code, out, errs := runCLI(t, nil, "", "sync", "run", "--json", "--data", data)
	if code != exitOK || !strings.Contains(out, `"received":2`) {
		t.Fatalf("sync run: %d %s %s", code, out, errs)
	}
	// The centre decides in the background: later passes bring it back.
	deadline := time.Now().Add(30 * time.Second)
	for {
		runCLI(t, nil, "", "sync", "run", "--data", data)
		code, out, _ = runCLI(t, nil, "", "sync", "status", "--json", "--data", data)
		if code == exitOK && strings.Count(out, `"state":"PRINT_READY_RECORD"`) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sync status: %s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestStationKilledMidUpload kills `rekamctl sync run` with SIGKILL at
// random moments, many times, until the outbox is delivered: every packet
// is received exactly once, the store stays sound, and resumption does not
// resend what the server had committed.
func TestStationKilledMidUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds rekamctl and kills it repeatedly")
	}
	bin := filepath.Join(t.TempDir(), "rekamctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	srv := pusattest.Start(t, "ST-01", "32.11.01")
	url, srvDir, token := srv.URL, srv.Dir, srv.Token
	data := testStation(t)
	const n = 12
	ids := approveEnrollments(t, data, n, 1_000_000)
	if code, _, errs := runCLI(t, as(adminPW), "", "station", "register", "--server", url, "--token", token, "--as", "admin", "--data", data); code != exitOK {
		t.Fatalf("register: %s", errs)
	}
	for _, id := range ids {
		if code, _, errs := runCLI(t, as(opPW), "", "seal", fmt.Sprint(id), "--as", "sari", "--data", data); code != exitOK {
			t.Fatalf("seal: %s", errs)
		}
	}
	if pk, _ := filepath.Glob(filepath.Join(data, "outbox", "*.pkt")); len(pk) > 0 {
		fi, _ := os.Stat(pk[0])
		t.Logf("%d packets of about %d bytes", len(pk), fi.Size())
	}
	rng := rand.New(rand.NewPCG(3, 4))
	kills, runs := 0, 0
	for ; runs < 400; runs++ {
		// A bandwidth cap (300 kB/s) keeps the upload long enough for the kills
		// to land mid-transfer however fast the machine is.
		cmd := exec.Command(bin, "sync", "run", "--json", "--rate", "300000", "--data", data)
		cmd.Env = append(os.Environ(), "REKAM_HOME=")
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(time.Duration(30+rng.IntN(250)) * time.Millisecond):
			cmd.Process.Kill()
			<-done
			kills++
			continue
		}
		if strings.Contains(out.String(), `"due":0`) && kills >= 20 {
			break
		}
		if kills < 20 {
			continue
		}
	}
	code, out, _ := runCLI(t, nil, "", "sync", "status", "--json", "--data", data)
	if code != exitOK || strings.Count(out, `"status":"received"`) != n {
		t.Fatalf("after %d runs (%d kills) the outbox is: %s", runs, kills, out)
	}
	db, _ := sql.Open("sqlite3", filepath.Join(srvDir, "pusat.db"))
	defer db.Close()
	var received, distinct int
	db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT enrollment_id) FROM packets WHERE state = 'received'`).Scan(&received, &distinct)
	if received != n || distinct != n {
		t.Fatalf("server holds %d packets for %d enrollments, want %d", received, distinct, n)
	}
	o := &stationOpts{common: &common{data: data}}
	st, err := o.open(&context{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.s.Close()
	if v, err := st.s.IntegrityCheck(stationCtx); err != nil || v != "ok" {
		t.Fatalf("station integrity: %q %v", v, err)
	}
	t.Logf("%d runs, %d SIGKILLs; %d packets received exactly once", runs, kills, received)
	if kills < 20 {
		t.Fatalf("only %d kills", kills)
	}
}

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Duration
		bad        bool
	}{
		{"01:00-05:00", time.Hour, 5 * time.Hour, false},
		{"22:30-04:00", 22*time.Hour + 30*time.Minute, 28 * time.Hour, false},
		{"0100-0500", 0, 0, true},
		{"25:00-26:00", 0, 0, true},
	}
	for _, tt := range tests {
		s, e, err := parseWindow(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && (s != tt.start || e != tt.end)) {
			t.Errorf("parseWindow(%q) = %v, %v, %v", tt.in, s, e, err)
		}
	}
}

// The daemon follows the station's settings (the Settings screen edits
// them) unless its flags say otherwise.
func TestDaemonScheduleFromSettings(t *testing.T) {
	data := testStation(t)
	cfgDir := data + "-config"
	cfg, err := config.Load(cfgDir)
	if err != nil {
		t.Fatal(err)
	}
	tun := config.DefaultSettings
	tun.SyncStartHour, tun.SyncEndHour, tun.SyncJitterMinutes, tun.SyncRateKBps = 23, 3, 30, 64
	cfg.Settings = &tun
	if err := config.Save(cfgDir, cfg); err != nil {
		t.Fatal(err)
	}
	cx := &context{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	fs, o := newStationFlags(cx, "sync daemon", false)
	if err := fs.Parse([]string{"--data", data}); err != nil {
		t.Fatal(err)
	}
	rate := int64(-1)
	start, end, err := daemonSchedule(cx, o, "", &rate)
	if err != nil {
		t.Fatal(err)
	}
	if start != 23*time.Hour || end != 23*time.Hour+30*time.Minute || rate != 64*1024 {
		t.Fatalf("settings schedule %v-%v at %d B/s, want 23:00 with 30 min spread at 65536 B/s", start, end, rate)
	}
	rate = 0
	if start, end, err = daemonSchedule(cx, o, "02:00-04:00", &rate); err != nil || start != 2*time.Hour || end != 4*time.Hour || rate != 0 {
		t.Fatalf("flags: %v-%v at %d, %v", start, end, rate, err)
	}
}
