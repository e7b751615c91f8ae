package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/internal/shareddata"
)

func TestFormatsInspect(t *testing.T) {
	root := shareddata.Require(t, "wsq")
	ansi := shareddata.Require(t, "ansi-nist")
	tests := []struct {
		file string
		want []string
	}{
		{filepath.Join(root, "nist-fp", "fp-1.wsq"), []string{"WSQ, 42297 bytes, 804x752, 500 ppi", "wsq_bitrate 0.750000"}},
		{filepath.Join(ansi, "type-14-tip-eji-wsq.an2"), []string{"ANSI/NIST-ITL", "Type-14, 6081 bytes, 344x370, compression WSQ20, idc 1", "Type-2, 0 bytes, fields 3"}},
		{filepath.Join(ansi, "type-4-slaps.an2"), []string{"Type-4", "1608x1000, compression WSQ"}},
		{filepath.Join(root, "sample", "sample.png"), []string{"PNG", "545x622"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			code, out, errs := runCLI(t, nil, "", "formats", "inspect", tt.file)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	bad := filepath.Join(t.TempDir(), "bad.wsq")
	os.WriteFile(bad, []byte("\xff\xa0\xff\xa2\x00\x05"), 0o600)
	if code, _, errs := runCLI(t, nil, "", "formats", "inspect", bad); code != exitNegative || !strings.Contains(errs, "wsq:") {
		t.Errorf("corrupt WSQ: exit %d, %q", code, errs)
	}
	if code, _, _ := runCLI(t, nil, "", "formats", "inspect"); code != exitUsage {
		t.Errorf("no file: exit %d", code)
	}
}

// TestFormatsConvertChain converts a TIFF to WSQ, the WSQ to PNG, the PNG
// to a 19794-4 record and the record back to PNG, inspecting each step.
func TestFormatsConvertChain(t *testing.T) {
	src := filepath.Join(shareddata.Require(t, "fvc2002", "DB1_B"), "101_1.tif")
	dir := t.TempDir()
	steps := [][2]string{
		{src, filepath.Join(dir, "a.wsq")},
		{filepath.Join(dir, "a.wsq"), filepath.Join(dir, "a.png")},
		{filepath.Join(dir, "a.png"), filepath.Join(dir, "a.fir")},
		{filepath.Join(dir, "a.fir"), filepath.Join(dir, "b.png")},
	}
	for _, s := range steps {
		if code, _, errs := runCLI(t, nil, "", "formats", "convert", s[0], s[1], "--position", "3", "--quality", "66"); code != exitOK {
			t.Fatalf("convert %s: exit %d: %s", s[0], code, errs)
		}
	}
	code, out, errs := runCLI(t, nil, "", "formats", "inspect", "--json", filepath.Join(dir, "a.fir"))
	if code != exitOK {
		t.Fatalf("inspect: %d %s", code, errs)
	}
	var s formatsSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Format, "19794-4") || len(s.Records) != 1 || s.Records[0].Width != 388 ||
		s.Records[0].Detail["position"] != "3" || s.Records[0].Detail["quality"] != "66" || s.Detail["compression"] != "WSQ" {
		t.Errorf("record summary %+v", s)
	}
	capped := filepath.Join(dir, "capped.wsq")
	if code, _, errs := runCLI(t, nil, "", "formats", "convert", "--max-ratio", "12", src, capped); code != exitOK {
		t.Fatalf("convert --max-ratio: %d %s", code, errs)
	}
	if st, err := os.Stat(capped); err != nil || float64(388*374)/float64(st.Size()) > 12 {
		t.Errorf("capped file %v (%v)", st, err)
	}
	wrapped := filepath.Join(dir, "w.fir")
	if code, _, errs := runCLI(t, nil, "", "formats", "convert", "--cbeff", "--quality", "90", filepath.Join(dir, "a.wsq"), wrapped); code != exitOK {
		t.Fatalf("convert --cbeff: %d %s", code, errs)
	}
	code, out, _ = runCLI(t, nil, "", "formats", "inspect", wrapped)
	if code != exitOK || !strings.Contains(out, "CBEFF") || !strings.Contains(out, "format_type 0x0007") || !strings.Contains(out, "  ISO/IEC 19794-4:2005") {
		t.Errorf("inspect wrapped record: %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, nil, "", "formats", "convert", wrapped, filepath.Join(dir, "c.png")); code != exitOK {
		t.Errorf("convert from CBEFF: %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, nil, "", "formats", "convert", src, filepath.Join(dir, "x.bmp")); code != exitUsage {
		t.Errorf("unsupported output: exit %d", code)
	}
}

func TestFormatsConvertFromANSINIST(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(shareddata.Require(t, "ansi-nist"), "type-14-tip-eji-wsq.an2")
	tests := []struct {
		idc  string
		code int
		size string
	}{
		{"2", exitOK, "678x1426"},
		{"-1", exitOK, "344x370"},
		{"9", exitNegative, ""},
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, nil, "", "formats", "convert", "--idc", tt.idc, src, filepath.Join(dir, "f.png"))
		if code != tt.code || !strings.Contains(out, tt.size) {
			t.Errorf("idc %s: exit %d, %q %q", tt.idc, code, out, errs)
		}
	}
}

func TestFormatsBench(t *testing.T) {
	root := filepath.Dir(shareddata.Require(t, "wsq"))
	code, out, errs := runCLI(t, nil, "", "formats", "bench", "--testdata", root, "--sets", "DB3_B", "--limit", "2", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 16 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var row formatsCompressRow
	if err := json.Unmarshal([]byte(lines[15]), &row); err != nil {
		t.Fatal(err)
	}
	if row.Images != 2 || row.Ratio < 6 || row.PSNR < 25 {
		t.Errorf("compression row %+v", row)
	}
}

func TestFormatsRoundtrip(t *testing.T) {
	src := t.TempDir()
	fvc := shareddata.Require(t, "fvc2002", "DB3_B")
	for _, name := range []string{"101_1.tif", "101_2.tif"} {
		data, err := os.ReadFile(filepath.Join(fvc, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, name), data, 0o600)
	}
	dst := filepath.Join(t.TempDir(), "wsq")
	code, out, errs := runCLI(t, nil, "", "formats", "roundtrip", src, dst, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Images int     `json:"images"`
		PSNR   float64 `json:"mean_psnr_db"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Images != 2 || res.PSNR < 25 {
		t.Errorf("result %s (%v)", out, err)
	}
	code, out, _ = runCLI(t, nil, "", "formats", "inspect", filepath.Join(dst, "101_2.tif"))
	if code != exitOK || !strings.Contains(out, "TIFF, ") || !strings.Contains(out, "300x300") {
		t.Errorf("inspect written TIFF: %d %s", code, out)
	}
}
