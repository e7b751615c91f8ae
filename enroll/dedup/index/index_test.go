package index_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/simulators/tmplsynth"
)

func record(seed uint64) *index.Record {
	r := &index.Record{}
	for f := range r.Fingers {
		r.Fingers[f] = tmplsynth.Finger(seed, f+1)
	}
	for e := range r.Irises {
		r.Irises[e] = tmplsynth.Iris(seed, e)
	}
	return r
}

// perturbed is another "impression" at template level: rotated, shifted,
// some minutiae lost, a few spurious ones, iris bits flipped.
func perturbed(r *index.Record, seed uint64) *index.Record {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := &index.Record{}
	for f, t := range r.Fingers {
		if t == nil {
			continue
		}
		a := (rng.Float64() - 0.5) * 0.4
		dx, dy := rng.NormFloat64()*10, rng.NormFloat64()*10
		nt := &finger.Template{Width: t.Width, Height: t.Height, Quality: t.Quality}
		for _, m := range t.Minutiae {
			if rng.Float64() < 0.15 {
				continue
			}
			x, y := float64(m.X)-150, float64(m.Y)-200
			nx := math.Cos(a)*x + math.Sin(a)*y + 150 + dx + rng.NormFloat64()*2
			ny := -math.Sin(a)*x + math.Cos(a)*y + 200 + dy + rng.NormFloat64()*2
			ang := math.Mod(m.Angle+a+rng.NormFloat64()*0.1+2*math.Pi, 2*math.Pi)
			nt.Minutiae = append(nt.Minutiae, finger.Minutia{X: int(nx), Y: int(ny), Angle: ang, Type: m.Type, Quality: m.Quality})
		}
		for k := 0; k < 3; k++ {
			nt.Minutiae = append(nt.Minutiae, finger.Minutia{X: 40 + rng.IntN(220), Y: 40 + rng.IntN(320), Angle: rng.Float64() * 6, Type: finger.Ending, Quality: 40})
		}
		out.Fingers[f] = nt
	}
	for e, t := range r.Irises {
		c := *t
		for k := 0; k < 400; k++ {
			b := rng.IntN(len(c.Real) * 64)
			c.Real[b/64] ^= 1 << (b % 64)
		}
		out.Irises[e] = &c
	}
	return out
}

func TestRecordRoundTrip(t *testing.T) {
	r := record(3)
	r.Fingers[4] = nil // an exception
	b, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got index.Record
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if f, e := got.Modalities(); f != 9 || e != 2 {
		t.Fatalf("decoded %d fingers and %d irises, want 9 and 2", f, e)
	}
	if got.Fingers[4] != nil || len(got.Fingers[0].Minutiae) != len(r.Fingers[0].Minutiae) || *got.Irises[1] != *r.Irises[1] {
		t.Fatal("decoded record differs")
	}
	b2, _ := got.MarshalBinary()
	if !bytes.Equal(b, b2) {
		t.Fatal("re-encoding differs")
	}
}

func TestRecordErrors(t *testing.T) {
	good, _ := record(1).MarshalBinary()
	tests := map[string][]byte{
		"empty":         nil,
		"magic":         append([]byte("XXXX"), good[4:]...),
		"version":       append(append([]byte("RKDR"), 9), good[5:]...),
		"truncated":     good[:len(good)-5],
		"unknown tag":   append(append([]byte{}, good[:5]...), 13, 0, 0),
		"huge length":   append(append([]byte{}, good[:5]...), 1, 0xFF, 0xFF, 1, 2),
		"finger twice":  append(append([]byte{}, good...), good[5:5+3+int(good[6])|int(good[7])<<8]...),
		"header cut":    append(append([]byte{}, good[:5]...), 1, 0),
		"bad template":  append(append([]byte{}, good[:5]...), 1, 2, 0, 0xAA, 0xBB),
		"oversized sum": make([]byte, index.MaxRecordSize+1),
	}
	for name, b := range tests {
		var r index.Record
		if err := r.UnmarshalBinary(b); !errors.Is(err, index.ErrRecord) {
			t.Errorf("%s: got %v, want ErrRecord", name, err)
		}
	}
}

func FuzzRecord(f *testing.F) {
	good, _ := record(2).MarshalBinary()
	f.Add(good)
	f.Add([]byte("RKDR\x01"))
	f.Add([]byte("RKDR\x01\x0b\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r index.Record
		if err := r.UnmarshalBinary(b); err != nil {
			return
		}
		if _, err := r.MarshalBinary(); err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
	})
}

func FuzzEntry(f *testing.F) {
	e, _ := index.NewEntry(record(2))
	good, _ := e.MarshalBinary()
	f.Add(good)
	f.Add([]byte("RKDE\x01\x01\x00\x00RKDR\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e index.Entry
		if err := e.UnmarshalBinary(b); err != nil {
			return
		}
		x := index.New()
		if err := x.AddEntry("a", &e); err != nil {
			t.Fatalf("a decoded entry is refused: %v", err)
		}
		x.Search(record(5), index.Options{ShortList: 1})
	})
}

func TestEntryRoundTripKeepsSearchResults(t *testing.T) {
	x, y := index.New(), index.New()
	for i := 0; i < 50; i++ {
		r := record(uint64(i))
		if err := x.Add(strconv.Itoa(i), r); err != nil {
			t.Fatal(err)
		}
		e, _ := index.NewEntry(r)
		b, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var d index.Entry
		if err := d.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		y.AddEntry(strconv.Itoa(i), &d)
	}
	p := perturbed(record(17), 1)
	a, b := x.Search(p, index.Options{}), y.Search(p, index.Options{})
	if len(a) != len(b) || a[0].ID != b[0].ID || a[0].Score != b[0].Score || a[0].Coarse != b[0].Coarse {
		t.Fatalf("search differs after an entry round trip: %+v vs %+v", a[0], b[0])
	}
}

func TestSearchFindsMateAndFusesModalities(t *testing.T) {
	x := index.New()
	const n = 400
	for i := 0; i < n; i++ {
		if err := x.Add(strconv.Itoa(i), record(uint64(i))); err != nil {
			t.Fatal(err)
		}
	}
	pol := index.DefaultPolicy
	dup, rev := pol.Thresholds(x.Len())
	tests := []struct {
		name   string
		probe  func(r *index.Record) *index.Record
		fusedK int
	}{
		{"all", func(r *index.Record) *index.Record { return r }, 12},
		{"fingers only", func(r *index.Record) *index.Record { r.Irises = [2]*iris.Template{}; return r }, 10},
		{"irises only", func(r *index.Record) *index.Record { r.Fingers = [10]*finger.Template{}; return r }, 2},
		{"two fingers", func(r *index.Record) *index.Record {
			r.Irises = [2]*iris.Template{}
			for f := 2; f < 10; f++ {
				r.Fingers[f] = nil
			}
			return r
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, mate := range []int{5, 123, 399} {
				p := tc.probe(perturbed(record(uint64(mate)), uint64(mate)))
				got := x.Search(p, index.Options{})
				if len(got) == 0 || got[0].ID != strconv.Itoa(mate) {
					t.Fatalf("mate %d not at rank 1: %+v", mate, got[:min(3, len(got))])
				}
				if got[0].Compared != tc.fusedK {
					t.Errorf("fused %d modalities, want %d", got[0].Compared, tc.fusedK)
				}
				if pol.Decide(got[0].Score, x.Len()) != index.Duplicate {
					t.Errorf("mate %d score %.1f below the duplicate threshold %.1f", mate, got[0].Score, dup)
				}
				if len(got) > 1 && got[1].Score >= rev {
					t.Errorf("stranger %s scores %.1f ≥ review threshold %.1f", got[1].ID, got[1].Score, rev)
				}
			}
		})
	}
	// A stranger is clear.
	got := x.Search(perturbed(record(10_000), 3), index.Options{})
	if pol.Decide(got[0].Score, x.Len()) != index.Clear {
		t.Fatalf("stranger decided %s (score %.1f)", pol.Decide(got[0].Score, x.Len()), got[0].Score)
	}
	// Removal and Exclude.
	p := perturbed(record(5), 5)
	if got := x.Search(p, index.Options{Exclude: "5"}); got[0].ID == "5" {
		t.Fatal("excluded id returned")
	}
	if !x.Remove("5") || x.Remove("5") || x.Len() != n-1 {
		t.Fatal("remove")
	}
	if got := x.Search(p, index.Options{}); got[0].ID == "5" {
		t.Fatal("removed id returned")
	}
}

func TestFuse(t *testing.T) {
	tests := []struct {
		scores []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{3}, 3},             // one modality keeps its scale
		{[]float64{0, 0, 0}, 0},       // nothing from nothing
		{[]float64{3, 0}, 2.10},       // Fisher: p = e^-x ·(1+x) with x = 3 ln 10
		{[]float64{30, 30}, 57.86},    // strong evidence adds up: 60 − log10(1+x)
		{[]float64{1, 1, 1, 1}, 1.74}, // four weak scores stay weak
	}
	for _, tc := range tests {
		if got := index.Fuse(tc.scores); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Fuse(%v) = %.3f, want %.2f", tc.scores, got, tc.want)
		}
	}
	// Monotone in every score and never above the plain sum.
	a := index.Fuse([]float64{2, 5, 1})
	if b := index.Fuse([]float64{2, 6, 1}); b <= a || b > 9 {
		t.Errorf("Fuse not monotone or above the sum: %.2f then %.2f", a, b)
	}
}

func TestPolicy(t *testing.T) {
	p := index.Policy{DuplicateFPIR: 1e-3, ReviewFPIR: 1e-1}
	dup, rev := p.Thresholds(100_000)
	if math.Abs(dup-8) > 1e-9 || math.Abs(rev-6) > 1e-9 {
		t.Fatalf("thresholds %.2f %.2f, want 8 and 6", dup, rev)
	}
	tests := map[float64]index.Decision{9: index.Duplicate, 8: index.Duplicate, 7: index.Review, 5.9: index.Clear}
	for s, want := range tests {
		if got := p.Decide(s, 100_000); got != want {
			t.Errorf("Decide(%v) = %s, want %s", s, got, want)
		}
	}
	for _, bad := range []index.Policy{{}, {DuplicateFPIR: 0.1, ReviewFPIR: 0.01}, {DuplicateFPIR: 1, ReviewFPIR: 1}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
