package finger

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// syntheticPair returns a random minutiae set and a second impression of
// it: rotated, shifted, jittered, with a fifth of the minutiae lost and as
// many spurious ones added.
func syntheticPair(rng *rand.Rand, n int) (a, b *Template) {
	a = &Template{Width: 400, Height: 500}
	for i := 0; i < n; i++ {
		a.Minutiae = append(a.Minutiae, Minutia{
			X: 20 + rng.IntN(300), Y: 20 + rng.IntN(400), Angle: rng.Float64() * 2 * math.Pi,
			Type: MinutiaType(1 + rng.IntN(2)), Quality: 60,
		})
	}
	b = &Template{Width: 800, Height: 900}
	rot := (rng.Float64() - 0.5) * 1.2
	c, s := math.Cos(rot), math.Sin(rot)
	for _, m := range a.Minutiae {
		if rng.IntN(5) == 0 {
			continue
		}
		x := float64(m.X-170) + float64(rng.IntN(7)-3)
		y := float64(m.Y-220) + float64(rng.IntN(7)-3)
		b.Minutiae = append(b.Minutiae, Minutia{
			X: int(c*x+s*y) + 400, Y: int(-s*x+c*y) + 450,
			Angle: normAngle(m.Angle + rot + (rng.Float64()-0.5)*0.15), Type: m.Type, Quality: 60,
		})
	}
	for i := 0; i < n/5; i++ {
		b.Minutiae = append(b.Minutiae, Minutia{
			X: 230 + rng.IntN(340), Y: 230 + rng.IntN(440), Angle: rng.Float64() * 2 * math.Pi, Type: Ending, Quality: 60,
		})
	}
	return a, b
}

// TestEdgeLookupMatchesBruteForce checks the hashed edge lookup, with each
// mutual gallery edge looked up once for both directions, against comparing
// every directed gallery edge with every probe edge.
func TestEdgeLookupMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	less := func(x, y epair) int {
		return cmp.Compare(x, y)
	}
	for _, n := range []int{12, 35, 70} {
		a, b := syntheticPair(rng, n)
		_, other := syntheticPair(rng, n)
		for name, g := range map[string]*Template{"mate": b, "other": other} {
			pr := NewProbe(a)
			pr.scratch = new(scratch) // kept after the comparison, to read its pairs
			gp := Prepare(g)
			pr.rawScore(gp)
			var got []epair
			for _, ep := range pr.pairs {
				got = append(got, makeEpair(uint8(ep), uint8(ep>>8), uint8(ep>>16), uint8(ep>>24), 1))
				if ep.weight() == 2 {
					got = append(got, makeEpair(uint8(ep>>16), uint8(ep>>24), uint8(ep), uint8(ep>>8), 1))
				}
			}
			var want []epair
			gm := gp.m
			for ga := range gm {
				for c := 0; c < int(gm[ga].nn); c++ {
					gb := int(gm[ga].nb[c])
					ge := makeEdge(gm, ga, gb)
					if ge.d >= maxEdge {
						continue
					}
					for _, pe := range pr.edges {
						pd := int(min(255, pe.d))
						tol16 := int(uint16(distTol(pe.d) * 16))
						dd := pd - int(ge.d)
						if absDiff8(pe.a1, ge.a1) <= angTol && absDiff8(pe.a2, ge.a2) <= angTol && dd*16 <= tol16 && -dd*16 <= tol16 {
							want = append(want, makeEpair(pe.i, uint8(ga), pe.j, uint8(gb), 1))
						}
					}
				}
			}
			slices.SortFunc(got, less)
			slices.SortFunc(want, less)
			if !slices.Equal(got, want) {
				t.Errorf("n=%d %s: %d edge pairs from the hash, %d by brute force", n, name, len(got), len(want))
			}
			if name == "mate" && len(want) < n {
				t.Errorf("n=%d: only %d edge pairs between mates", n, len(want))
			}
		}
	}
}

// TestConsolidateWindowMatchesFullScan checks that scanning only the
// gallery minutiae within overlapRadius in y gives the pairing and the
// weighted overlaps of scanning them all.
func TestConsolidateWindowMatchesFullScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{10, 40, 90} {
		a, b := syntheticPair(rng, n)
		pr := NewProbe(a)
		pr.scratch = new(scratch) // kept after the comparison, to read its pairing
		g := Prepare(b)
		if pr.rawScore(g) == 0 {
			t.Fatalf("n=%d: mates do not match", n)
		}
		pairOfP := slices.Clone(pr.bestPP[:len(pr.p.m)])
		m, op, og := pr.consolidate(g, pairOfP)
		owner := slices.Clone(pr.pairOfG[:len(g.m)])
		wm, wop, wog, wowner := consolidateFullScan(pr, g, pairOfP)
		if m != wm || op != wop || og != wog {
			t.Errorf("n=%d: window scan (%d, %d, %d), full scan (%d, %d, %d)", n, m, op, og, wm, wop, wog)
		}
		for q, p := range wowner {
			if int(owner[q]) != p {
				t.Errorf("n=%d: gallery minutia %d paired with %d by the window scan, %d by the full scan", n, q, owner[q], p)
			}
		}
	}
}

// consolidateFullScan is consolidate comparing every probe minutia with
// every gallery minutia (the reference for the windowed scan); it also
// returns the probe minutia paired with each gallery minutia, or −1.
func consolidateFullScan(pr *Probe, g *Prepared, pairOfP []int16) (paired, overP, overG int, owner []int) {
	pm, gm := pr.p.m, g.m
	rotByte, ok := pr.align(g, pairOfP)
	if !ok {
		return 0, int(pr.p.qsum), int(g.qsum), nil
	}
	tx, ty := pr.tx[:len(pm)], pr.ty[:len(pm)]
	// Gallery minutia q taken by a pairing, or -1.
	owner = make([]int, len(gm))
	for q := range owner {
		owner[q] = -1
	}
	for p, q := range pairOfP {
		if q >= 0 {
			owner[q] = p
			paired++
		}
	}
	dist := func(p, q int) float32 {
		dx, dy := tx[p]-float32(gm[q].x), ty[p]-float32(gm[q].y)
		return dx*dx + dy*dy
	}
	for q := range gm {
		for p := range pm {
			if dist(p, q) <= overlapRadius*overlapRadius {
				overG += int(g.q[q] & weightMask)
				break
			}
		}
	}
	for p := range pm {
		var cands []int
		near := false
		for q := range gm {
			near = near || dist(p, q) <= overlapRadius*overlapRadius
			if owner[q] < 0 && dist(p, q) <= globalPairRadius*globalPairRadius && absDiff8(gm[q].a-pm[p].a, rotByte) <= globalAngTol {
				cands = append(cands, q)
			}
		}
		if near {
			overP += int(pr.p.q[p] & weightMask)
		}
		if pairOfP[p] >= 0 || len(cands) == 0 {
			continue
		}
		// The nearest; of equally near ones the highest index.
		q := slices.MinFunc(cands, func(x, y int) int { return cmp.Or(cmp.Compare(dist(p, x), dist(p, y)), cmp.Compare(y, x)) })
		owner[q] = p
		paired++
	}
	return paired, overP, overG, owner
}

// TestNearestNeighboursMatchesSort checks the bounded insertion that picks
// each minutia's neighbours against sorting all candidates by distance,
// ties by index, including prints with repeated distances, and that
// minutiae weighing less than minNeighbourWeight are nobody's neighbour
// (the grid is crowded, so its weights fall below it).
func TestNearestNeighboursMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	grid := &Template{}
	for i := 0; i < 49; i++ {
		grid.Minutiae = append(grid.Minutiae, Minutia{X: 10 + 20*(i%7), Y: 10 + 20*(i/7), Type: Ending})
	}
	a, _ := syntheticPair(rng, 60)
	few, _ := syntheticPair(rng, 5)
	for name, tp := range map[string]*Template{"grid": grid, "random": a, "few": few} {
		p := Prepare(tp)
		light := 0
		for _, q := range p.q {
			if q&weightMask < minNeighbourWeight {
				light++
			}
		}
		if name == "grid" && (light == 0 || light == len(p.q)) {
			t.Fatalf("grid: %d of %d minutiae below minNeighbourWeight, want some", light, len(p.q))
		}
		for i := range p.m {
			type cand struct{ d, j int }
			var cs []cand
			for j := range p.m {
				if p.q[j]&weightMask < minNeighbourWeight {
					continue
				}
				dx, dy := int(p.m[j].x-p.m[i].x), int(p.m[j].y-p.m[i].y)
				if d := dx*dx + dy*dy; j != i && d >= minEdge*minEdge && d <= maxEdge*maxEdge {
					cs = append(cs, cand{d, j})
				}
			}
			slices.SortFunc(cs, func(x, y cand) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.j, y.j)) })
			cs = cs[:min(len(cs), neighbourK)]
			if int(p.m[i].nn) != len(cs) {
				t.Fatalf("%s minutia %d: %d neighbours, want %d", name, i, p.m[i].nn, len(cs))
			}
			for _, c := range cs {
				if !p.m[i].has(uint8(c.j)) {
					t.Fatalf("%s minutia %d: neighbour %d missing", name, i, c.j)
				}
			}
		}
	}
}

// TestPairEvidence checks how the final pairing is weighed: a pair counts
// by how closely it lands, with a tolerance growing away from the
// pairing's centre, times its minutiae's weights, less when their types
// differ.
func TestPairEvidence(t *testing.T) {
	// Gallery minutiae on a line through the centre (0, 0); the probe's
	// aligned positions are set directly.
	g := &Prepared{m: []pmin{{x: -100}, {x: 0}, {x: 100}}, q: []uint8{100, 100, 100}}
	tol0 := float64(residualTol0)
	tolFar := residualTol0 + residualTolRel*100
	tests := []struct {
		name string
		dx   [3]float32 // probe offset from its gallery mate along y
		q    [3]uint8   // probe weights
		want float64
	}{
		{"exact", [3]float32{0, 0, 0}, [3]uint8{100, 100, 100}, 3},
		{"half weight", [3]float32{0, 0, 0}, [3]uint8{25, 25, 25}, 1.5},
		{"centre off by 8", [3]float32{0, 8, 0}, [3]uint8{100, 100, 100}, 2 + 1 - 8/tol0},
		{"far pair off by 8", [3]float32{8, 0, 0}, [3]uint8{100, 100, 100}, 2 + 1 - 8/tolFar},
		{"centre beyond tolerance", [3]float32{0, residualTol0, 0}, [3]uint8{100, 100, 100}, 2},
		{"one type differs", [3]float32{0, 0, 0}, [3]uint8{100, 100 | bifurcationBit, 100}, 2 + typeMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := &Probe{p: &Prepared{m: make([]pmin, 3), q: tt.q[:]}, scratch: &scratch{
				pairOfG: []int16{0, 1, 2},
				tx:      []float32{-100, 0, 100},
				ty:      tt.dx[:],
			}}
			if got := pr.pairEvidence(g); math.Abs(got-tt.want) > 1e-5 {
				t.Errorf("evidence %.5f, want %.5f", got, tt.want)
			}
		})
	}
}

// TestLowQualitySpuriousMinutiaeDiluteLess checks the quality weighting: a
// mate's spurious minutiae cost it less score when they are of low quality
// than when they look as good as the real ones.
func TestLowQualitySpuriousMinutiaeDiluteLess(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 17))
		a, b := syntheticPair(rng, 40)
		// syntheticPair appends its spurious minutiae last.
		spurious := len(b.Minutiae) - 40/5
		clean, poor := *b, *b
		poor.Minutiae = slices.Clone(b.Minutiae)
		for i := spurious; i < len(poor.Minutiae); i++ {
			poor.Minutiae[i].Quality = 10
		}
		if sc, sp := Verify(a, &clean), Verify(a, &poor); sp <= sc {
			t.Errorf("seed %d: %.3f with low-quality spurious minutiae, %.3f with good-looking ones", seed, sp, sc)
		}
	}
}

func TestMinutiaWeight(t *testing.T) {
	for _, tt := range []struct{ q, want uint8 }{{0, 100}, {1, 1}, {57, 57}, {100, 100}, {255, 100}} {
		if got := minutiaWeight(tt.q); got != tt.want {
			t.Errorf("minutiaWeight(%d) = %d, want %d", tt.q, got, tt.want)
		}
	}
}

// TestDiscountCrowded checks the crowding discount: minutiae with more
// than crowdFree others within crowdRadius lose weight by the excess,
// apart ones and the type bit are untouched, and qsum follows.
func TestDiscountCrowded(t *testing.T) {
	// cluster returns n minutiae 5 px apart on a line, starting at x0.
	cluster := func(x0, n int) []Minutia {
		var ms []Minutia
		for i := range n {
			ms = append(ms, Minutia{X: x0 + 5*i, Y: 100, Type: Bifurcation, Quality: 60})
		}
		return ms
	}
	tests := []struct {
		name string
		ms   []Minutia
		want []uint8 // weights
	}{
		{"apart", append(cluster(0, 1), cluster(100, 1)...), []uint8{60, 60}},
		{"three close", cluster(0, 3), []uint8{60, 60, 60}},
		{"four close", cluster(0, 4), []uint8{30, 30, 30, 30}},
		{"six close", cluster(0, 6), []uint8{15, 15, 15, 15, 15, 15}},
		{"four close and one apart", append(cluster(0, 4), cluster(200, 1)...), []uint8{30, 30, 30, 30, 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Prepare(&Template{Minutiae: tt.ms})
			sum := int32(0)
			for i, q := range p.q {
				if q&weightMask != tt.want[i] {
					t.Errorf("minutia %d: weight %d, want %d", i, q&weightMask, tt.want[i])
				}
				if q&bifurcationBit == 0 {
					t.Errorf("minutia %d: type bit lost", i)
				}
				sum += int32(q & weightMask)
			}
			if p.qsum != sum {
				t.Errorf("qsum %d, weights sum to %d", p.qsum, sum)
			}
		})
	}
}

// TestKeepHeaviest checks the matcher's minutiae cap: a print with more
// than maxMatchMinutiae keeps the heaviest (ties: lower index) in their
// order, with qsum over the kept ones; smaller prints keep all.
func TestKeepHeaviest(t *testing.T) {
	// grid returns n minutiae 40 px apart (nobody crowded), with the
	// qualities q(i).
	grid := func(n int, q func(i int) int) []Minutia {
		var ms []Minutia
		for i := range n {
			ms = append(ms, Minutia{X: 40 * (i % 10), Y: 40 * (i / 10), Type: Ending, Quality: uint8(q(i))})
		}
		return ms
	}
	tests := []struct {
		name string
		ms   []Minutia
		want func(i int) bool // whether minutia i stays
	}{
		{"under the cap", grid(maxMatchMinutiae, func(int) int { return 50 }), func(int) bool { return true }},
		// Qualities 90 down to 71, thrice for 90–72 and twice for 73 and
		// 72 over 58 minutiae: the 48 of quality 75 and up stay.
		{"lightest dropped", grid(maxMatchMinutiae+10, func(i int) int { return 90 - i%20 }),
			func(i int) bool { return 90-i%20 >= 75 }},
		{"ties: lower index", grid(maxMatchMinutiae+5, func(int) int { return 70 }), func(i int) bool { return i < maxMatchMinutiae }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Prepare(&Template{Minutiae: tt.ms})
			type xy struct{ x, y int16 }
			var want []xy
			sum := int32(0)
			for i, m := range tt.ms {
				if tt.want(i) {
					want = append(want, xy{int16(m.X), int16(-m.Y)})
					sum += int32(m.Quality)
				}
			}
			var got []xy
			for _, m := range p.m {
				got = append(got, xy{m.x, m.y})
			}
			if len(got) != len(want) || p.qsum != sum {
				t.Fatalf("kept %d minutiae (qsum %d), want %d (qsum %d)", len(got), p.qsum, len(want), sum)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("minutia %d at %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestBearingTable checks that bearing, which reads geomTab, agrees with
// atanByte on every offset, inside the table and beyond it.
func TestBearingTable(t *testing.T) {
	for dy := -maxEdge - 2; dy <= maxEdge+2; dy++ {
		for dx := -maxEdge - 2; dx <= maxEdge+2; dx++ {
			if got, want := bearing(dx, dy), atanByte(float32(dy), float32(dx)); got != want {
				t.Fatalf("bearing(%d, %d) = %d, atanByte %d", dx, dy, got, want)
			}
		}
	}
}

// TestProbeOfMatchesNewProbe: a probe made from a prepared gallery entry
// scores exactly like one prepared from the template, and leaves the entry
// usable on the gallery side.
func TestProbeOfMatchesNewProbe(t *testing.T) {
	a := extractFVC(t, "DB1_B", 101, 1, 500)
	pa := Prepare(a)
	for _, b := range []*Template{extractFVC(t, "DB1_B", 101, 2, 500), extractFVC(t, "DB1_B", 102, 1, 500)} {
		pb := Prepare(b)
		if got, want := ProbeOf(pa).Score(pb), NewProbe(a).Score(pb); got != want {
			t.Errorf("ProbeOf score %v, NewProbe score %v", got, want)
		}
		if got, want := NewProbe(b).Score(pa), NewProbe(b).Score(Prepare(a)); got != want {
			t.Errorf("gallery side after ProbeOf: %v, fresh: %v", got, want)
		}
	}
}
