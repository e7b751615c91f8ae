package bundle

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"station_id":"ST","created_at":"2026-11-27T00:00:00Z","packets":[]}`), []byte("00"))
	f.Add([]byte(`{"packets":[{"packet":"zz","size":-1}]}`), []byte("zz"))
	f.Fuzz(func(t *testing.T, manifest, sig []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, ManifestFile), manifest, 0o600)
		os.WriteFile(filepath.Join(dir, SignatureFile), sig, 0o600)
		m, _, _, err := ReadManifest(dir)
		if err != nil {
			return
		}
		for _, e := range m.Packets {
			if e.Size <= 0 || len(e.Packet) != 64 {
				t.Fatalf("accepted entry %+v", e)
			}
		}
	})
}
