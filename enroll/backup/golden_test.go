package backup

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/keys"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenPlain is the "database" inside testdata/v1.rkb.
var goldenPlain = bytes.Repeat([]byte("SQLite format 3\x00golden backup "), 100)

// TestGoldenV1 pins format version 1: a backup written by an earlier
// version must still restore with its passphrase.
func TestGoldenV1(t *testing.T) {
	path := filepath.Join("testdata", "v1.rkb")
	const passphrase = "golden passphrase"
	if *update {
		k, _ := keys.Generate("ST-GOLDEN")
		w, _ := keys.Wrap(k, passphrase, fastKDF)
		var out bytes.Buffer
		if err := Write(&out, bytes.NewReader(goldenPlain), k, w, t0); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "db")
	k, h, err := RestoreFile(path, passphrase, dst)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	if k.Station != "ST-GOLDEN" || !h.CreatedAt.Equal(t0) || !bytes.Equal(got, goldenPlain) {
		t.Fatalf("golden restore: station %q, created %v, %d bytes", k.Station, h.CreatedAt, len(got))
	}
}
