package port

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/operator"
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

func TestAuditCaptureFile(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AuditCaptureFile(ctx, admin, "fp0", 1); err != nil {
		t.Fatalf("admin: %v", err)
	}
	if err := st.AuditCaptureFile(ctx, s["op1"], "fp0", 1); !errors.Is(err, operator.ErrForbidden) {
		t.Fatalf("operator: %v", err)
	}
	log, err := st.S.AuditLog(ctx, admin, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "device.capture_file" && e.Object == "device:fp0" && e.Detail == "files=1" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d capture entries, want 1", n)
	}
}
