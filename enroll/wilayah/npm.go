package wilayah

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
)

// NPMPackage and NPMVersion name the npm package the station's master data
// is imported from (ODbL data, MIT code).
const (
	NPMPackage = "idn-area-data"
	NPMVersion = "4.0.1"
	// NPMIntegrity is the registry's dist.integrity of NPMPackage@NPMVersion
	// (`npm view idn-area-data@4.0.1 dist.integrity`).
	NPMIntegrity = "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2OlpJ5fjiqxNYndzOQ=="
)

// npmFile describes one per-level CSV in the package's data/ folder.
type npmFile struct {
	path   string
	header []string
	level  Level
}

// npmFiles are the files ParseNPMPackage reads, top level first. The
// provinces file has no parent column.
var npmFiles = []npmFile{
	{"package/data/provinces.csv", []string{"code", "name"}, Provinsi},
	{"package/data/regencies.csv", []string{"code", "province_code", "name"}, KabKota},
	{"package/data/districts.csv", []string{"code", "regency_code", "name"}, Kecamatan},
	{"package/data/villages.csv", []string{"code", "district_code", "name"}, Desa},
}

// Bounds on what the archive may make us read: the real files are at most
// 3 MB each (villages.csv), 5 MB in all.
const (
	maxNPMFile  = 32 << 20
	maxNPMTotal = 128 << 20
)

// ParseNPMPackage reads the npm tarball of idn-area-data (4.x): a gzip'd
// tar whose package/data/ holds provinces.csv (code,name) and
// regencies.csv, districts.csv, villages.csv (code,<parent>_code,name),
// all with dotted codes. It returns the regions top level first. Every
// row's parent column must equal its code's parent; errors name the file
// and line. Other files (islands.csv, code, docs) are ignored.
func ParseNPMPackage(tgz io.Reader) ([]Region, error) {
	zr, err := gzip.NewReader(tgz)
	if err != nil {
		return nil, fmt.Errorf("npm package: not gzip: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(&io.LimitedReader{R: zr, N: maxNPMTotal})
	found := map[string][]Region{}
	seen := dedup{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("npm package: read tar: %w", err)
		}
		f, ok := npmFileFor(h.Name)
		if !ok || h.Typeflag != tar.TypeReg {
			continue
		}
		if _, dup := found[f.path]; dup {
			return nil, fmt.Errorf("npm package: %s appears twice", f.path)
		}
		if h.Size > maxNPMFile {
			return nil, fmt.Errorf("npm package: %s is %d bytes, more than the %d allowed", f.path, h.Size, maxNPMFile)
		}
		rs, err := parseNPMFile(tr, f, seen)
		if err != nil {
			return nil, fmt.Errorf("npm package: %w", err)
		}
		found[f.path] = rs
	}
	var out []Region
	for _, f := range npmFiles {
		rs, ok := found[f.path]
		if !ok {
			return nil, fmt.Errorf("npm package: %s missing", f.path)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// npmFileFor matches a tar entry name (with or without "./") to a level file.
func npmFileFor(name string) (npmFile, bool) {
	name = strings.TrimPrefix(name, "./")
	for _, f := range npmFiles {
		if f.path == name {
			return f, true
		}
	}
	return npmFile{}, false
}

// parseNPMFile reads one level's CSV.
func parseNPMFile(r io.Reader, f npmFile, seen dedup) ([]Region, error) {
	var out []Region
	err := readTable(r, f.path, f.header, func(rec []string, _ int) error {
		name := rec[len(rec)-1]
		reg, err := regionOf(rec[0], name, f.level)
		if err != nil {
			return err
		}
		if len(rec) == 3 {
			if p := strings.TrimSpace(rec[1]); p != reg.Parent() {
				return fmt.Errorf("code %q: %s %q is not its parent %q", reg.Code, f.header[1], p, reg.Parent())
			}
		}
		if err := seen.add(reg.Code); err != nil {
			return err
		}
		out = append(out, reg)
		return nil
	})
	return out, err
}

// ErrIntegrity is returned (wrapped) by VerifyIntegrity when the bytes do
// not match the integrity string.
var ErrIntegrity = errors.New("integrity mismatch")

// sriAlgos are the Subresource Integrity hash functions, strongest first.
var sriAlgos = []struct {
	name string
	new  func() hash.Hash
}{
	{"sha512", sha512.New},
	{"sha384", sha512.New384},
	{"sha256", sha256.New},
}

// VerifyIntegrity checks data against a Subresource Integrity string as
// npm publishes it in dist.integrity ("sha512-<base64>", possibly several
// space-separated). As the SRI rules say, only the strongest algorithm
// present counts and any one of its digests may match. A string without a
// supported algorithm (sha512, sha384, sha256) is an error, never a pass.
func VerifyIntegrity(data []byte, sri string) error {
	digests := map[string][][]byte{}
	for _, tok := range strings.Fields(sri) {
		algo, b64, ok := strings.Cut(tok, "-")
		if !ok {
			return fmt.Errorf("integrity %q: want algo-base64", tok)
		}
		b64, _, _ = strings.Cut(b64, "?") // SRI options are ignored
		sum, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return fmt.Errorf("integrity %q: bad base64: %w", tok, err)
		}
		digests[algo] = append(digests[algo], sum)
	}
	for _, a := range sriAlgos {
		want, ok := digests[a.name]
		if !ok {
			continue
		}
		h := a.new()
		h.Write(data)
		got := h.Sum(nil)
		for _, w := range want {
			if subtle.ConstantTimeCompare(got, w) == 1 {
				return nil
			}
		}
		return fmt.Errorf("%w: %s-%s does not match %q", ErrIntegrity, a.name, base64.StdEncoding.EncodeToString(got), sri)
	}
	return fmt.Errorf("integrity %q: no sha512, sha384 or sha256 digest", sri)
}

// ParseVerifiedNPMPackage checks tgz against the integrity string, then
// parses it (see ParseNPMPackage).
func ParseVerifiedNPMPackage(tgz []byte, sri string) ([]Region, error) {
	if err := VerifyIntegrity(tgz, sri); err != nil {
		return nil, fmt.Errorf("npm package %s@%s: %w", NPMPackage, NPMVersion, err)
	}
	return ParseNPMPackage(bytes.NewReader(tgz))
}

// maxNPMTarball bounds the tarball read into memory for its integrity check.
const maxNPMTarball = 64 << 20

// ReadRegionsFile reads region master data from a file of either layout
// the station imports: the idn-area-data npm tarball (recognised by its
// gzip magic bytes), which must carry the pinned NPMIntegrity of
// NPMPackage@NPMVersion, or a code,name,level CSV. Errors name the path.
func ReadRegionsFile(path string) ([]Region, error) {
	return readRegionsFile(path, NPMIntegrity)
}

// readRegionsFile is ReadRegionsFile with the tarball's expected integrity.
func readRegionsFile(path, sri string) ([]Region, error) {
	return ReadFile(path, func(r io.Reader) ([]Region, error) {
		br := bufio.NewReader(r)
		if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
			b, err := io.ReadAll(io.LimitReader(br, maxNPMTarball+1))
			if err != nil {
				return nil, fmt.Errorf("npm package: %w", err)
			}
			if len(b) > maxNPMTarball {
				return nil, fmt.Errorf("npm package: larger than %d bytes", maxNPMTarball)
			}
			return ParseVerifiedNPMPackage(b, sri)
		}
		return ParseCSV(br)
	})
}
