package signature

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestSignatureDeterministic(t *testing.T) {
	for _, id := range []uint64{0, 7, 1 << 50} {
		if !reflect.DeepEqual(Genuine(id, 3), Genuine(id, 3)) {
			t.Errorf("id %d: two calls differ", id)
		}
		if !reflect.DeepEqual(Forgery(id, 9, 1), Forgery(id, 9, 1)) {
			t.Errorf("id %d: two forgeries differ", id)
		}
		if reflect.DeepEqual(Genuine(id, 3), Genuine(id, 4)) {
			t.Errorf("id %d: impressions 3 and 4 identical", id)
		}
	}
}

func TestSignatureSamplesAreWellFormed(t *testing.T) {
	for id := uint64(0); id < 20; id++ {
		for _, s := range [][]PenSample{Genuine(id, 0), Forgery(id, id+1, 0)} {
			if len(s) < 100 {
				t.Fatalf("id %d: only %d samples", id, len(s))
			}
			down := 0
			for i, p := range s {
				if want := time.Duration(i) * time.Second / Rate; p.T != want {
					t.Fatalf("id %d sample %d: T %v, want %v", id, i, p.T, want)
				}
				if p.X < 0 || p.Y < 0 || p.X > PadWidthMM || p.Y > PadHeightMM {
					t.Fatalf("id %d sample %d off the pad: %+v", id, i, p)
				}
				if p.PenDown != (p.Pressure > 0) || p.Pressure > 1 {
					t.Fatalf("id %d sample %d: pressure %v with pen down %v", id, i, p.Pressure, p.PenDown)
				}
				if p.PenDown {
					down++
				}
			}
			if down < len(s)/2 {
				t.Errorf("id %d: pen down in only %d of %d samples", id, down, len(s))
			}
		}
	}
}

// sigFeatures are simple global features of a signature: duration (s),
// pen-down path length (mm), bounding box (mm), mean pressure, pen lifts.
func sigFeatures(s []PenSample) []float64 {
	var length, press, n float64
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	lifts := 0.0
	for i, p := range s {
		if !p.PenDown {
			if i > 0 && s[i-1].PenDown {
				lifts++
			}
			continue
		}
		if i > 0 && s[i-1].PenDown {
			length += math.Hypot(p.X-s[i-1].X, p.Y-s[i-1].Y)
		}
		press += p.Pressure
		n++
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	return []float64{s[len(s)-1].T.Seconds(), length / 20, (maxX - minX) / 10, (maxY - minY) / 5, 4 * press / n, lifts}
}

// resampleDown returns the pen-down trajectory resampled to n points
// evenly spaced in arc length.
func resampleDown(s []PenSample, n int) [][2]float64 {
	var pts [][2]float64
	var cum []float64
	total := 0.0
	for i, p := range s {
		if !p.PenDown {
			continue
		}
		if len(pts) > 0 && i > 0 && s[i-1].PenDown {
			total += math.Hypot(p.X-pts[len(pts)-1][0], p.Y-pts[len(pts)-1][1])
		}
		pts = append(pts, [2]float64{p.X, p.Y})
		cum = append(cum, total)
	}
	out := make([][2]float64, n)
	j := 0
	for k := range out {
		d := total * float64(k) / float64(n-1)
		for j < len(cum)-1 && cum[j+1] < d {
			j++
		}
		out[k] = pts[j]
	}
	return out
}

// shapeDistance is the mean distance (mm) between two signatures resampled
// by arc length, after removing each one's centroid.
func shapeDistance(a, b []PenSample) float64 {
	ra, rb := resampleDown(a, 128), resampleDown(b, 128)
	var ca, cb [2]float64
	for k := range ra {
		ca[0] += ra[k][0] / 128
		ca[1] += ra[k][1] / 128
		cb[0] += rb[k][0] / 128
		cb[1] += rb[k][1] / 128
	}
	var d float64
	for k := range ra {
		d += math.Hypot(ra[k][0]-ca[0]-rb[k][0]+cb[0], ra[k][1]-ca[1]-rb[k][1]+cb[1])
	}
	return d / 128
}

func TestSignaturePerWriterConsistency(t *testing.T) {
	const writers, reps = 8, 5
	sigs := make([][][]PenSample, writers)
	for w := range sigs {
		for i := 0; i < reps; i++ {
			sigs[w] = append(sigs[w], Genuine(uint64(100+w), i))
		}
	}
	// Leave-one-out nearest neighbour on global features and on shape.
	featHits, shapeHits := 0, 0
	for w := range sigs {
		for i := range sigs[w] {
			f := sigFeatures(sigs[w][i])
			bestF, bestS := math.Inf(1), math.Inf(1)
			whoF, whoS := -1, -1
			for v := range sigs {
				for j := range sigs[v] {
					if v == w && j == i {
						continue
					}
					g := sigFeatures(sigs[v][j])
					var d float64
					for k := range f {
						d += (f[k] - g[k]) * (f[k] - g[k])
					}
					if d < bestF {
						bestF, whoF = d, v
					}
					if s := shapeDistance(sigs[w][i], sigs[v][j]); s < bestS {
						bestS, whoS = s, v
					}
				}
			}
			if whoF == w {
				featHits++
			}
			if whoS == w {
				shapeHits++
			}
		}
	}
	t.Logf("feat %d shape %d", featHits, shapeHits)
	if featHits < writers*reps*8/10 || shapeHits < writers*reps*9/10 {
		t.Errorf("nearest-neighbour writer identification: features %d/%d, shape %d/%d", featHits, writers*reps, shapeHits, writers*reps)
	}
}

func TestForgeriesAreSlowerAndLessFaithful(t *testing.T) {
	slower, further := 0, 0
	const n = 10
	for id := uint64(0); id < n; id++ {
		ref := Genuine(id, 0)
		gen := Genuine(id, 1)
		forg := Forgery(id, id+500, 0)
		if forg[len(forg)-1].T > gen[len(gen)-1].T {
			slower++
		}
		if shapeDistance(ref, forg) > shapeDistance(ref, gen) {
			further++
		}
	}
	t.Logf("slower %d further %d", slower, further)
	if slower < n || further < n*7/10 {
		t.Errorf("forgeries slower in %d/%d, further in shape in %d/%d", slower, n, further, n)
	}
}

func TestPadUnits(t *testing.T) {
	tests := []struct {
		s            PenSample
		upm          float64
		maxP         int
		wantX, wantY int
		wantPressure int
	}{
		{PenSample{X: 12.345, Y: 6.789, Pressure: 0.5}, 100, 1023, 1235, 679, 512},
		{PenSample{X: 0, Y: 50, Pressure: 1}, 100, 1023, 0, 5000, 1023},
		{PenSample{X: 1, Y: 1}, 25.4, 255, 25, 25, 0},
	}
	for _, tt := range tests {
		x, y, p := tt.s.PadUnits(tt.upm, tt.maxP)
		if x != tt.wantX || y != tt.wantY || p != tt.wantPressure {
			t.Errorf("%+v → %d,%d,%d; want %d,%d,%d", tt.s, x, y, p, tt.wantX, tt.wantY, tt.wantPressure)
		}
	}
}

func BenchmarkSignature(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Genuine(uint64(i), i)
	}
}

func TestSignatureFitsThePad(t *testing.T) {
	for id := uint64(0); id < 200; id++ {
		edge := 0
		for _, p := range Genuine(id, 0) {
			if p.PenDown && (p.X <= 0.5 || p.X >= PadWidthMM-0.5 || p.Y <= 0.5 || p.Y >= PadHeightMM-0.5) {
				edge++
			}
		}
		if edge > 0 {
			t.Errorf("writer %d: %d pen-down samples on the pad's edge (clipped)", id, edge)
		}
	}
}
