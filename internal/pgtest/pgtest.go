// Package pgtest starts a throw-away PostgreSQL server from Debian's
// packages for tests: a fresh cluster in a temp folder, reachable only on a
// Unix socket, stopped when the test ends.
package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// Start returns a pgx DSN for an empty database on a fresh cluster, or
// skips the test (fails it when CI=true) when PostgreSQL is not installed.
func Start(t *testing.T) string {
	t.Helper()
	if dsn := os.Getenv("REKAM_PG_DSN"); dsn != "" {
		return dsn
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Strings(bins)
	if len(bins) == 0 {
		unavailable(t, "no initdb under /usr/lib/postgresql (apt-get install postgresql)")
	}
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "rekam-pg-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	os.Mkdir(sock, 0o777)
	// PostgreSQL refuses to run as root: run it as the postgres account.
	var wrap []string
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			unavailable(t, "running as root and there is no postgres account")
		}
		if out, err := exec.Command("chown", "-R", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
		wrap = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) {
		t.Helper()
		argv := append(append([]string(nil), wrap...), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
	port := 20000 + os.Getpid()%20000
	run(filepath.Join(bin, "pg_ctl"), "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "log"),
		"-o", fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off", sock, port), "start")
	t.Cleanup(func() {
		run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop")
		time.Sleep(10 * time.Millisecond)
	})
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable", sock, port)
}

func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL needed in CI: %s", why)
	}
	t.Skip("PostgreSQL not available: " + why)
}
