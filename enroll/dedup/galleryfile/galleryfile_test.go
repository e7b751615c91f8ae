package galleryfile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/enroll/dedup/galleryfile"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/simulators/tmplsynth"
)

func records(n int) ([]string, []*index.Record) {
	var ids []string
	var recs []*index.Record
	for i := 0; i < n; i++ {
		r := &index.Record{}
		r.Fingers[1] = tmplsynth.Finger(uint64(i), 2)
		r.Irises[0] = tmplsynth.Iris(uint64(i), 0)
		ids = append(ids, "rec-"+string(rune('a'+i)))
		recs = append(recs, r)
	}
	return ids, recs
}

func TestRoundTrip(t *testing.T) {
	ids, recs := records(3)
	p, err := galleryfile.New("32.11.01", ids, recs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"nik", "name", "image", "birth"} {
		if strings.Contains(strings.ToLower(string(b)), `"`+banned) {
			t.Errorf("payload has a %q field", banned)
		}
	}
	got, grecs, err := galleryfile.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kecamatan != "32.11.01" || len(grecs) != 3 || got.Records[2].ID != "rec-c" || *grecs[1].Irises[0] != *recs[1].Irises[0] {
		t.Fatalf("round trip: %+v", got)
	}
}

func TestParseErrors(t *testing.T) {
	ids, recs := records(2)
	p, _ := galleryfile.New("32.11.01", ids, recs)
	good, _ := p.Marshal()
	tests := map[string]string{
		"not json":       `{"format":`,
		"unknown field":  strings.Replace(string(good), `"kecamatan"`, `"nik":"1","kecamatan"`, 1),
		"format":         strings.Replace(string(good), galleryfile.Format, "other/1", 1),
		"kecamatan":      strings.Replace(string(good), "32.11.01", "32.11", 1),
		"duplicate id":   strings.Replace(string(good), "rec-b", "rec-a", 1),
		"bad id":         strings.Replace(string(good), "rec-b", "../x", 1),
		"bad templates":  strings.Replace(string(good), `"templates":"`, `"templates":"AAAA`, 1),
		"trailing":       string(good) + "{}",
		"empty template": `{"format":"` + galleryfile.Format + `","kecamatan":"32.11.01","records":[{"id":"a","templates":"UktEUgE="}]}`,
	}
	for name, in := range tests {
		if _, _, err := galleryfile.Parse([]byte(in)); !errors.Is(err, galleryfile.ErrPayload) {
			t.Errorf("%s: got %v, want ErrPayload", name, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	ids, recs := records(1)
	p, _ := galleryfile.New("32.11.01", ids, recs)
	good, _ := p.Marshal()
	f.Add(good)
	f.Add([]byte(`{"format":"rekam-dedup-gallery/1","kecamatan":"32.11.01","records":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, recs, err := galleryfile.Parse(b)
		if err != nil {
			return
		}
		if len(recs) != len(p.Records) {
			t.Fatalf("%d records decoded for %d", len(recs), len(p.Records))
		}
	})
}
