package signature

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/formats/sigrec"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// synth returns a synthetic signature: a loop and a flourish sampled at
// 100 Hz with varying pressure, scaled by k and slowed by slow.
func synth(k, slow float64, wobble float64) *Signature {
	sig := &Signature{YUp: true}
	n := int(150 * slow)
	for i := range n {
		u := float64(i) / float64(n-1) * 2 * math.Pi
		sig.Samples = append(sig.Samples, Sample{
			X:        k * (1000*u + 600*math.Sin(2*u) + wobble*math.Sin(7*u)),
			Y:        k * (800*math.Cos(3*u) + wobble*math.Cos(5*u)),
			T:        int64(10 * i),
			Pressure: 0.3 + 0.6*math.Abs(math.Sin(u)),
			PenDown:  i%50 != 49,
		})
	}
	return sig
}

func TestParseSVC(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		n       int
		tilt    bool
		wantErr string
	}{
		{"task2 CRLF", "2\r\n10 20 100 1 1550 710 512\r\n11 21 110 0 1500 700 0\r\n", 2, true, ""},
		{"task1 LF", "1\n5 6 7 1\n", 1, false, ""},
		{"empty", "", 0, false, "empty"},
		{"bad count", "x\n", 0, false, "bad point count"},
		{"negative count", "-3\n", 0, false, "bad point count"},
		{"huge count", "99999999\n1 2 3 1\n", 0, false, "bad point count"},
		{"short", "3\n1 2 3 1\n", 0, false, "3 points declared, 1 found"},
		{"columns", "1\n1 2 3\n", 0, false, "columns"},
		{"not a number", "1\n1 2 3 x\n", 0, false, "column 4"},
		{"trailing data", "1\n1 2 3 1\n4 5 6 1\n", 0, false, "after the 1 declared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := ParseSVC(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sig.Samples) != tt.n || sig.HasTilt != tt.tilt {
				t.Fatalf("got %d samples tilt=%v", len(sig.Samples), sig.HasTilt)
			}
		})
	}
	sig, _ := ParseSVC(strings.NewReader("1\r\n10 20 100 1 1550 710 1023\r\n"))
	if s := sig.Samples[0]; s.Pressure != 1 || s.Azimuth != 155 || s.Altitude != 71 || !s.PenDown || s.T != 100 {
		t.Fatalf("sample scaled wrongly: %+v", s)
	}
}

func FuzzParseSVC(f *testing.F) {
	f.Add([]byte("2\r\n10 20 100 1 1550 710 512\r\n11 21 110 0 1500 700 0\r\n"))
	f.Add([]byte("1\n5 6 7 1\n"))
	f.Add([]byte("9999999999999\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sig, err := ParseSVC(bytes.NewReader(b))
		if err == nil && sig == nil {
			t.Fatal("nil signature without error")
		}
	})
}

func TestCheck(t *testing.T) {
	good := synth(1, 1, 0)
	flat := synth(1, 1, 0)
	for i := range flat.Samples {
		flat.Samples[i].Pressure = 0.5
	}
	short := &Signature{Samples: good.Samples[:10]}
	up := synth(1, 1, 0)
	for i := range up.Samples {
		up.Samples[i].PenDown = i%5 == 0
	}
	tests := []struct {
		name string
		sig  *Signature
		want []string
	}{
		{"good", good, nil},
		{"flat pressure", flat, []string{"flat_pressure"}},
		{"short", short, []string{"too_few_samples", "too_fast"}},
		{"pen up", up, []string{"pen_up"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Check(tt.sig, DefaultLimits) {
				if p.ID == "" || p.EN == "" {
					t.Errorf("%s lacks a message", p.Code)
				}
				got = append(got, p.Code)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("problems %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := Signed(flat, DefaultLimits); err == nil || !strings.Contains(err.Error(), "flat_pressure") {
		t.Fatalf("Signed(flat) err = %v", err)
	}
	if r, err := Signed(good, DefaultLimits); err != nil || r.Signature != good || r.Unable != nil {
		t.Fatalf("Signed(good) = %+v, %v", r, err)
	}
}

func TestCannotSign(t *testing.T) {
	tests := []struct {
		reason Reason
		note   string
		ok     bool
	}{
		{ReasonIlliterate, "", true},
		{ReasonDisability, "right arm in cast", true},
		{ReasonOther, "", false},
		{ReasonOther, "tremor", true},
		{"tired", "", false},
	}
	for _, tt := range tests {
		r, err := CannotSign(tt.reason, tt.note)
		if (err == nil) != tt.ok {
			t.Fatalf("CannotSign(%q,%q) err = %v", tt.reason, tt.note, err)
		}
		if tt.ok && (r.Unable == nil || r.Unable.Reason != tt.reason || r.Unable.Note != tt.note || r.Signature != nil) {
			t.Fatalf("record %+v does not say why", r)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	img, err := Render(synth(1, 1, 0), CardRender)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != CardRender.Width || img.Bounds().Dy() != CardRender.Height {
		t.Fatalf("size %v", img.Bounds())
	}
	// anti-aliasing: some pixels are neither paper nor full ink
	grey, black := 0, 0
	for _, p := range img.Pix {
		switch {
		case p == 0:
			black++
		case p < 255:
			grey++
		}
	}
	if black == 0 || grey == 0 {
		t.Fatalf("black %d grey %d: want solid ink with anti-aliased edges", black, grey)
	}
	golden(t, "render_synth.png", img)

	if _, err := Render(&Signature{Samples: []Sample{{X: 1}}}, CardRender); err == nil {
		t.Fatal("rendered a signature without pen-down samples")
	}
	if _, err := Render(synth(1, 1, 0), RenderOptions{Width: 10, Height: 10, Margin: 6, MinStroke: 1, MaxStroke: 2}); err == nil {
		t.Fatal("accepted a size smaller than the margins")
	}
}

func TestRenderPressureWidth(t *testing.T) {
	line := func(p float64) int {
		sig := &Signature{}
		for i := range 50 {
			sig.Samples = append(sig.Samples, Sample{X: float64(i), Y: 25 + float64(i%2)*0.01, T: int64(i * 10), Pressure: p, PenDown: true})
		}
		img, err := Render(sig, CardRender)
		if err != nil {
			t.Fatal(err)
		}
		ink := 0
		for _, v := range img.Pix {
			ink += 255 - int(v)
		}
		return ink
	}
	if light, heavy := line(0.1), line(1); heavy <= light {
		t.Fatalf("ink at full pressure %d not above light pressure %d", heavy, light)
	}
}

func golden(t *testing.T, name string, img image.Image) {
	t.Helper()
	p := filepath.Join("testdata", name)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update)", p, err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Fatalf("rendering differs from %s (inspect, then run with -update)", p)
	}
}

func TestVerifySynthetic(t *testing.T) {
	refs := []*Signature{synth(1, 1, 20), synth(1.02, 1.02, 35), synth(0.98, 0.98, 10), synth(1, 1.04, 25), synth(1.01, 0.99, 30)}
	tpl, err := Enroll(refs)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := Verify(tpl, synth(1, 1.01, 15), DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	// a forger copies the shape but slowly, with a different pressure rhythm
	forged := synth(1, 1.8, 120)
	for i := range forged.Samples {
		forged.Samples[i].Pressure = 0.5 + 0.4*math.Sin(float64(i)/3)
	}
	fr, err := Verify(tpl, forged, DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	if !gen.Match || fr.Match || gen.Score >= fr.Score {
		t.Fatalf("genuine %+v, forgery %+v", gen, fr)
	}
	if _, err := Enroll(refs[:1]); err == nil {
		t.Fatal("enrolled from one reference")
	}
	if _, err := Enroll([]*Signature{refs[0], refs[0]}); err == nil || !errors.Is(err, err) {
		t.Fatal("enrolled from identical references")
	}
}

// TestVerifySVC checks genuine versus forgery ranking on a few real users;
// the full protocol runs in `rekamctl eval signature`.
func TestVerifySVC(t *testing.T) {
	dir := shareddata.Require(t, "svc2004-task2")
	load := func(u, s int) *Signature {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("U%dS%d.TXT", u, s)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sig, err := ParseSVC(f)
		if err != nil {
			t.Fatal(err)
		}
		if p := Check(sig, DefaultLimits); len(p) > 0 {
			t.Fatalf("U%dS%d rejected: %v", u, s, p)
		}
		return sig
	}
	for _, u := range []int{1, 2, 3} {
		var refs []*Signature
		for s := 1; s <= 5; s++ {
			refs = append(refs, load(u, s))
		}
		tpl, err := Enroll(refs)
		if err != nil {
			t.Fatal(err)
		}
		var g, f float64
		for s := 6; s <= 10; s++ {
			v, _ := tpl.Score(load(u, s))
			g += v / 5
		}
		for s := 21; s <= 25; s++ {
			v, _ := tpl.Score(load(u, s))
			f += v / 5
		}
		if g >= f {
			t.Errorf("user %d: mean genuine score %.3f not below mean forgery score %.3f", u, g, f)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	refs := []*Signature{synth(1, 1, 20), synth(1.02, 1.02, 35), synth(0.98, 0.98, 10), synth(1, 1.04, 25), synth(1.01, 0.99, 30)}
	tpl, err := Enroll(refs)
	if err != nil {
		b.Fatal(err)
	}
	q := synth(1, 1.01, 15)
	for b.Loop() {
		if _, err := tpl.Score(q); err != nil {
			b.Fatal(err)
		}
	}
}

func TestISORoundTrip(t *testing.T) {
	sig := synth(1, 1, 0)
	sig.HasTilt = true
	sig.UnitsPerMM = 40
	for i := range sig.Samples {
		sig.Samples[i].T += 31275775
		sig.Samples[i].X = math.Round(sig.Samples[i].X)
		sig.Samples[i].Y = math.Round(sig.Samples[i].Y)
		sig.Samples[i].Azimuth, sig.Samples[i].Altitude = 155, 71.5
	}
	rec, err := ToISO(sig)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sigrec.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromISO(back)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Samples) != len(sig.Samples) || !got.HasTilt || got.UnitsPerMM != 40 {
		t.Fatalf("got %d samples tilt=%v scale=%v", len(got.Samples), got.HasTilt, got.UnitsPerMM)
	}
	for i, s := range got.Samples {
		w := sig.Samples[i]
		if s.X != w.X || s.Y != w.Y || s.T != w.T-sig.Samples[0].T || s.PenDown != w.PenDown ||
			math.Abs(s.Pressure-w.Pressure) > 1e-4 || s.Azimuth != 155 || s.Altitude != 71.5 {
			t.Fatalf("sample %d: got %+v, want %+v", i, s, w)
		}
	}
	if _, err := FromISO(&sigrec.Record{Channels: []sigrec.ChannelDescription{{Channel: sigrec.Time}}}); err == nil {
		t.Fatal("accepted a record without X/Y")
	}
	long := &Signature{Samples: []Sample{{T: 0, PenDown: true}, {T: 70000, PenDown: true}}}
	if _, err := ToISO(long); err == nil {
		t.Fatal("exported 70 s into a 16-bit millisecond channel")
	}
}

func TestUnwrapDegrees(t *testing.T) {
	tests := []struct {
		name     string
		in, want []float64
	}{
		{"steady", []float64{10, 20, 30}, []float64{10, 20, 30}},
		{"crosses north upwards", []float64{350, 355, 5, 10}, []float64{350, 355, 365, 370}},
		{"crosses north downwards", []float64{5, 1, 358, 350}, []float64{5, 1, -2, -10}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapDegrees(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-9 {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// withTilt returns a copy of sig with a pen tilt that follows the stroke.
func withTilt(sig *Signature, phase float64) *Signature {
	out := *sig
	out.Samples = append([]Sample(nil), sig.Samples...)
	out.HasTilt = true
	for i := range out.Samples {
		u := float64(i)/float64(len(out.Samples))*2*math.Pi + phase
		out.Samples[i].Altitude = 50 + 10*math.Sin(u)
		out.Samples[i].Azimuth = math.Mod(355+20*math.Cos(2*u), 360) // crosses north
	}
	return &out
}

// TestScoreTiltStreams checks that the tilt stream takes part only when the
// references and the query both carry tilt, and that a tilt rhythm unlike
// the references' raises the score.
func TestScoreTiltStreams(t *testing.T) {
	base := []*Signature{synth(1, 1, 20), synth(1.02, 1.02, 35), synth(0.98, 0.98, 10), synth(1, 1.04, 25), synth(1.01, 0.99, 30)}
	var tilted []*Signature
	for i, r := range base {
		tilted = append(tilted, withTilt(r, 0.02*float64(i)))
	}
	q := synth(1, 1.01, 15)
	tests := []struct {
		name     string
		refs     []*Signature
		query    *Signature
		wantTilt bool
	}{
		{"no tilt anywhere", base, q, false},
		{"tilted references, plain query", tilted, q, false},
		{"tilt on both", tilted, withTilt(q, 0.01), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Enroll(tt.refs)
			if err != nil {
				t.Fatal(err)
			}
			for k, st := range streams {
				if st.tilt && tpl.parts[k].used != tt.refs[0].HasTilt {
					t.Fatalf("tilt stream used=%v for references with tilt=%v", tpl.parts[k].used, tt.refs[0].HasTilt)
				}
			}
			r, err := Verify(tpl, tt.query, DefaultThreshold)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Match || math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
				t.Fatalf("genuine rejected: %+v", r)
			}
			if !tt.wantTilt {
				return
			}
			// same shape, tilt moving in the opposite rhythm
			odd := withTilt(tt.query, math.Pi)
			ro, err := Verify(tpl, odd, DefaultThreshold)
			if err != nil {
				t.Fatal(err)
			}
			if ro.Score <= r.Score {
				t.Fatalf("opposite tilt scored %.3f, matching tilt %.3f", ro.Score, r.Score)
			}
		})
	}
}
