package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

func TestAuditQuery(t *testing.T) {
	ctx := context.Background()
	f := newFPStation(t)
	day1 := f.clock()
	// Day 2: three failed logins of op1 and one of an unknown account.
	f.mu.Lock()
	f.now = f.now.Add(24 * time.Hour)
	f.mu.Unlock()
	for i := 0; i < 3; i++ {
		f.s.Login(ctx, "op1", "wrong-password")
	}
	f.s.Login(ctx, "nobody", "wrong-password")
	day2 := time.Date(day1.Year(), day1.Month(), day1.Day()+1, 0, 0, 0, 0, time.UTC)
	if f.admin, _ = f.s.Login(ctx, "admin", fpPassword); f.admin == nil {
		t.Fatal("admin cannot log in")
	}
	if _, err := f.s.AddOperator(ctx, f.admin, "aud1", operator.RoleAuditor, fpPassword); err != nil {
		t.Fatal(err)
	}
	aud, err := f.s.Login(ctx, "aud1", fpPassword)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		filter    store.AuditFilter
		total     int
		first     string // newest entry's action
		entries   int
		wantPages int
	}{
		{"op1 failures", store.AuditFilter{Actor: "op1", Action: "login.fail"}, 3, "login.fail", 3, 1},
		{"paged", store.AuditFilter{Actor: "op1", Action: "login.fail", PageSize: 2, Page: 1}, 3, "login.fail", 1, 2},
		{"unknown accounts", store.AuditFilter{Actor: "unknown"}, 1, "login.fail", 1, 1},
		{"day 1 only, admin", store.AuditFilter{To: day2, Actor: "admin", Action: "operator.add"}, 3, "operator.add", 3, 1},
		{"day 2, login.ok (admin, aud1)", store.AuditFilter{From: day2, Action: "login.ok"}, 2, "login.ok", 2, 1},
		{"nothing", store.AuditFilter{Action: "no.such"}, 0, "", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.s.AuditQuery(ctx, aud, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tt.total || len(p.Entries) != tt.entries || p.Pages() != tt.wantPages {
				t.Fatalf("total %d entries %d pages %d, want %d %d %d", p.Total, len(p.Entries), p.Pages(), tt.total, tt.entries, tt.wantPages)
			}
			if tt.entries > 0 && p.Entries[0].Action != tt.first {
				t.Errorf("first %s", p.Entries[0].Action)
			}
			for i := 1; i < len(p.Entries); i++ {
				if p.Entries[i].Seq >= p.Entries[i-1].Seq {
					t.Fatal("not newest first")
				}
			}
		})
	}
	// Each query is audited.
	p, err := f.s.AuditQuery(ctx, aud, store.AuditFilter{Actor: "aud1", Action: "audit.read", PageSize: 1})
	if err != nil || p.Total != len(tests) || !strings.HasPrefix(p.Entries[0].Detail, "page=0,n=0") {
		t.Fatalf("audit reads %+v %v", p, err)
	}
	actors, actions, err := f.s.AuditFacets(ctx, aud)
	if err != nil || !strings.Contains(strings.Join(actors, " "), "unknown") || !strings.Contains(strings.Join(actions, " "), "login.fail") {
		t.Fatalf("facets %v %v %v", actors, actions, err)
	}
	if p, err := f.s.AuditQuery(ctx, aud, store.AuditFilter{PageSize: 1}); err != nil || p.Entries[0].Action != "audit.read" || p.Entries[0].Detail != "facets" {
		t.Fatalf("the facets read is not audited: %+v %v", p, err)
	}
	op1, _ := f.s.Login(ctx, "op2", fpPassword)
	for _, s := range []*operator.Session{op1, nil} {
		if _, err := f.s.AuditQuery(ctx, s, store.AuditFilter{}); !errors.Is(err, operator.ErrForbidden) && !errors.Is(err, operator.ErrNoSession) {
			t.Errorf("audit query by %v: %v", s, err)
		}
	}
}
