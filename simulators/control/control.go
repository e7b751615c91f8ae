// Package control serves the fault-injection API of running simulators on
// loopback HTTP, one path prefix per device:
//
//	POST /dev/NAME/fault/KIND[?n=N]  arm a scripted fault (unplug, timeout,
//	                                 bad-checksum, truncated, finger-count,
//	                                 wet, dry, low-quality, busy, sensor)
//	POST /dev/NAME/unplug            unplug the device now
//	POST /dev/NAME/replug            plug it back (a new pty / USB address)
//	POST /dev/NAME/finger/on|off     put a finger on the sensor or lift it
//	GET  /dev/NAME/status            JSON: plugged, armed faults, path
//
// e.g. curl -X POST http://127.0.0.1:PORT/dev/fp0/fault/wet
package control

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/rekam-ktp/rekam/simulators/fault"
)

// Target is one controllable simulated device.
type Target interface {
	Faults() *fault.Set
	Unplug()
	Replug() error
	// SetFinger puts a finger down or lifts it (ignored by non-finger devices).
	SetFinger(present bool)
	Status() map[string]any
}

// Server is a running control API.
type Server struct {
	mu      sync.Mutex
	targets map[string]Target
	ln      net.Listener
	srv     *http.Server
}

// Listen starts the API on addr (e.g. "127.0.0.1:0").
func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("control: listen %s: %w", addr, err)
	}
	s := &Server{targets: map[string]Target{}, ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /dev/{name}/fault/{kind}", s.fault)
	mux.HandleFunc("POST /dev/{name}/unplug", s.with(func(t Target, w http.ResponseWriter, r *http.Request) error { t.Unplug(); return nil }))
	mux.HandleFunc("POST /dev/{name}/replug", s.with(func(t Target, w http.ResponseWriter, r *http.Request) error { return t.Replug() }))
	mux.HandleFunc("POST /dev/{name}/finger/{state}", s.with(func(t Target, w http.ResponseWriter, r *http.Request) error {
		switch r.PathValue("state") {
		case "on":
			t.SetFinger(true)
		case "off":
			t.SetFinger(false)
		default:
			return fmt.Errorf("finger state must be on or off")
		}
		return nil
	}))
	mux.HandleFunc("GET /dev/{name}/status", s.with(func(t Target, w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		return json.NewEncoder(w).Encode(t.Status())
	}))
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Add registers a device under name.
func (s *Server) Add(name string, t Target) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.targets[name] = t
}

// URL is the control prefix of the named device.
func (s *Server) URL(name string) string {
	return "http://" + s.ln.Addr().String() + "/dev/" + name
}

// Close stops the API.
func (s *Server) Close() error { return s.srv.Close() }

func (s *Server) with(f func(Target, http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		t, ok := s.targets[r.PathValue("name")]
		s.mu.Unlock()
		if !ok {
			http.Error(w, "no such device", http.StatusNotFound)
			return
		}
		if err := f(t, w, r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.Method == http.MethodPost {
			fmt.Fprintln(w, "ok")
		}
	}
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request) {
	s.with(func(t Target, w http.ResponseWriter, r *http.Request) error {
		k, err := fault.Parse(r.PathValue("kind"))
		if err != nil {
			return err
		}
		n := 1
		if q := r.URL.Query().Get("n"); q != "" {
			if n, err = strconv.Atoi(q); err != nil || n < 1 || n > 1000 {
				return fmt.Errorf("n must be 1..1000")
			}
		}
		t.Faults().Inject(k, n)
		return nil
	})(w, r)
}
