package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// What the test reads back from the station, through rekamctl's JSON.

// outboxRow is one line of `rekamctl sync status --json`.
type outboxRow struct {
	Outbox     int64  `json:"outbox"`
	Enrollment int64  `json:"enrollment"`
	State      string `json:"state"`
	Packet     string `json:"packet"`
	Status     string `json:"status"`
	Attempts   int    `json:"attempts"`
	LastError  string `json:"last_error"`
}

// outbox lists the station's sealed packets and their enrollments' states.
func outbox(t *testing.T, bin string, s station) []outboxRow {
	t.Helper()
	out := run(t, bin, "rekamctl", nil, append([]string{"sync", "status", "--json"}, s.flags()...)...)
	var rows []outboxRow
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var r outboxRow
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("sync status --json: %v in %q", err, out)
		}
		rows = append(rows, r)
	}
	return rows
}

// syncReport is `rekamctl sync run --json`'s line.
type syncReport struct {
	Due, Received, Failed, Refused, Statuses, Purged int
}

// syncRun runs one sync pass of the station against its server.
func syncRun(t *testing.T, bin string, s station) syncReport {
	t.Helper()
	out := run(t, bin, "rekamctl", nil, append([]string{"sync", "run", "--json"}, s.flags()...)...)
	var r syncReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("sync run --json: %v in %q", err, out)
	}
	return r
}

// auditEntry is one line of `rekamctl audit show --json`.
type auditEntry struct {
	Seq    int64  `json:"seq"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Object string `json:"object"`
	Detail string `json:"detail"`
}

// transitions returns an enrollment's state changes from the station's
// audit log, as "actor FROM>TO", after checking the log's hash chain.
func transitions(t *testing.T, bin string, s station, id int64) []string {
	t.Helper()
	env := []string{"REKAM_PASSWORD=" + password}
	run(t, bin, "rekamctl", env, append([]string{"audit", "verify", "--as", "admin"}, s.flags()...)...)
	out := run(t, bin, "rekamctl", env, append([]string{"audit", "show", "--json", "--as", "admin", "--limit", "100000"}, s.flags()...)...)
	var trail []string
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var e auditEntry
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("audit show --json: %v", err)
		}
		if e.Action == "enrollment.transition" && e.Object == fmt.Sprintf("enrollment:%d", id) {
			trail = append(trail, e.Actor+" "+e.Detail)
		}
	}
	return trail
}
