package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

// TestEvalFingerLogin plays the finger login on the whole FVC2002 DB2_B set
// (10 operators, 50 genuine and 50 impostor attempts): no attempt may log
// in as another operator, and no stranger may log in.
func TestEvalFingerLogin(t *testing.T) {
	dir := shareddata.Require(t, "fvc2002", "DB2_B")
	code, out, errs := runCLI(t, nil, "", "eval", "fingerlogin", "--json", dir+":569")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r fingerLoginEvalJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if r.Set != "DB2_B" || r.Operators != 10 || r.Genuine != 50 || r.Impostor != 50 || r.Threshold != 7 {
		t.Fatalf("result %+v", r)
	}
	if r.WrongOperator != 0 || r.ImpostorAccept != 0 || r.GenuineAccept < 0.8 {
		t.Errorf("login behaviour %+v", r)
	}
}

func TestEvalFingerLoginUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "give at least one DIR"},
		{[]string{"/nonexistent/set"}, "/nonexistent/set"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, nil, "", append([]string{"eval", "fingerlogin"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q", tt.args, code, errs)
		}
	}
}
