package receipt

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeLP puts an lp script on PATH that stores its arguments and standard
// input in dir (or fails with a message when fail is set).
func fakeLP(t *testing.T, fail bool) string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\necho \"$@\" > " + dir + "/args\ncat > " + dir + "/job\n"
	if fail {
		script = "#!/bin/sh\necho 'lp: Error - no default destination available.' >&2\nexit 1\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

func TestPrint(t *testing.T) {
	pdf := []byte("%PDF-1.3 test job")
	tests := []struct {
		name    string
		setup   func(t *testing.T) string
		wantErr string
	}{
		{name: "lp takes the job on stdin", setup: func(t *testing.T) string { return fakeLP(t, false) }},
		{name: "lp refuses", setup: func(t *testing.T) string { return fakeLP(t, true) }, wantErr: "no default destination"},
		{name: "no lp", setup: func(t *testing.T) string { t.Setenv("PATH", t.TempDir()); return "" }, wantErr: ErrNoPrinter.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			if CanPrint() != (dir != "") {
				t.Fatalf("CanPrint %v with lp at %q", CanPrint(), dir)
			}
			err := Print(context.Background(), pdf)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if tc.wantErr == ErrNoPrinter.Error() && !errors.Is(err, ErrNoPrinter) {
					t.Fatalf("err %v is not ErrNoPrinter", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			job, _ := os.ReadFile(filepath.Join(dir, "job"))
			args, _ := os.ReadFile(filepath.Join(dir, "args"))
			if !bytes.Equal(job, pdf) || strings.TrimSpace(string(args)) != "-t tanda-terima-ktp-el -" {
				t.Fatalf("lp got args %q and %d bytes", args, len(job))
			}
		})
	}
}
