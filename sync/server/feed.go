package server

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/sync/feed"
)

// FeedPath is where the published document of a kind is kept.
func FeedPath(dir, kind string) string {
	return filepath.Join(dir, strings.ReplaceAll(kind, "/", "_")+".json")
}

// Publish signs payload as the current document of kind, valid for ttl,
// and writes it atomically into dir. Its version is the publication time.
func Publish(dir, kind string, payload []byte, ttl time.Duration, key ed25519.PrivateKey, now time.Time) (*feed.Document, error) {
	d, err := feed.Sign(feed.Header{Kind: kind, Version: now.UnixNano(), IssuedAt: now.UTC(), ExpiresAt: now.Add(ttl).UTC()}, payload, key)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("publish %s: %w", kind, err)
	}
	if err := writeDurable(FeedPath(dir, kind), b); err != nil {
		return nil, fmt.Errorf("publish %s: %w", kind, err)
	}
	return d, nil
}

// feed serves the current document of a kind; a station that already has
// that version gets 304. A gallery is served only to stations of its
// kecamatan.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, st Station) {
	kind := r.PathValue("kind")
	if !feed.ValidKind(kind) || s.FeedDir == "" {
		reject(w, http.StatusNotFound, "", "no such document", true)
		return
	}
	if rest, ok := strings.CutPrefix(kind, feed.KindGallery+"/"); ok && rest != st.Kecamatan {
		reject(w, http.StatusForbidden, "", "a station gets its own kecamatan's gallery only", true)
		return
	}
	b, err := os.ReadFile(FeedPath(s.FeedDir, kind))
	if err != nil {
		reject(w, http.StatusNotFound, "", "nothing published for "+kind, false)
		return
	}
	d, err := feed.Parse(b)
	if err != nil {
		reject(w, http.StatusInternalServerError, "", "published document unreadable", false)
		return
	}
	if have, _ := strconv.ParseInt(r.URL.Query().Get("have"), 10, 64); have == d.Header.Version {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
