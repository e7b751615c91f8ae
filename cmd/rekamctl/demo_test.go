package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDemoEndToEnd(t *testing.T) {
	code, out, errs := runCLI(t, nil, "", "demo", "--json")
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last demoStep
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if len(lines) < 12 || !strings.Contains(last.Detail, "PRINT_READY_RECORD") {
		t.Fatalf("demo ended with %+v after %d steps", last, len(lines))
	}
	dedupStep := false
	for _, l := range lines {
		var s demoStep
		if err := json.Unmarshal([]byte(l), &s); err != nil || s.Step == "" || s.Ms < 0 {
			t.Fatalf("bad step line %q", l)
		}
		if strings.HasPrefix(s.Step, "local duplicate check") {
			dedupStep = strings.HasPrefix(s.Detail, "clear: 10 fingers + 2 irises")
		}
		if strings.HasPrefix(s.Step, "seal") && !strings.HasSuffix(s.Detail, "dedup gallery now 1") {
			t.Errorf("the sealed enrollment did not join the gallery: %q", s.Detail)
		}
	}
	if !dedupStep {
		t.Fatalf("no clear duplicate check of every finger and iris among the steps:\n%s", out)
	}
}
