package audit

import (
	"errors"
	"testing"
	"time"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func build(t *testing.T, n int) ([]Entry, Head) {
	t.Helper()
	c := NewChain(key, Head{})
	t0 := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	var log []Entry
	for i := 0; i < n; i++ {
		e := Entry{At: t0.Add(time.Duration(i) * time.Second), Actor: "budi", Action: "resident.read", Object: "resident:1"}
		h, err := c.Next(&e)
		if err != nil {
			t.Fatal(err)
		}
		c.Commit(h)
		log = append(log, e)
	}
	return log, c.Head()
}

func verify(log []Entry, h Head) error {
	v := NewVerifier(key)
	for _, e := range log {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return v.Finish(h)
}

func TestVerifyIntact(t *testing.T) {
	log, h := build(t, 6)
	if err := verify(log, h); err != nil {
		t.Fatal(err)
	}
	if err := verify(nil, Head{}); err != nil {
		t.Fatalf("empty log: %v", err)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(log []Entry, h Head) ([]Entry, Head)
		seq    int64
	}{
		{"edited actor", func(l []Entry, h Head) ([]Entry, Head) { l[2].Actor = "mallory"; return l, h }, 3},
		{"edited time", func(l []Entry, h Head) ([]Entry, Head) { l[4].At = l[4].At.Add(time.Hour); return l, h }, 5},
		{"deleted middle", func(l []Entry, h Head) ([]Entry, Head) { return append(l[:3:3], l[4:]...), h }, 4},
		{"deleted first", func(l []Entry, h Head) ([]Entry, Head) { return l[1:], h }, 1},
		{"reordered rows", func(l []Entry, h Head) ([]Entry, Head) { l[1], l[2] = l[2], l[1]; return l, h }, 2},
		{"reordered by renumbering", func(l []Entry, h Head) ([]Entry, Head) {
			l[1], l[2] = l[2], l[1]
			l[1].Seq, l[2].Seq = 2, 3
			return l, h
		}, 2},
		{"truncated tail", func(l []Entry, h Head) ([]Entry, Head) { return l[:4], h }, 5},
		{"truncated tail and head rewritten", func(l []Entry, h Head) ([]Entry, Head) {
			return l[:4], Head{Seq: 4, Hash: l[3].Hash, MAC: h.MAC}
		}, 4},
		{"chain recomputed without the key", func(l []Entry, h Head) ([]Entry, Head) {
			l[2].Actor = "mallory"
			l[2].Hash = l[2].sum()
			return l, h
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, h := build(t, 6)
			log, h = tt.tamper(log, h)
			err := verify(log, h)
			var be *BreakError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want *BreakError", err)
			}
			if be.Seq != tt.seq {
				t.Fatalf("break reported at %d, want %d (%v)", be.Seq, tt.seq, err)
			}
		})
	}
}

func TestCheckKeepsFreeTextOut(t *testing.T) {
	tests := []struct {
		e  Entry
		ok bool
	}{
		{Entry{Actor: "budi", Action: "login.ok"}, true},
		{Entry{Actor: "budi", Action: "enrollment.transition", Object: "enrollment:7", Detail: "DRAFT>BIO_CAPTURED"}, true},
		{Entry{Actor: "budi", Action: "resident.read", Object: "Siti Aminah"}, false},
		{Entry{Actor: "budi smith", Action: "login.ok"}, false},
		{Entry{Actor: "budi", Action: "Login OK"}, false},
		{Entry{Actor: "budi", Action: "x", Detail: "née\n"}, false},
	}
	for _, tt := range tests {
		if err := tt.e.Check(); (err == nil) != tt.ok {
			t.Errorf("Check(%+v) = %v, want ok=%v", tt.e, err, tt.ok)
		}
	}
	c := NewChain(key, Head{})
	before := c.Head()
	if _, err := c.Next(&Entry{Actor: "budi", Action: "x", Object: "a name"}); err == nil {
		t.Fatal("Next accepted a bad entry")
	}
	if c.Head().Seq != before.Seq {
		t.Fatal("failed Next moved the chain")
	}
}
