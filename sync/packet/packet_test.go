package packet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hpke"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type fixture struct {
	station   ed25519.PrivateKey
	server    hpke.PrivateKey
	other     hpke.PrivateKey
	manifest  Manifest
	files     []File
	trustedID string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	_, station, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	server, err := KEM().GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := KEM().GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	big := bytes.Repeat([]byte("wsq-finger-bytes"), 20000) // > several chunks
	return &fixture{
		station: station, server: server, other: other, trustedID: "ST-321101-01",
		manifest: Manifest{
			Schema: SchemaVersion, PacketID: "pkt-1", EnrollmentID: "enr-1",
			StationID: "ST-321101-01", Kecamatan: "32.11.01",
			Operator:   Actor{ID: "op1", AuthMethod: "password"},
			Supervisor: Actor{ID: "sup1", AuthMethod: "fingerprint"},
			CreatedAt:  at, SealedAt: at.Add(time.Hour),
			Lifecycle: []Step{{From: "DRAFT", To: "BIO_CAPTURED", Actor: "op1", At: at}},
		},
		files: []File{
			{Name: "transaction.an2", Type: "ansi-nist-itl", Data: big},
			{Name: "templates.bin", Type: "rekam-templates", Data: []byte{1, 2, 3}},
			{Name: "empty", Type: "x", Data: nil},
		},
	}
}

func (f *fixture) trust(id string, key ed25519.PublicKey) error {
	if id != f.trustedID {
		return errors.New("unknown station " + id)
	}
	if !key.Equal(f.station.Public()) {
		return errors.New("key is not the one registered for " + id)
	}
	return nil
}

func TestSealOpenRoundTrip(t *testing.T) {
	f := newFixture(t)
	sealed, name, err := Seal(f.manifest, f.files, f.station, f.server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if name != Name(sealed) || len(name) != 64 {
		t.Fatalf("name %q is not the content hash", name)
	}
	if bytes.Contains(sealed, []byte("wsq-finger-bytes")) || bytes.Contains(sealed, []byte("ST-321101-01")) {
		t.Fatal("sealed packet contains plaintext")
	}
	c, err := Open(sealed, f.server, f.trust)
	if err != nil {
		t.Fatal(err)
	}
	if c.Manifest.EnrollmentID != "enr-1" || len(c.Files) != 3 {
		t.Fatalf("opened %+v", c.Manifest)
	}
	for i, file := range c.Files {
		if file.Name != f.files[i].Name || !bytes.Equal(file.Data, f.files[i].Data) {
			t.Errorf("file %d differs after round trip", i)
		}
	}
	if !c.Manifest.CreatedAt.Equal(f.manifest.CreatedAt) || c.Manifest.Lifecycle[0].To != "BIO_CAPTURED" {
		t.Errorf("manifest fields lost: %+v", c.Manifest)
	}
}

func TestOpenRefusesWithReason(t *testing.T) {
	f := newFixture(t)
	sealed, _, err := Seal(f.manifest, f.files, f.station, f.server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	flip := func(off int) []byte {
		b := bytes.Clone(sealed)
		b[off] ^= 0x40
		return b
	}
	_, otherStation, _ := ed25519.GenerateKey(nil)
	forged, _, err := Seal(f.manifest, f.files, otherStation, f.server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	unknown := f.manifest
	unknown.StationID = "ST-999999-99"
	unknownSealed, _, err := Seal(unknown, f.files, f.station, f.server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sealed []byte
		key    hpke.PrivateKey
		part   Part
	}{
		{"wrong recipient", sealed, f.other, PartRecipient},
		{"bad magic", flip(0), f.server, PartFraming},
		{"tampered ciphertext", flip(len(sealed) - 100), f.server, PartDecrypt},
		{"tampered first chunk", flip(len(magic) + 32 + 2 + 1120 + 10), f.server, PartDecrypt},
		{"truncated mid-chunk", sealed[:len(sealed)-70000], f.server, PartFraming},
		{"truncated at a chunk boundary", sealed[:len(magic)+32+2+1120+2*(4+chunkSize+gcmTagSize)], f.server, PartDecrypt},
		{"truncated head", sealed[:20], f.server, PartFraming},
		{"signed by another station key", forged, f.server, PartSigner},
		{"unknown station", unknownSealed, f.server, PartSigner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.sealed, tt.key, f.trust)
			if !IsError(err, tt.part) {
				t.Fatalf("got %v, want a %s error", err, tt.part)
			}
		})
	}
}

func TestParseManifestRejects(t *testing.T) {
	tests := []struct {
		name string
		json string
		part Part
	}{
		{"unknown schema", `{"schema":99,"packet_id":"p"}`, PartSchema},
		{"not json", `{`, PartManifest},
		{"unknown field", `{"schema":1,"packet_id":"p","enrollment_id":"e","station_id":"s","extra":1}`, PartManifest},
		{"missing ids", `{"schema":1}`, PartManifest},
		{"bad file name", `{"schema":1,"packet_id":"p","enrollment_id":"e","station_id":"s","files":[{"name":"../x","size":1,"sha256":"` + string(bytes.Repeat([]byte("a"), 64)) + `"}]}`, PartManifest},
		{"negative size", `{"schema":1,"packet_id":"p","enrollment_id":"e","station_id":"s","files":[{"name":"x","size":-1,"sha256":"` + string(bytes.Repeat([]byte("a"), 64)) + `"}]}`, PartManifest},
	}
	for _, tt := range tests {
		if _, err := ParseManifest([]byte(tt.json)); !IsError(err, tt.part) {
			t.Errorf("%s: got %v, want a %s error", tt.name, err, tt.part)
		}
	}
}

func TestWriteFileAtomicAndIdempotent(t *testing.T) {
	f := newFixture(t)
	sealed, name, err := Seal(f.manifest, f.files, f.station, f.server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p1, err := WriteFile(dir, sealed)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := WriteFile(dir, sealed)
	if err != nil || p1 != p2 || filepath.Base(p1) != name+".pkt" {
		t.Fatalf("paths %q %q, err %v", p1, p2, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in the packet folder, want 1 (no temp left)", len(entries))
	}
	got, _ := os.ReadFile(p1)
	if !bytes.Equal(got, sealed) {
		t.Fatal("written packet differs")
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"schema":1,"packet_id":"p","enrollment_id":"e","station_id":"s"}`))
	f.Add([]byte(`{"schema":2}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err == nil && m.Validate() != nil {
			t.Fatal("accepted a manifest that does not validate")
		}
		var pe *Error
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %T is not a *packet.Error", err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	fx := newFixture(f)
	fx.files = fx.files[1:]
	sealed, _, err := Seal(fx.manifest, fx.files, fx.station, fx.server.PublicKey())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed)
	f.Add(sealed[:60])
	f.Add([]byte("RKMPKT1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Open(b, fx.server, fx.trust)
		if err == nil && c.Manifest.EnrollmentID != "enr-1" {
			t.Fatal("opened a packet that was never sealed")
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	f := newFixture(b)
	b.SetBytes(int64(len(f.files[0].Data)))
	for b.Loop() {
		if _, _, err := Seal(f.manifest, f.files, f.station, f.server.PublicKey()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	f := newFixture(b)
	sealed, _, _ := Seal(f.manifest, f.files, f.station, f.server.PublicKey())
	b.SetBytes(int64(len(sealed)))
	for b.Loop() {
		if _, err := Open(sealed, f.server, f.trust); err != nil {
			b.Fatal(err)
		}
	}
}
