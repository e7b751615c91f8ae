package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/keys"
)

// crashSteps are the capture steps the crash child saves per enrollment.
var crashSteps = []string{"finger.r1", "finger.r2", "iris.left", "face"}

// crashBlob is the deterministic content of one step, so the parent can
// check every byte that was reported committed.
func crashBlob(eid int64, step string) []byte {
	seed := sha256.Sum256(fmt.Appendf(nil, "%d/%s", eid, step))
	return bytes.Repeat(seed[:], 96) // 3 KiB
}

const crashEnv = "REKAM_STORE_CRASH_CHILD"

// TestCrashChild is the child process of TestCrashSafety: it is skipped
// unless started by the parent with the database path in crashEnv. It
// writes enrollments in a loop — resident, enrollment, each capture step in
// its own transaction, then DRAFT → BIO_CAPTURED — and prints "committed
// ID" after the last commit of each, until it is killed.
func TestCrashChild(t *testing.T) {
	dbPath := os.Getenv(crashEnv)
	if dbPath == "" {
		t.Skip("child of TestCrashSafety only")
	}
	k, err := keys.Load(filepath.Join(filepath.Dir(dbPath), "cfg"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	s, err := Open(ctx, dbPath, k, Options{HashParams: fastHash})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	sess, err := s.Login(ctx, "operator1", "correct-horse-1")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	os.Stdout.WriteString("ready\n")
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		nik := fmt.Sprintf("32%06d%08d", os.Getpid()%1000000, i)
		rid, err := s.AddResident(ctx, sess, resident(nik, "CRASH "+nik))
		if err != nil {
			fail(err)
		}
		eid, err := s.CreateEnrollment(ctx, sess, rid)
		if err != nil {
			fail(err)
		}
		for _, st := range crashSteps {
			if err := s.SaveCapture(ctx, sess, eid, st, crashBlob(eid, st), CaptureMeta{Quality: int(eid % 100)}); err != nil {
				fail(err)
			}
		}
		if err := s.Transition(ctx, sess, eid, enroll.BioCaptured, "crash test"); err != nil {
			fail(err)
		}
		os.Stdout.WriteString("committed " + strconv.FormatInt(eid, 10) + "\n")
	}
}

// TestCrashSafety kills a writing child with SIGKILL at random points, at
// least 200 times, and after each kill reopens the store and checks: the
// file passes PRAGMA integrity_check, every enrollment the child reported
// committed is there with all its captures intact, no enrollment is
// half-written (capture count, state and history agree), and the audit
// chain (written in the same transactions) verifies.
func TestCrashSafety(t *testing.T) {
	const kills = 200
	dir := t.TempDir()
	dbPath := filepath.Join(dir, FileName)
	k, _ := keys.Generate("ST-CRASH")
	w, _ := keys.Wrap(k, "recovery passphrase", keys.KDFParams{Time: 1, Memory: 64, Threads: 1})
	if err := keys.Save(filepath.Join(dir, "cfg"), k, w); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dbPath, k, Options{Create: true, HashParams: fastHash})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Bootstrap(ctx, Station{ID: "ST-CRASH", Kecamatan: "32.11.01"}, "admin", "correct-horse-1"); err != nil {
		t.Fatal(err)
	}
	admin, _ := s.Login(ctx, "admin", "correct-horse-1")
	if _, err := s.AddOperator(ctx, admin, "operator1", "operator", "correct-horse-1"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	committed := map[int64]bool{}
	checked := map[int64]bool{}
	midWrite := 0
	for round := 0; round < kills; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+dbPath)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		if l := <-lines; l != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q", round, l)
		}
		time.Sleep(time.Duration(5+rng.IntN(56)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		perr := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: child ended by itself (%v) before the kill", round, perr)
		}
		for l := range lines {
			id, ok := strings.CutPrefix(l, "committed ")
			if !ok {
				t.Fatalf("round %d: child said %q", round, l)
			}
			n, _ := strconv.ParseInt(id, 10, 64)
			committed[n] = true
		}
		if checkAfterCrash(t, round, dbPath, k, committed, checked) {
			midWrite++
		}
	}
	if len(committed) == 0 {
		t.Fatal("the child never committed an enrollment: the test checked nothing")
	}
	t.Logf("%d kills, %d enrollments reported committed, %d kills hit an enrollment in progress", kills, len(committed), midWrite)
}

// checkAfterCrash reopens the store and checks it; it reports whether a
// draft was left in progress (the kill hit between transactions of one
// enrollment).
func checkAfterCrash(t *testing.T, round int, dbPath string, k *keys.Keys, committed, checked map[int64]bool) bool {
	t.Helper()
	s, err := Open(ctx, dbPath, k, Options{HashParams: fastHash})
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer s.Close()
	if v, err := s.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, v, err)
	}
	// No half-written enrollment: the stored count matches the rows, and the
	// last recorded transition matches the state.
	var bad int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM enrollments e WHERE e.captures != (SELECT COUNT(*) FROM captures c WHERE c.enrollment_id = e.id)
		OR e.state != (SELECT to_state FROM enrollment_transitions t WHERE t.enrollment_id = e.id ORDER BY t.id DESC LIMIT 1)`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("round %d: %d half-written enrollments", round, bad)
	}
	if _, err := s.verifyAudit(ctx); err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	for id := range committed {
		if checked[id] {
			continue
		}
		var state string
		var n int
		if err := s.r.QueryRow(`SELECT state, captures FROM enrollments WHERE id = ?`, id).Scan(&state, &n); err != nil {
			t.Fatalf("round %d: enrollment %d reported committed: %v", round, id, err)
		}
		if state != string(enroll.BioCaptured) || n != len(crashSteps) {
			t.Fatalf("round %d: enrollment %d: state %s with %d captures", round, id, state, n)
		}
		rows, err := s.r.Query(`SELECT step, blob FROM captures WHERE enrollment_id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var step string
			var ct []byte
			rows.Scan(&step, &ct)
			p, err := s.open(ct, aad("capture-blob", id, step))
			if err != nil || !bytes.Equal(p, crashBlob(id, step)) {
				t.Fatalf("round %d: enrollment %d step %s: wrong content (%v)", round, id, step, err)
			}
		}
		rows.Close()
		checked[id] = true
	}
	// Was the kill in the middle of an enrollment (its newest one not yet
	// reported)?
	var last int64
	s.r.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM enrollments`).Scan(&last)
	return last != 0 && !committed[last]
}
