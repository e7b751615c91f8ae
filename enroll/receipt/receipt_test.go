package receipt

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
)

var update = flag.Bool("update", false, "rewrite the testdata goldens")

// wib is Western Indonesian Time, the zone the goldens are printed in.
var wib = time.FixedZone("WIB", 7*3600)

// sample is a receipt with one amputated finger and a resident who cannot
// sign.
func sample() Receipt {
	c := Summarize(map[string]string{
		"finger.01": "", "finger.02": "", "finger.03": "", "finger.04": "", "finger.05": ForcedException,
		"finger.06": "", "finger.07": "", "finger.08": "", "finger.09": "amputated", "finger.10": "",
		"iris.right": "", "iris.left": "", "face": "", "signature": CannotSign + ": tidak bisa menulis",
		"template.01": "",
	})
	r := Receipt{StationID: "3211-01", Kecamatan: "32.11.01", KecamatanName: "JATINANGOR", EnrollmentID: 42,
		Number: "3211-01/42", NIK: "3211014501900001", Name: "SITI NURHALIZA", Operator: "op1",
		RecordedAt: time.Date(2026, 11, 27, 9, 41, 0, 0, wib), PrintedAt: time.Date(2026, 11, 27, 10, 5, 0, 0, wib),
		State: enroll.BioCaptured, Captured: c}
	r.Code = Code([]byte("test receipt key"), r)
	return r
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name     string
		steps    map[string]string
		fingers  int
		irises   int
		face     bool
		sign     Status
		finger9  Status
		empty    bool
		unknowns bool
	}{
		{name: "nothing", steps: map[string]string{}, empty: true},
		{name: "templates only", steps: map[string]string{"template.01": "", "template.iris": ""}, empty: true},
		{name: "all captured", steps: map[string]string{"finger.01": "", "finger.09": "", "finger.10": "", "iris.left": "", "iris.right": "", "face": "", "signature": ""},
			fingers: 3, irises: 2, face: true, sign: Status{Captured: true}, finger9: Status{Captured: true}},
		{name: "forced finger counts", steps: map[string]string{"finger.09": ForcedException}, fingers: 1, finger9: Status{Captured: true, Forced: true}},
		{name: "amputated finger and cannot sign", steps: map[string]string{"finger.09": "amputated", "signature": "cannot_sign: tidak bisa menulis"},
			finger9: Status{Exception: "amputated"}, sign: Status{Exception: CannotSign}},
		{name: "bad step names ignored", steps: map[string]string{"finger.00": "", "finger.11": "", "finger.x": "", "iris.middle": ""}, empty: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Summarize(tc.steps)
			if n := Count(c.Fingers[:]); n != tc.fingers {
				t.Errorf("fingers %d, want %d", n, tc.fingers)
			}
			if n := Count(c.Irises[:]); n != tc.irises {
				t.Errorf("irises %d, want %d", n, tc.irises)
			}
			if c.Face.Captured != tc.face || c.Signature != tc.sign || c.Fingers[8] != tc.finger9 {
				t.Errorf("face %v sign %+v finger 9 %+v", c.Face, c.Signature, c.Fingers[8])
			}
			if c.Empty() != tc.empty {
				t.Errorf("empty %v, want %v", c.Empty(), tc.empty)
			}
		})
	}
}

func TestCodeAndVerify(t *testing.T) {
	key := []byte("test receipt key")
	r := sample()
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`).MatchString(r.Code) {
		t.Fatalf("code %q is not two groups of five Crockford characters", r.Code)
	}
	lower := strings.ToLower(strings.ReplaceAll(r.Code, "-", " "))
	tests := []struct {
		name string
		key  []byte
		edit func(*Receipt)
		code string
		want bool
	}{
		{name: "as printed", key: key, code: r.Code, want: true},
		{name: "typed lower case with a space", key: key, code: lower, want: true},
		{name: "other station key", key: []byte("another station"), code: r.Code},
		{name: "other enrollment", key: key, edit: func(r *Receipt) { r.EnrollmentID++ }, code: r.Code},
		{name: "other NIK", key: key, edit: func(r *Receipt) { r.NIK = "3211014501900002" }, code: r.Code},
		{name: "other station", key: key, edit: func(r *Receipt) { r.StationID = "3211-02" }, code: r.Code},
		{name: "state and times are not bound", key: key, edit: func(r *Receipt) {
			r.State, r.RecordedAt, r.PrintedAt = enroll.PrintReadyRecord, r.RecordedAt.Add(time.Hour), r.PrintedAt.AddDate(0, 1, 0)
		}, code: r.Code, want: true},
		{name: "name is not bound", key: key, edit: func(r *Receipt) { r.Name = "X" }, code: r.Code, want: true},
		{name: "truncated code", key: key, code: r.Code[:9]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := r
			if tc.edit != nil {
				tc.edit(&x)
			}
			if got := Verify(tc.key, x, tc.code); got != tc.want {
				t.Fatalf("Verify = %v, want %v", got, tc.want)
			}
		})
	}
}

// pdfTexts returns the strings shown by the Tj operators of an uncompressed
// PDF, unescaped, in drawing order.
func pdfTexts(b []byte) []string {
	re := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)
	var out []string
	for _, m := range re.FindAllSubmatch(b, -1) {
		s := strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(string(m[1]))
		out = append(out, s)
	}
	return out
}

func TestRenderGolden(t *testing.T) {
	b, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "receipt.golden.pdf")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("rendered receipt differs from %s (%d vs %d bytes); if the change is meant, run go test -update and look at the PDF", golden, len(b), len(want))
	}
	again, _ := Render(sample())
	if !bytes.Equal(b, again) {
		t.Fatal("two renders of the same receipt differ")
	}
}

func TestRenderTexts(t *testing.T) {
	purged := sample()
	purged.Captured = Captured{Purged: true}
	purged.State = enroll.ReceivedAtCentral
	draft := sample()
	draft.State, draft.Captured = enroll.Draft, Summarize(map[string]string{"finger.01": ""})
	tests := []struct {
		name      string
		r         Receipt
		want      []string
		forbidden []string
	}{
		{name: "bio captured with exceptions", r: sample(), want: []string{
			"TANDA TERIMA PEREKAMAN KTP-el", "Receipt of KTP-el (electronic ID card) recording",
			"3211-01/42", "321101******0001", "SITI NURHALIZA", "27-11-2026 09:41 WIB", "JATINANGOR (32.11.01)", "op1",
			"Menunggu persetujuan supervisor", "Awaiting a supervisor's approval",
			"9 dari 10 direkam; pengecualian: jari manis kiri (diamputasi)", "9 of 10 captured; exceptions: left ring (amputated)",
			"2 dari 2 direkam", "tidak dapat menandatangani", "cannot sign", sample().Code, "Kode verifikasi", "Verification code",
		}, forbidden: []string{"3211014501900001", "450190", "tidak bisa menulis"}},
		{name: "purged after the centre's receipt", r: purged, want: []string{
			"Diterima di pusat", "Terkirim ke pusat; salinan di stasiun sudah dihapus",
		}, forbidden: []string{"dari 10 direkam"}},
		{name: "draft lists what is missing", r: draft, want: []string{
			"Perekaman belum selesai", "1 dari 10 direkam; pengecualian: telunjuk kanan (belum direkam)", "tidak direkam",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Render(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.Contains(b, []byte("%%EOF")) {
				t.Fatal("not a complete PDF")
			}
			texts := strings.Join(pdfTexts(b), " ") // wrapped lines join with their space
			for _, w := range tc.want {
				if !strings.Contains(texts, w) {
					t.Errorf("missing %q in:\n%s", w, texts)
				}
			}
			for _, f := range tc.forbidden {
				if bytes.Contains(b, []byte(f)) {
					t.Errorf("the PDF holds %q", f)
				}
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	r := sample()
	var n int
	for b.Loop() {
		out, err := Render(r)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}
