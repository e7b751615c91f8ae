package wilayah

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
)

// tgz builds an npm-style tarball in memory from path → content.
func tgz(tb testing.TB, files map[string]string, order ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range order {
		body, ok := files[name]
		if !ok {
			continue
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			tb.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// synthetic is a minimal, valid idn-area-data layout.
func synthetic() map[string]string {
	return map[string]string{
		"package/package.json":        `{"name":"idn-area-data","version":"4.0.1"}`,
		"package/data/provinces.csv":  "code,name\n32,Jawa Barat\n",
		"package/data/regencies.csv":  "code,province_code,name\n32.11,32,Kabupaten Sumedang\n",
		"package/data/districts.csv":  "code,regency_code,name\n32.11.01,32.11,Wado\n35.29.22,35.29,\"Ra\"\"as\"\n",
		"package/data/villages.csv":   "code,district_code,name\n32.11.01.2001,32.11.01,Cikareo Selatan\n",
		"package/data/islands.csv":    "code,regency_code,coordinate,is_populated,is_outermost_small,name\n32.11.40001,32.11,x,0,0,Pulau\n",
		"package/data/LICENSE.md":     "ODbL",
		"package/lib/index.js":        "module.exports = {}",
		"package/data/../../evil.csv": "code,name\n",
	}
}

var syntheticOrder = []string{"package/package.json", "package/data/villages.csv", "package/data/islands.csv",
	"package/data/districts.csv", "package/data/provinces.csv", "package/data/regencies.csv", "package/lib/index.js", "package/data/LICENSE.md", "package/data/../../evil.csv"}

func TestParseNPMPackage(t *testing.T) {
	rs, err := ParseNPMPackage(bytes.NewReader(tgz(t, synthetic(), syntheticOrder...)))
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{{"32", "Jawa Barat", Provinsi}, {"32.11", "Kabupaten Sumedang", KabKota},
		{"32.11.01", "Wado", Kecamatan}, {"35.29.22", `Ra"as`, Kecamatan}, {"32.11.01.2001", "Cikareo Selatan", Desa}}
	if len(rs) != len(want) {
		t.Fatalf("got %+v, want %+v", rs, want)
	}
	for i := range want {
		if rs[i] != want[i] {
			t.Errorf("region %d = %+v, want %+v", i, rs[i], want[i])
		}
	}
}

func TestParseNPMPackageErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(m map[string]string)
		expect string
	}{
		{"missing villages", func(m map[string]string) { delete(m, "package/data/villages.csv") }, "package/data/villages.csv missing"},
		{"wrong parent", func(m map[string]string) {
			m["package/data/districts.csv"] = "code,regency_code,name\n32.11.01,32.12,Wado\n"
		}, "package/data/districts.csv line 2: code \"32.11.01\": regency_code \"32.12\" is not its parent"},
		{"wrong level", func(m map[string]string) {
			m["package/data/regencies.csv"] = "code,province_code,name\n32.11,32,Sumedang\n32.11.01,32.11,Wado\n"
		}, "package/data/regencies.csv line 3"},
		{"bad header", func(m map[string]string) { m["package/data/provinces.csv"] = "id,name\n32,Jawa Barat\n" }, "package/data/provinces.csv line 1: header"},
		{"duplicate across files", func(m map[string]string) {
			m["package/data/villages.csv"] = "code,district_code,name\n32.11.01.2001,32.11.01,A\n32.11.01.2001,32.11.01,B\n"
		}, "villages.csv line 3: code \"32.11.01.2001\" appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := synthetic()
			tt.edit(m)
			_, err := ParseNPMPackage(bytes.NewReader(tgz(t, m, syntheticOrder...)))
			if err == nil || !strings.Contains(err.Error(), tt.expect) {
				t.Fatalf("error %v, want %q", err, tt.expect)
			}
		})
	}
	if _, err := ParseNPMPackage(strings.NewReader("not gzip")); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("plain text: %v", err)
	}
	good := tgz(t, synthetic(), syntheticOrder...)
	if _, err := ParseNPMPackage(bytes.NewReader(good[:len(good)/2])); err == nil {
		t.Error("accepted a truncated tarball")
	}
}

// TestParseNPMPackageHostileSize checks that a tar header claiming a huge
// file is refused before reading it.
func TestParseNPMPackageHostileSize(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: "package/data/villages.csv", Mode: 0o644, Size: 1 << 40, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	_, err := ParseNPMPackage(&buf)
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("error %v, want a size refusal", err)
	}
}

func sri(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}

func TestVerifyIntegrity(t *testing.T) {
	data := []byte("idn-area-data")
	other := []byte("tampered")
	tests := []struct {
		name     string
		sri      string
		ok       bool
		mismatch bool
	}{
		{"match", sri(data), true, false},
		{"mismatch", sri(other), false, true},
		{"one of several matches", sri(other) + " " + sri(data), true, false},
		{"strongest algorithm wins", "sha256-AAAA " + sri(data), true, false},
		{"weaker digest ignored when sha512 fails", "sha256-AAAA " + sri(other), false, true},
		{"unsupported only", "md5-AAAA", false, false},
		{"empty", "", false, false},
		{"bad base64", "sha512-!!!", false, false},
		{"no dash", "sha512", false, false},
	}
	for _, tt := range tests {
		err := VerifyIntegrity(data, tt.sri)
		if (err == nil) != tt.ok || errors.Is(err, ErrIntegrity) != tt.mismatch {
			t.Errorf("%s: err %v, want ok=%v mismatch=%v", tt.name, err, tt.ok, tt.mismatch)
		}
	}
	pkg := tgz(t, synthetic(), syntheticOrder...)
	if _, err := ParseVerifiedNPMPackage(pkg, sri(pkg)); err != nil {
		t.Errorf("verified parse: %v", err)
	}
	if _, err := ParseVerifiedNPMPackage(pkg, sri(data)); !errors.Is(err, ErrIntegrity) {
		t.Errorf("verified parse of the wrong bytes: %v", err)
	}
}

// TestRealNPMPackage runs against the published tarball when
// REKAM_IDN_AREA_TGZ names it (`npm pack idn-area-data@4.0.1`), and checks
// the registry integrity and that it holds the same codes as wilayah.csv.
func TestRealNPMPackage(t *testing.T) {
	path := os.Getenv("REKAM_IDN_AREA_TGZ")
	if path == "" {
		t.Skip("REKAM_IDN_AREA_TGZ not set (path of idn-area-data-4.0.1.tgz)")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ParseVerifiedNPMPackage(b, NPMIntegrity)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 91599 {
		t.Errorf("%d regions, want 91,599", len(rs))
	}
	ix, err := NewIndex(rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range loadShared(t) {
		if _, ok := ix.Lookup(r.Code); !ok {
			t.Errorf("wilayah.csv code %s missing from the npm package", r.Code)
		}
	}
}

// FuzzParseNPMPackage feeds arbitrary bytes, and CSV contents packed into
// a valid tarball, to the parser: it must not panic, and what it accepts
// must be well formed.
func FuzzParseNPMPackage(f *testing.F) {
	f.Add([]byte{}, "code,district_code,name\n32.11.01.2001,32.11.01,Cikareo\n")
	f.Add(tgz(f, synthetic(), syntheticOrder...), "code,district_code,name\n")
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, "x")
	f.Fuzz(func(t *testing.T, raw []byte, villages string) {
		check := func(rs []Region, err error) {
			for _, r := range rs {
				if l, e := LevelOf(r.Code); e != nil || l != r.Level || r.Name == "" {
					t.Fatalf("accepted bad region %+v", r)
				}
			}
		}
		check(ParseNPMPackage(bytes.NewReader(raw)))
		m := synthetic()
		m["package/data/villages.csv"] = villages
		check(ParseNPMPackage(bytes.NewReader(tgz(t, m, syntheticOrder...))))
	})
}

func TestReadRegionsFile(t *testing.T) {
	dir := t.TempDir()
	tgzPath, csvPath := dir+"/pkg.tgz.bin", dir+"/w.csv"
	if err := os.WriteFile(tgzPath, tgz(t, synthetic(), syntheticOrder...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csvPath, []byte("code,name,level\n32,Jawa Barat,provinsi\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(tgzPath)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(raw)
	if rs, err := readRegionsFile(tgzPath, "sha512-"+base64.StdEncoding.EncodeToString(sum[:])); err != nil || len(rs) != 5 {
		t.Errorf("tarball: %d regions, %v", len(rs), err)
	}
	// A tarball that is not the pinned release is refused, not imported.
	if _, err := ReadRegionsFile(tgzPath); !errors.Is(err, ErrIntegrity) {
		t.Errorf("unpinned tarball: err %v, want ErrIntegrity", err)
	}
	if rs, err := ReadRegionsFile(csvPath); err != nil || len(rs) != 1 {
		t.Errorf("csv: %d regions, %v", len(rs), err)
	}
	if _, err := ReadRegionsFile(dir + "/none"); err == nil {
		t.Error("missing file accepted")
	}
	bad := dir + "/bad.csv"
	if err := os.WriteFile(bad, []byte("code,name,level\n32,X,provinsi\n3x,Y,provinsi\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRegionsFile(bad); err == nil || !strings.Contains(err.Error(), bad+": region csv: line 3") {
		t.Errorf("error %v does not name file and line", err)
	}
}
