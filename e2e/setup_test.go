package e2e

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Fixed names of the test station (scripts/mkstation creates it).
const (
	stationID = "3211-01"
	kecamatan = "32.11.01"
	password  = "e2e-password-1"
	// residentNIK is the synthetic resident mkstation stores.
	residentNIK = "3211014101900001"
)

// requireDesktop skips the test (fails it when $CI is "true") unless an X
// display, xdotool and ImageMagick's import are there.
func requireDesktop(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test of the real window: not in -short (the ui package's widget tests cover the flow)")
	}
	var missing []string
	if os.Getenv("DISPLAY") == "" {
		missing = append(missing, "DISPLAY (run under xvfb-run -a)")
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (apt-get install xdotool imagemagick, see scripts/deps.sh)")
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "end-to-end test needs " + strings.Join(missing, ", ")
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// buildTools compiles the programs the test runs into one temp folder and
// returns it.
func buildTools(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	pkgs := []string{"cmd/rekam", "cmd/rekamctl", "cmd/rekam-pusat", "scripts/mkstation"}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, p := range pkgs {
		args = append(args, "github.com/rekam-ktp/rekam/"+p)
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return dir
}

// run runs bin/name with args and env added to the test's environment and
// returns its stdout; it fails the test when the command fails.
func run(t *testing.T, bin, name string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.String()
}

// startServer initialises a rekam-pusat data folder, invites the test
// station and serves on a free loopback port until the test ends. It
// returns the server's URL and the station's registration token.
func startServer(t *testing.T, bin string) (url, token string) {
	t.Helper()
	data := filepath.Join(t.TempDir(), "pusat")
	run(t, bin, "rekam-pusat", nil, "init", "--data", data, "--hosts", "127.0.0.1")
	token = strings.TrimSpace(run(t, bin, "rekam-pusat", nil, "station", "add", "--data", data, "--id", stationID, "--kecamatan", kecamatan))
	cmd := exec.Command(filepath.Join(bin, "rekam-pusat"), "serve", "--data", data, "--listen", "127.0.0.1:0")
	logPath := data + ".log"
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("rekam-pusat serve: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) // serve shuts down on it
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		b, _ := os.ReadFile(logPath)
		t.Fatalf("rekam-pusat serve said %q (%v); stderr:\n%s", line, err, b)
	}
	return url, token
}

// station is the test station's folders.
type station struct {
	data, config string
}

// flags are the rekamctl flags naming the station.
func (s station) flags() []string { return []string{"--data", s.data, "--config", s.config} }

// newStation creates the demo station (accounts admin, op1, sup1 and one
// resident) and registers it with the server as admin.
func newStation(t *testing.T, bin, url, token string) station {
	t.Helper()
	dir := t.TempDir()
	s := station{data: filepath.Join(dir, "data"), config: filepath.Join(dir, "data-config")}
	run(t, bin, "mkstation", nil, s.data, s.config, password)
	run(t, bin, "rekamctl", []string{"REKAM_PASSWORD=" + password},
		append([]string{"station", "register", "--server", url, "--token", token, "--as", "admin"}, s.flags()...)...)
	return s
}
