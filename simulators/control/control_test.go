package control_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/simulators/control"
	"github.com/rekam-ktp/rekam/simulators/fault"
)

type target struct {
	faults  fault.Set
	plugged bool
	finger  bool
}

func (t *target) Faults() *fault.Set { return &t.faults }
func (t *target) Unplug()            { t.plugged = false }
func (t *target) Replug() error      { t.plugged = true; return nil }
func (t *target) SetFinger(p bool)   { t.finger = p }
func (t *target) Status() map[string]any {
	return map[string]any{"plugged": t.plugged, "finger": t.finger, "faults": t.faults.Pending()}
}

func TestControlAPI(t *testing.T) {
	s, err := control.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tg := &target{plugged: true, finger: true}
	s.Add("fp0", tg)
	url := s.URL("fp0")
	tests := []struct {
		method, path string
		code         int
	}{
		{"POST", "/fault/wet", 200},
		{"POST", "/fault/timeout?n=2", 200},
		{"POST", "/fault/explode", 400},
		{"POST", "/fault/wet?n=0", 400},
		{"POST", "/finger/off", 200},
		{"POST", "/finger/sideways", 400},
		{"POST", "/unplug", 200},
		{"GET", "/fault/wet", 405},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, url+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.code)
		}
	}
	if !tg.faults.Armed(fault.Wet) || tg.finger || tg.plugged {
		t.Fatalf("state %+v", tg)
	}
	resp, err := http.Get(url + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := json.Unmarshal(b, &st); err != nil || !strings.Contains(string(b), "timeout×2") {
		t.Fatalf("status %s %v", b, err)
	}
	if resp, _ := http.Post(strings.Replace(url, "fp0", "nope", 1)+"/unplug", "", nil); resp.StatusCode != 404 {
		t.Fatalf("unknown device: %d", resp.StatusCode)
	}
}
