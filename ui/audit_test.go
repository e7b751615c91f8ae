package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/store"
)

// auditRows returns the viewer's entry rows (monospace labels).
func auditRows(h *harness) []string {
	var out []string
	for _, l := range find[*widget.Label](h.w.Canvas().Content()) {
		if l.TextStyle.Monospace && strings.HasPrefix(l.Text, "#") {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestAuditViewer(t *testing.T) {
	h := newHarness(t, true)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		h.store().Login(ctx, "op1", "wrong-password")
	}
	for i := 0; i < 12; i++ { // unknown accounts: enough entries for two pages
		h.store().Login(ctx, "nobody", "wrong-password")
	}
	// An operator has no audit viewer.
	h.login("op2")
	if button(h.w.Canvas().Content(), lang.L("audit.open")) != nil {
		t.Fatal("operator sees the audit viewer")
	}
	h.a.goAudit()
	h.a.Wait()
	if h.a.Screen() == "audit" {
		t.Fatal("operator opened the audit viewer")
	}
	h.shortcut("L", true)

	h.login("admin")
	test.Tap(button(h.w.Canvas().Content(), lang.L("audit.open")))
	h.a.Wait()
	if h.a.Screen() != "audit" {
		t.Fatalf("screen %q", h.a.Screen())
	}
	s := find[*widget.Select](h.w.Canvas().Content())
	if len(s) != 2 {
		t.Fatalf("%d selects", len(s))
	}
	rows := auditRows(h)
	if len(rows) != auditPageSize {
		t.Fatalf("first page has %d rows, want %d", len(rows), auditPageSize)
	}
	if !strings.Contains(strings.Join(rows[:5], "\n"), "admin  login.ok") {
		t.Errorf("the admin's login is not among the newest entries: %q", rows[:5])
	}

	tests := []struct {
		name, actor, action, from, to string
		want                          int    // rows shown
		contains                      string // every row contains
		msg                           string
	}{
		{"op1 failures", "op1", "login.fail", "", "", 4, "op1  login.fail", ""},
		{"today", "op1", "login.fail", "2026-11-27", "2026-11-27", 4, "op1  login.fail", ""},
		{"tomorrow", "op1", "login.fail", "2026-11-28", "", 0, "", lang.L("audit.none")},
		{"bad date", "", "", "27/11/2026", "", -1, "", lang.L("audit.bad_date")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor, action := tt.actor, tt.action
			if actor == "" {
				actor = lang.L("audit.all")
			}
			if action == "" {
				action = lang.L("audit.all")
			}
			s[0].SetSelected(actor)
			s[1].SetSelected(action)
			find[*widget.Entry](h.w.Canvas().Content())[0].SetText(tt.from)
			find[*widget.Entry](h.w.Canvas().Content())[1].SetText(tt.to)
			h.shortcut("R", false) // search
			if tt.msg != "" && !strings.Contains(labelsText(h.w.Canvas().Content()), tt.msg) {
				t.Fatalf("message %q missing", tt.msg)
			}
			if tt.want < 0 {
				return
			}
			rows := auditRows(h)
			if len(rows) != tt.want {
				t.Fatalf("%d rows, want %d: %q", len(rows), tt.want, rows)
			}
			for _, r := range rows {
				if !strings.Contains(r, tt.contains) {
					t.Errorf("row %q", r)
				}
			}
		})
	}

	// Paging over every entry: the next page starts where the first ended.
	s[0].SetSelected(lang.L("audit.all"))
	s[1].SetSelected(lang.L("audit.all"))
	find[*widget.Entry](h.w.Canvas().Content())[0].SetText("")
	find[*widget.Entry](h.w.Canvas().Content())[1].SetText("")
	h.shortcut("R", false)
	first := auditRows(h)
	h.shortcut("L", false) // next page
	second := auditRows(h)
	if len(second) == 0 || second[0] == first[0] || !strings.Contains(labelsText(h.w.Canvas().Content()), lang.X("audit.page", "", map[string]any{"Page": 2, "Pages": 2, "Total": 0})[:10]) {
		t.Fatalf("second page %q", second)
	}
	h.shortcut("B", false) // back to the first
	if got := auditRows(h); len(got) != auditPageSize {
		t.Fatalf("back on page 1: %d rows", len(got))
	}

	// Each page read is in the log itself, with no personal data.
	p, err := h.store().S.AuditQuery(ctx, h.session("admin"), store.AuditFilter{Actor: "admin", Action: "audit.read"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total < 6 {
		t.Fatalf("%d audited reads, want every page read", p.Total)
	}
}
