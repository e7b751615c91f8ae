package main

import (
	"path/filepath"
	"testing"
)

func TestResolveData(t *testing.T) {
	abs, _ := filepath.Abs("rel/data")
	for _, c := range []struct {
		name, flag, home, xdg string
		want                  string
		explicit              bool
	}{
		{"flag wins", "rel/data", "/srv/other", "/x", abs, true},
		{"REKAM_HOME", "", "/srv/rekam", "/x", "/srv/rekam", true},
		{"XDG data", "", "", "/x", "/x/rekam", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("REKAM_HOME", c.home)
			t.Setenv("XDG_DATA_HOME", c.xdg)
			got, explicit, err := resolveData(c.flag)
			if err != nil || got != c.want || explicit != c.explicit {
				t.Fatalf("resolveData(%q) = %q, %v, %v; want %q, %v", c.flag, got, explicit, err, c.want, c.explicit)
			}
		})
	}
	t.Setenv("REKAM_HOME", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/op")
	if got, explicit, err := resolveData(""); err != nil || got != "/home/op/.local/share/rekam" || explicit {
		t.Fatalf("home default = %q, %v, %v", got, explicit, err)
	}
}
