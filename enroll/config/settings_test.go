package config

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestSettingsCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Settings)
		field string // "" = accepted
	}{
		{"defaults", func(*Settings) {}, ""},
		{"gate 0", func(s *Settings) { s.FingerGate = 0 }, FieldFingerGate},
		{"gate 101", func(s *Settings) { s.IrisGate = 101 }, FieldIrisGate},
		{"face gate", func(s *Settings) { s.FaceGate = -1 }, FieldFaceGate},
		{"no attempts", func(s *Settings) { s.MaxAttempts = 0 }, FieldMaxAttempts},
		{"same chip fingers", func(s *Settings) { s.ChipFingers = [2]int{2, 2} }, FieldChipFingers},
		{"chip finger 11", func(s *Settings) { s.ChipFingers = [2]int{2, 11} }, FieldChipFingers},
		{"hour 24", func(s *Settings) { s.SyncEndHour = 24 }, FieldSyncEnd},
		{"negative rate", func(s *Settings) { s.SyncRateKBps = -5 }, FieldSyncRate},
		{"jitter past window", func(s *Settings) { s.SyncJitterMinutes = 5 * 60 }, FieldSyncJitter},
		{"window across midnight", func(s *Settings) { s.SyncStartHour, s.SyncEndHour, s.SyncJitterMinutes = 22, 2, 240 }, ""},
	}
	for _, tt := range tests {
		s := DefaultSettings
		tt.edit(&s)
		err := s.Check()
		var se *SettingsError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.field != "" && (!errors.As(err, &se) || se.Field != tt.field || !errors.Is(err, ErrSetting)):
			t.Errorf("%s: err %v, want a refusal of %s", tt.name, err, tt.field)
		}
	}
}

func TestSyncOffsets(t *testing.T) {
	tests := []struct {
		start, end, jitter int
		wantStart, wantEnd time.Duration
	}{
		{1, 5, 0, time.Hour, 5 * time.Hour},
		{1, 5, 30, time.Hour, time.Hour + 30*time.Minute},
		{22, 2, 0, 22 * time.Hour, 26 * time.Hour},
	}
	for _, tt := range tests {
		s := Settings{SyncStartHour: tt.start, SyncEndHour: tt.end, SyncJitterMinutes: tt.jitter}
		if a, b := s.SyncOffsets(); a != tt.wantStart || b != tt.wantEnd {
			t.Errorf("%d-%d jitter %d: %v..%v, want %v..%v", tt.start, tt.end, tt.jitter, a, b, tt.wantStart, tt.wantEnd)
		}
	}
}

func TestSettingsSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	c := New("ST-01", "32.11.01")
	if got := c.Tunables(); got != DefaultSettings {
		t.Fatalf("new config tunables %+v", got)
	}
	s := DefaultSettings
	s.FingerGate, s.ChipFingers = 55, [2]int{1, 6}
	c.Settings = &s
	if err := Save(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Tunables() != s {
		t.Fatalf("loaded %+v, want %+v", got.Tunables(), s)
	}
}

func TestParseRejectsBadSettings(t *testing.T) {
	in := `{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"settings":{"finger_gate":0,"iris_gate":60,"face_gate":50,"max_attempts":3,"chip_fingers":[2,7],"sync_start_hour":1,"sync_end_hour":5}}`
	if _, err := Parse([]byte(in)); !errors.Is(err, ErrSetting) {
		t.Fatalf("Parse accepted a zero finger gate: %v", err)
	}
}

// FuzzParseSettings feeds config files with a settings block to Parse: an
// accepted file always holds settings that pass Check.
func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"settings":{"finger_gate":40,"iris_gate":60,"face_gate":50,"max_attempts":3,"chip_fingers":[2,7],"sync_start_hour":1,"sync_end_hour":5,"sync_jitter_minutes":60,"sync_rate_kbps":0}}`))
	f.Add([]byte(`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"settings":{"chip_fingers":[2,7,9]}}`))
	f.Add([]byte(`{"version":1,"station_id":"s","lockout_after":5,"idle_timeout_minutes":10,"settings":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err == nil && c.Settings != nil && c.Settings.Check() != nil {
			t.Fatalf("accepted bad settings: %+v", *c.Settings)
		}
	})
}
