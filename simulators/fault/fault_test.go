package fault

import "testing"

func TestSetTakeCounts(t *testing.T) {
	var s Set
	if s.Take(Timeout) {
		t.Fatal("unarmed fault taken")
	}
	s.Inject(Timeout, 2)
	s.Inject(Wet, 0)
	if got := s.Pending(); len(got) != 2 || got[0] != "timeout×2" || got[1] != "wet×1" {
		t.Fatalf("pending = %v", got)
	}
	for i := 0; i < 2; i++ {
		if !s.Take(Timeout) {
			t.Fatalf("take %d failed", i)
		}
	}
	if s.Take(Timeout) || !s.Armed(Wet) {
		t.Fatal("counts wrong")
	}
	s.Clear()
	if s.Armed(Wet) {
		t.Fatal("clear kept wet")
	}
}

func TestParse(t *testing.T) {
	for _, k := range All {
		if got, err := Parse(string(k)); err != nil || got != k {
			t.Errorf("Parse(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := Parse("explode"); err == nil {
		t.Error("unknown fault parsed")
	}
}
