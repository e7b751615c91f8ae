package index

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rekam-ktp/rekam/biometric/finger"
)

// randomFinger is a template of n minutiae spread over a 300×400 print at
// least 12 pixels apart.
func randomFinger(seed uint64, n int) *finger.Template {
	r := rand.New(rand.NewPCG(seed, 11))
	t := &finger.Template{Width: 300, Height: 400, Quality: 80}
	for len(t.Minutiae) < n {
		m := finger.Minutia{X: 30 + r.IntN(240), Y: 30 + r.IntN(340), Angle: r.Float64() * 2 * math.Pi, Type: finger.Ending, Quality: 60}
		if !slices.ContainsFunc(t.Minutiae, func(o finger.Minutia) bool {
			return math.Hypot(float64(o.X-m.X), float64(o.Y-m.Y)) < 12
		}) {
			t.Minutiae = append(t.Minutiae, m)
		}
	}
	return t
}

// moved is t rotated by a about the print's centre and shifted, with
// position noise of sd pixels and angle noise of sd/40 radians, the first
// drop minutiae lost.
func moved(t *finger.Template, a, dx, dy, sd float64, drop int, seed uint64) *finger.Template {
	r := rand.New(rand.NewPCG(seed, 13))
	out := &finger.Template{Width: 600, Height: 600, Quality: t.Quality}
	for _, m := range t.Minutiae[drop:] {
		x, y := float64(m.X)-150, float64(m.Y)-200
		// Template angles are y-up, image rows y-down: a counter-clockwise
		// turn by a in the template's sense.
		nx := math.Cos(a)*x + math.Sin(a)*y + 300 + dx + r.NormFloat64()*sd
		ny := -math.Sin(a)*x + math.Cos(a)*y + 300 + dy + r.NormFloat64()*sd
		out.Minutiae = append(out.Minutiae, finger.Minutia{
			X: int(math.Round(nx)), Y: int(math.Round(ny)),
			Angle: wrapTurn(m.Angle + a + r.NormFloat64()*sd/40), Type: m.Type, Quality: m.Quality,
		})
	}
	return out
}

func TestFingerKeysInvariantToRotationAndTranslation(t *testing.T) {
	g := randomFinger(1, 40)
	keys := fingerKeys(g)
	if len(keys) < 40 || len(keys) > maxFingerKeys || !slices.IsSorted(keys) {
		t.Fatalf("%d keys (sorted %v)", len(keys), slices.IsSorted(keys))
	}
	if !slices.Equal(keys, fingerKeys(g)) {
		t.Fatal("keys not deterministic")
	}
	tests := []struct {
		name         string
		a, dx, dy    float64
		sd           float64
		drop         int
		minHitFrac   float64
		maxHitFrac   float64
		strangerSeed uint64
	}{
		{"identity", 0, 0, 0, 0, 0, 1, 1, 0},
		{"turned and shifted", 0.7, 40, -25, 0, 0, 0.95, 1, 0},
		{"upside down", math.Pi, 0, 0, 0, 0, 0.95, 1, 0},
		{"noisy, a fifth lost", -0.4, 10, 30, 2, 8, 0.55, 1, 0},
		{"a stranger", 0, 0, 0, 0, 0, 0, 0.5, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := g
			if tc.strangerSeed != 0 {
				src = randomFinger(tc.strangerSeed, 40)
			}
			p := newFingerProbe(moved(src, tc.a, tc.dx, tc.dy, tc.sd, tc.drop, 5))
			frac := float64(p.hits(keys)) / float64(len(keys))
			t.Logf("%.2f of the gallery keys hit (probe density %.3f)", frac, p.density())
			if frac < tc.minHitFrac || frac > tc.maxHitFrac {
				t.Errorf("%.2f of the gallery keys hit, want %.2f–%.2f (probe density %.3f)", frac, tc.minHitFrac, tc.maxHitFrac, p.density())
			}
		})
	}
}

func TestFingerScore(t *testing.T) {
	tests := []struct {
		hits, keys int
		chance     float64
		want       float64
	}{
		{0, 0, 0.2, 0},       // an absent finger
		{20, 100, 0.2, 0},    // exactly chance
		{60, 100, 0.2, 10},   // (60−20)/√(0.16·100)
		{10, 100, 0.2, -2.5}, // below chance
		{5, 5, 0, 2236.0680}, // chance never seen: bounded, not infinite
	}
	for _, tc := range tests {
		if got := float64(fingerScore(tc.hits, tc.keys, tc.chance)); math.Abs(got-tc.want) > 1e-3*max(1, math.Abs(tc.want)) {
			t.Errorf("fingerScore(%d, %d, %v) = %.4f, want %.4f", tc.hits, tc.keys, tc.chance, got, tc.want)
		}
	}
}

func TestKeyArenaReplaceRemoveCompact(t *testing.T) {
	var a keyArena
	const slots = 300
	want := make([][]uint16, slots)
	for i := 0; i < slots; i++ {
		a.grow()
		want[i] = []uint16{uint16(i), uint16(i + 1), uint16(i + 2)}
		a.set(i, want[i])
	}
	// Replace every slot many times: the dead keys are compacted away.
	for round := 0; round < 200; round++ {
		for i := 0; i < slots; i++ {
			k := make([]uint16, 1+(i+round)%maxFingerKeys)
			for j := range k {
				k[j] = uint16(round + j)
			}
			if i%7 == 0 {
				k = nil // removed
			}
			want[i] = k
			a.set(i, k)
		}
	}
	live := 0
	for i := range want {
		if !slices.Equal(a.get(i), want[i]) {
			t.Fatalf("slot %d holds %v, want %v", i, a.get(i), want[i])
		}
		live += len(want[i])
	}
	if a.total > 2*live+1<<16 || a.total-a.dead != live {
		t.Fatalf("arena holds %d keys (%d dead) for %d live ones", a.total, a.dead, live)
	}
}

// TestEntryVersion1CodesRecomputed reads an entry stored with the first
// code version (a 640-bit set per finger): its keys are recomputed.
func TestEntryVersion1CodesRecomputed(t *testing.T) {
	r := &Record{}
	r.Fingers[0], r.Fingers[3] = randomFinger(1, 30), randomFinger(2, 35)
	rec, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte(entryMagic), entryVersion, 1, 0, 0)
	binary.LittleEndian.PutUint16(v1[6:], 1|1<<3)
	v1 = append(v1, make([]byte, 2*codeV1Bytes)...)
	v1 = append(v1, rec...)
	var e Entry
	if err := e.UnmarshalBinary(v1); err != nil {
		t.Fatal(err)
	}
	// The keys of the stored form (angles in 1/256 turns).
	var d Record
	if err := d.UnmarshalBinary(rec); err != nil {
		t.Fatal(err)
	}
	for p, want := range [][]uint16{0: fingerKeys(d.Fingers[0]), 3: fingerKeys(d.Fingers[3]), 9: nil} {
		if !slices.Equal(e.keys[p], want) {
			t.Errorf("finger %d: %d keys, want %d", p+1, len(e.keys[p]), len(want))
		}
	}
	v9 := append([]byte{}, v1...)
	v9[5] = 9
	if err := e.UnmarshalBinary(v9); err == nil {
		t.Error("an unknown code version was accepted")
	}
}
