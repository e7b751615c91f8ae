package config

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDir(t *testing.T) {
	tests := []struct {
		name     string
		flag     string
		env      map[string]string
		data     string
		explicit bool
		want     string
	}{
		{"flag wins", "/c/flag", map[string]string{"REKAM_CONFIG": "/c/env"}, "/d", true, "/c/flag"},
		{"env", "", map[string]string{"REKAM_CONFIG": "/c/env", "XDG_CONFIG_HOME": "/x"}, "/d", true, "/c/env"},
		{"sibling of explicit data", "", map[string]string{"XDG_CONFIG_HOME": "/x"}, "/srv/rekam/", true, "/srv/rekam-config"},
		{"xdg", "", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/h/.local/share/rekam", false, "/x/rekam"},
		{"home", "", map[string]string{"HOME": "/h"}, "/h/.local/share/rekam", false, "/h/.config/rekam"},
	}
	for _, tt := range tests {
		got, err := Dir(tt.flag, func(k string) string { return tt.env[k] }, tt.data, tt.explicit)
		if err != nil || got != tt.want {
			t.Errorf("%s: Dir = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	c := New("ST-01", "32.11.01")
	if err := Save(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	if p := got.Policy(); p.LockoutAfter != 5 || p.IdleTimeout != 10*time.Minute {
		t.Fatalf("policy %+v", p)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		`{`, `{"version":2,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10}`,
		`{"version":1,"lockout_after":5,"idle_timeout_minutes":10}`,
		`{"version":1,"station_id":"s","lockout_after":0,"idle_timeout_minutes":10}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":0}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"typo":1}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{}]}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"port":"/dev/ttyS0"}]}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"usb":"61a:110"}]}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"usb":"061a:0110","video":"/dev/video0"}]}`,
		`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"driver":"gt511","port":"/dev/ttyS0","baud":-5}]}`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%s) accepted", in)
		}
	}
}

func TestDevicesSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	c := New("ST-01", "32.11.01")
	c.Devices = []DeviceConfig{{Name: "fp0", Driver: "gt511", Port: "/dev/ttyUSB0", Baud: 115200}, {USB: "056a:00a5"}, {Video: "/dev/video0"}}
	if err := Save(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || !reflect.DeepEqual(got.Devices, c.Devices) {
		t.Fatalf("devices %+v, %v", got.Devices, err)
	}
	if id := got.Devices[1].ID(); id != "056a:00a5" {
		t.Fatalf("ID() = %q", id)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":1,"station_id":"s","kecamatan":"32.11.01","lockout_after":5,"idle_timeout_minutes":10}`))
	f.Add([]byte(`{"version":1,"idle_timeout_minutes":9223372036854775807}`))
	f.Add([]byte(`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"driver":"r307","port":"/dev/ttyUSB0","baud":57600},{"usb":"061a:0110"},{"video":"/dev/video0"}]}`))
	f.Add([]byte(`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"devices":[{"usb":"61a:110","video":"/dev/video0"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			return
		}
		if c.Policy().Check() != nil {
			t.Fatalf("accepted a config with a bad policy: %+v", c)
		}
		for _, d := range c.Devices {
			if err := d.Check(); err != nil {
				t.Fatalf("accepted a bad device %+v: %v", d, err)
			}
		}
	})
}

// TestLoadRefusesOversizedFile: a config file past MaxSize is refused
// (and read no further than the bound).
func TestLoadRefusesOversizedFile(t *testing.T) {
	dir := t.TempDir()
	big := append([]byte(`{"version":1,"station_id":"s","kecamatan":"`), bytes.Repeat([]byte("x"), 4*MaxSize)...)
	if err := os.WriteFile(filepath.Join(dir, FileName), append(big, `"}`...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "more than 64 KiB") {
		t.Fatalf("oversized config: %v", err)
	}
}
