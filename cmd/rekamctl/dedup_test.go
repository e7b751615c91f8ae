package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll/dedup/galleryfile"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/simulators/tmplsynth"
	"github.com/rekam-ktp/rekam/sync/feed"
)

// signedGallery writes a gallery document of n template-synthetic records
// for kind, signed by key, and returns its path.
func signedGallery(t *testing.T, dir, name, kind, kecamatan string, n int, key ed25519.PrivateKey, expires time.Time) string {
	t.Helper()
	var ids []string
	var recs []*index.Record
	for i := 0; i < n; i++ {
		r := &index.Record{}
		for f := range r.Fingers {
			r.Fingers[f] = tmplsynth.Finger(uint64(900+i), f+1)
		}
		r.Irises[0], r.Irises[1] = tmplsynth.Iris(uint64(900+i), 0), tmplsynth.Iris(uint64(900+i), 1)
		ids = append(ids, "opaque-"+string(rune('a'+i)))
		recs = append(recs, r)
	}
	p, err := galleryfile.New(kecamatan, ids, recs)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := feed.Sign(feed.Header{Kind: kind, Version: 7, IssuedAt: expires.Add(-48 * time.Hour), ExpiresAt: expires}, payload, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDedupGalleryImport(t *testing.T) {
	data := testStation(t)
	dir := t.TempDir()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	keyFile := filepath.Join(dir, "server.key")
	os.WriteFile(keyFile, []byte(hex.EncodeToString(pub)+"\n"), 0o600)
	later := time.Now().Add(24 * time.Hour)
	good := signedGallery(t, dir, "good.json", "gallery/32.11.01", "32.11.01", 3, priv, later)
	smaller := signedGallery(t, dir, "smaller.json", "gallery/32.11.01", "32.11.01", 1, priv, later)
	forged := signedGallery(t, dir, "forged.json", "gallery/32.11.01", "32.11.01", 3, other, later)
	expired := signedGallery(t, dir, "expired.json", "gallery/32.11.01", "32.11.01", 3, priv, time.Now().Add(-time.Hour))
	otherKec := signedGallery(t, dir, "other.json", "gallery/32.11.02", "32.11.02", 3, priv, later)
	wrongPayload := signedGallery(t, dir, "wrong.json", "gallery/32.11.01", "32.11.02", 3, priv, later)
	imp := func(file string, who string) []string {
		return []string{"dedup", "gallery", "import", file, "--as", who, "--data", data, "--server-key", keyFile}
	}
	runCases(t, []cliCase{
		{"supervisor imports", as(opPW), "", imp(good, "sari"), exitOK, "imported 3 gallery records (gallery/32.11.01 version 7)", ""},
		{"a new gallery replaces the old", as(opPW), "", append(imp(smaller, "sari"), "--json"), exitOK, `"records":1`, ""},
		{"forged signature", as(opPW), "", imp(forged, "sari"), exitNegative, "", "not signed by the national server"},
		{"expired", as(opPW), "", imp(expired, "sari"), exitNegative, "", "expired"},
		{"another kecamatan's gallery", as(opPW), "", imp(otherKec, "sari"), exitNegative, "", "another kind"},
		{"payload for another kecamatan", as(opPW), "", imp(wrongPayload, "sari"), exitNegative, "", "is for kecamatan 32.11.02"},
		{"operator may not import", as(opPW), "", imp(good, "budi"), exitNegative, "", "not allowed"},
		{"no file", as(opPW), "", imp(filepath.Join(dir, "missing.json"), "sari"), exitUsage, "", "missing.json"},
		{"no key and no registration", as(opPW), "", imp(good, "sari")[:8], exitUsage, "", "not registered"},
	}, nil)
}
