package minutiae

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func sampleRecord(f Format) *Record {
	return &Record{
		Format: f, ProductOwner: 0x0033, ProductType: 0x0101, Compliance: 0x8, EquipmentID: 0x123,
		Width: 300, Height: 400, XRes: 197, YRes: 197,
		Views: []View{{
			Position: RightIndex, ViewNumber: 1, Impression: LiveScanPlain, Quality: 77,
			Minutiae: []Minutia{
				{Type: Ending, X: 165, Y: 48, Angle: 150, Quality: 60},
				{Type: Bifurcation, X: 16383, Y: 0, Angle: 358, Quality: 100},
				{Type: Other, X: 0, Y: 399, Angle: 0, Quality: 0},
			},
			Extensions: []Extension{{Type: 1, Data: []byte{1, 2, 3}}},
		}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{ISO2005, ANSI2004} {
		t.Run(f.String(), func(t *testing.T) {
			r := sampleRecord(f)
			b, err := r.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			want := map[Format]int{ISO2005: 24 + 4 + 18 + 2 + 7, ANSI2004: 26 + 4 + 18 + 2 + 7}[f]
			if len(b) != want {
				t.Fatalf("%d bytes, want %d", len(b), want)
			}
			got, err := Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != f {
				t.Fatalf("detected %v, want %v", got.Format, f)
			}
			b2, err := got.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, b2) {
				t.Fatalf("re-encoding differs:\n% x\n% x", b, b2)
			}
			m := got.Views[0].Minutiae[1]
			if m.Type != Bifurcation || m.X != 16383 || m.Quality != 100 {
				t.Fatalf("minutia %+v", m)
			}
			// 358° is 254.6 ISO units → 255 (358.6°), or 179 ANSI units (358°).
			if d := m.Angle - 358; d < -1.5 || d > 1.5 {
				t.Fatalf("angle %.2f, want ≈358", m.Angle)
			}
			v := got.Views[0]
			if v.Position != RightIndex || v.ViewNumber != 1 || v.Quality != 77 || len(v.Extensions) != 1 {
				t.Fatalf("view %+v", v)
			}
		})
	}
}

func TestAngleUnits(t *testing.T) {
	tests := []struct {
		deg  float64
		f    Format
		wire uint8
	}{
		{0, ISO2005, 0}, {90, ISO2005, 64}, {180, ISO2005, 128}, {359.9, ISO2005, 0}, {-90, ISO2005, 192},
		{0, ANSI2004, 0}, {90, ANSI2004, 45}, {180, ANSI2004, 90}, {359.5, ANSI2004, 0}, {-2, ANSI2004, 179},
	}
	for _, tt := range tests {
		if got := angleToWire(tt.deg, tt.f); got != tt.wire {
			t.Errorf("angleToWire(%v, %v) = %d, want %d", tt.deg, tt.f, got, tt.wire)
		}
	}
}

func TestMalformed(t *testing.T) {
	good, err := sampleRecord(ISO2005).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"magic", mut(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"truncated header", good[:20]},
		{"truncated body", good[:len(good)-1]},
		{"length too big", mut(func(b []byte) []byte { b[11]++; return b })},
		{"many views", mut(func(b []byte) []byte { b[22] = 200; return b })},
		{"many minutiae", mut(func(b []byte) []byte { b[27] = 250; return b })},
		{"extension overflow", mut(func(b []byte) []byte { b[46] = 0xff; return b })},
		{"trailing bytes", func() []byte {
			b := append(append([]byte(nil), good...), 0, 0)
			b[11] += 2
			return b
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.b); !errors.Is(err, ErrFormat) {
				t.Fatalf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	// testdata/sample.iso holds the hand-made sample record (not from any data set);
	// set UPDATE_GOLDEN=1 with the file removed to regenerate it.
	r := sampleRecord(ISO2005)
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "sample.iso"))
	if os.IsNotExist(err) && os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(filepath.Join("testdata", "sample.iso"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("encoding changed:\n% x\nwant\n% x", b, want)
	}
}

func TestReadsFVCSecuGen(t *testing.T) {
	sets := []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"}
	total := 0
	for _, s := range sets {
		dir := shareddata.Require(t, "fvc2002", s, "iso_secugen")
		files, err := filepath.Glob(filepath.Join(dir, "*.iso"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no .iso files (%v)", dir, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Unmarshal(b)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if r.Format != ISO2005 || len(r.Views) != 1 || len(r.Views[0].Minutiae) == 0 {
				t.Fatalf("%s: %v with %d views", f, r.Format, len(r.Views))
			}
			for _, m := range r.Views[0].Minutiae {
				if m.X >= r.Width || m.Y >= r.Height {
					t.Fatalf("%s: minutia (%d,%d) outside %dx%d", f, m.X, m.Y, r.Width, r.Height)
				}
			}
			out, err := r.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, b) {
				t.Fatalf("%s: re-encoding is not byte-identical", f)
			}
			total++
		}
	}
	if total != 320 {
		t.Fatalf("read %d records, want 320", total)
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, fm := range []Format{ISO2005, ANSI2004} {
		b, err := sampleRecord(fm).Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("FMR\x00 20\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Unmarshal(b)
		if err != nil {
			return
		}
		out, err := r.Marshal()
		if err != nil {
			t.Fatalf("parsed record does not marshal: %v", err)
		}
		r2, err := Unmarshal(out)
		if err != nil {
			t.Fatalf("re-encoded record does not parse: %v", err)
		}
		if len(r2.Views) != len(r.Views) {
			t.Fatalf("views %d → %d", len(r.Views), len(r2.Views))
		}
	})
}
