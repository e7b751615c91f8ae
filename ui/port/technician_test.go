package port

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveSnapshot(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 8, 4))
	img.Pix[5] = 200
	tests := []struct {
		name    string
		file    string
		snap    Snapshot
		wantErr bool
		files   []string
	}{
		{"image", "fp0-1", Snapshot{Image: img}, false, []string{"fp0-1.png"}},
		{"pad", "pad0", Snapshot{Image: img, Record: []byte("SDI\x00")}, false, []string{"pad0.png", "pad0.sig"}},
		{"path in name", "../x", Snapshot{Image: img}, true, nil},
		{"empty name", "", Snapshot{Image: img}, true, nil},
		{"no image", "x", Snapshot{}, true, nil},
	}
	for _, tt := range tests {
		dir := filepath.Join(t.TempDir(), "captures")
		got, err := SaveSnapshot(dir, tt.file, tt.snap)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.files) {
			t.Errorf("%s: wrote %v, want %v", tt.name, got, tt.files)
			continue
		}
		for i, p := range got {
			if filepath.Base(p) != tt.files[i] {
				t.Errorf("%s: wrote %s, want %s", tt.name, p, tt.files[i])
			}
		}
		if len(got) == 0 {
			continue
		}
		b, err := os.ReadFile(got[0])
		if err != nil {
			t.Fatal(err)
		}
		back, err := png.Decode(bytes.NewReader(b))
		if err != nil || back.Bounds() != img.Bounds() {
			t.Errorf("%s: png %v, %v", tt.name, back, err)
		}
		if tt.snap.Record != nil {
			if rec, _ := os.ReadFile(got[1]); !bytes.Equal(rec, tt.snap.Record) {
				t.Errorf("%s: record %q", tt.name, rec)
			}
		}
	}
}
