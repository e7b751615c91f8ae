package main

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs rekamctl in-process and returns its exit code and streams.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cx := &context{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return env[k] },
	}
	code := run(cx, args)
	return code, out.String(), errb.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"no args is usage", nil, exitUsage, "usage:", ""},
		{"help", []string{"help"}, exitOK, "version", ""},
		{"unknown", []string{"frobnicate"}, exitUsage, "", "unknown command"},
		{"version json", []string{"version", "--json"}, exitOK, `"go":`, ""},
		{"bad flag", []string{"version", "--nope"}, exitUsage, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, nil, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Fatalf("stdout %q / stderr %q: want %q / %q", out, errs, tt.out, tt.err)
			}
		})
	}
}

func TestDataDirPrecedence(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"/x/flag", map[string]string{"REKAM_HOME": "/x/home"}, "/x/flag"},
		{"", map[string]string{"REKAM_HOME": "/x/home", "XDG_DATA_HOME": "/x/xdg"}, "/x/home"},
		{"", map[string]string{"XDG_DATA_HOME": "/x/xdg", "HOME": "/h"}, "/x/xdg/rekam"},
		{"", map[string]string{"HOME": "/h"}, "/h/.local/share/rekam"},
	}
	for _, tt := range tests {
		cx := &context{getenv: func(k string) string { return tt.env[k] }}
		c := &common{data: tt.flag}
		got, err := c.dataDir(cx)
		if err != nil || got != tt.want {
			t.Errorf("dataDir(%q, %v) = %q, %v; want %q", tt.flag, tt.env, got, err, tt.want)
		}
	}
}
