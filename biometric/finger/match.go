package finger

import (
	"math"
	"slices"
	"sync"
	"unsafe"
)

// Matcher geometry at 500 dpi.
const (
	neighbourK  = 12  // edges per minutia: its nearest neighbours
	minEdge     = 6   // shorter edges carry no reliable angle
	maxEdge     = 160 // longer edges are too distorted to compare
	distBin     = 12  // hash bin of edge length, pixels
	distBins    = maxEdge/distBin + 2
	angBinShift = 4 // hash bin of relative angles: 16 units of 1/256 turn
	angBins     = 256 >> angBinShift
	angTol      = 10                          // relative angle tolerance, 1/256 turn (≈14°)
	angSpan     = (2*angTol)>>angBinShift + 2 // most angle bins one tolerance overlaps
	rotTol      = 28                          // rotation consistency with the seed, 1/256 turn (≈39°)
	maxSeeds    = 6
	// The matcher keeps at most this many minutiae of a print, the
	// heaviest.
	maxMatchMinutiae = 48
	// Global consolidation.
	globalPairRadius = 12
	globalAngTol     = 20 // 1/256 turn (≈28°)
	overlapRadius    = 35
	minOverlap       = 500 // quality-weighted overlaps below this (five perfect minutiae) are taken as this
	// Pair evidence: a pair counts fully when it lands exactly and nothing
	// at residualTol0+residualTolRel·r, r its distance from the pairing's
	// centre (elastic distortion grows away from it).
	residualTol0   = 16
	residualTolRel = 0.05
	// A pair of an ending with a bifurcation counts this much: the type
	// flips with pressure and inking, so agreement is weak evidence (on
	// FVC2002 mates agree on ~70 % of their pairs, impostors on ~52 %).
	typeMismatch = 0.8
	// Crowding: a minutia with more than crowdFree others within
	// crowdRadius (about three ridge periods) has its weight divided by one
	// plus the excess.
	crowdRadius = 32
	crowdFree   = 2
	// Minutiae weighing less than this (poor or crowded) are nobody's
	// neighbour: an edge to a spurious minutia is noise, and it would take
	// the place of a real neighbour. They keep their own edges.
	minNeighbourWeight = 20
	// Global consistency with the seed pair.
	seedDistTol    = 8
	seedDistRel    = 0.1
	seedBearingTol = 14 // 1/256 turn (≈20°)
	minSeedVotes   = 2
)

// distTol is the tolerated change of an edge's length (elastic distortion
// grows with distance).
func distTol(d float32) float32 { return 3.5 + 0.07*d }

// pmin is a minutia prepared for matching: y points up, angle in 1/256 turn,
// and the indices of its nearest neighbours. The neighbours are ordered for
// the gallery side's edge lookups: first the nd mutual neighbours (each is
// also a neighbour of this one's neighbour) with a higher index, whose edge
// is looked up once here and stands for both directions; then the ns
// one-sided neighbours, looked up once; then the mutual neighbours with a
// lower index, whose edge is looked up from the other end.
type pmin struct {
	x, y int16
	a    uint8
	nd   uint8 // mutual neighbours looked up from here
	ns   uint8 // one-sided neighbours
	nn   uint8 // number of valid neighbours
	nb   [neighbourK]uint8
}

// Prepared is a template reduced to what the matcher needs: positions,
// directions, qualities and each minutia's nearest neighbours (22 bytes
// per minutia). It is computed once per gallery template and is read-only,
// so one Prepared may be matched from many goroutines.
type Prepared struct {
	m    []pmin
	byY  []uint8 // minutia indices in increasing y
	q    []uint8 // minutia weights 1–100 from their quality, plus bifurcationBit
	qsum int32   // sum of the weights
}

// Prepared.q holds a minutia's weight in its low bits and its type in the
// top bit.
const (
	weightMask     = 0x7f
	bifurcationBit = 0x80
)

// Bytes returns the memory the prepared form holds, for gallery sizing.
func (p *Prepared) Bytes() int {
	return int(unsafe.Sizeof(*p)) + len(p.m)*(int(unsafe.Sizeof(pmin{}))+2)
}

// minutiaWeight is a minutia's weight in the score, its quality 1–100; an
// unreported quality (0, as ISO records may carry) counts fully.
func minutiaWeight(q uint8) uint8 {
	if q == 0 || q > 100 {
		return 100
	}
	return q
}

// Prepare computes the matcher's form of t.
func Prepare(t *Template) *Prepared {
	n := min(len(t.Minutiae), 255)
	p := &Prepared{m: make([]pmin, n), q: make([]uint8, n)}
	for i := 0; i < n; i++ {
		mi := t.Minutiae[i]
		p.m[i] = pmin{x: int16(mi.X), y: int16(-mi.Y), a: angleToByte(mi.Angle)}
		p.q[i] = minutiaWeight(mi.Quality)
		p.qsum += int32(p.q[i])
		if mi.Type == Bifurcation {
			p.q[i] |= bifurcationBit
		}
	}
	discountCrowded(p)
	if len(p.m) > maxMatchMinutiae {
		keepHeaviest(p, maxMatchMinutiae)
	}
	for i := range p.m {
		nearestNeighbours(p.m, p.q, i)
	}
	for i := range p.m {
		orderNeighbours(p.m, i)
	}
	p.byY = make([]uint8, len(p.m))
	for i := range p.byY {
		p.byY[i] = uint8(i)
	}
	slices.SortStableFunc(p.byY, func(a, b uint8) int { return int(p.m[a].y) - int(p.m[b].y) })
	return p
}

// discountCrowded lowers the weights of crowded minutiae: ridges keep true
// minutiae apart, so a tight cluster is mostly spurious (dotted or broken
// ridges, creases, latent residue) whatever their local quality says.
// Each minutia with n > crowdFree others within crowdRadius keeps
// 1/(1+n−crowdFree) of its weight (rounded, at least 1); p.qsum follows.
func discountCrowded(p *Prepared) {
	const r2 = crowdRadius * crowdRadius
	m := p.m
	for i := range m {
		n := 0
		for j := range m {
			dx, dy := int(m[j].x)-int(m[i].x), int(m[j].y)-int(m[i].y)
			if dx*dx+dy*dy <= r2 {
				n++ // i itself included
			}
		}
		if d := n - crowdFree; d > 1 {
			w := int(p.q[i] & weightMask)
			nw := max(1, (2*w+d)/(2*d))
			p.q[i] = p.q[i]&bifurcationBit | uint8(nw)
			p.qsum -= int32(w - nw)
		}
	}
}

// keepHeaviest keeps the n minutiae of p weighing most (ties: the lower
// index), in their order, and drops the others: the matcher's cost grows
// with the product of the two prints' counts, and the lightest minutiae
// (poor or crowded) add more noise than evidence.
func keepHeaviest(p *Prepared, n int) {
	idx := make([]uint8, len(p.m))
	for i := range idx {
		idx[i] = uint8(i)
	}
	slices.SortStableFunc(idx, func(a, b uint8) int { return int(p.q[b]&weightMask) - int(p.q[a]&weightMask) })
	keep := make([]bool, len(p.m))
	for _, i := range idx[:n] {
		keep[i] = true
	}
	k := 0
	p.qsum = 0
	for i := range p.m {
		if keep[i] {
			p.m[k], p.q[k] = p.m[i], p.q[i]
			p.qsum += int32(p.q[k] & weightMask)
			k++
		}
	}
	p.m, p.q = slices.Clone(p.m[:k]), slices.Clone(p.q[:k]) // the gallery keeps no more than it needs
}

// nearestNeighbours finds minutia i's neighbourK nearest neighbours
// within the edge length limits among the minutiae weighing (q) at least
// minNeighbourWeight, in increasing distance (ties: lower index), by
// insertion into a bounded list.
func nearestNeighbours(m []pmin, q []uint8, i int) {
	var d [neighbourK]int32
	n := 0
	xi, yi := int32(m[i].x), int32(m[i].y)
	for j := range m {
		if j == i || q[j]&weightMask < minNeighbourWeight {
			continue
		}
		dx, dy := int32(m[j].x)-xi, int32(m[j].y)-yi
		dj := dx*dx + dy*dy
		if dj < minEdge*minEdge || dj > maxEdge*maxEdge {
			continue
		}
		if n == neighbourK && dj >= d[n-1] {
			continue // j is later than any listed, so an equal distance loses too
		}
		c := min(n, neighbourK-1)
		for c > 0 && d[c-1] > dj {
			d[c], m[i].nb[c] = d[c-1], m[i].nb[c-1]
			c--
		}
		d[c], m[i].nb[c] = dj, uint8(j)
		n = min(n+1, neighbourK)
	}
	m[i].nn = uint8(n)
}

// orderNeighbours sorts minutia i's neighbours into the lookup groups
// described at pmin, keeping distance order within each group.
func orderNeighbours(m []pmin, i int) {
	mi := &m[i]
	var groups [3][neighbourK]uint8
	var n [3]int
	for c := 0; c < int(mi.nn); c++ {
		j := mi.nb[c]
		g := 1 // one-sided
		if m[j].has(uint8(i)) {
			g = 0 // mutual, looked up from the lower index
			if int(j) < i {
				g = 2
			}
		}
		groups[g][n[g]] = j
		n[g]++
	}
	c := 0
	for g := range groups {
		c += copy(mi.nb[c:], groups[g][:n[g]])
	}
	mi.nd, mi.ns = uint8(n[0]), uint8(n[1])
}

// has reports whether j is among m's neighbours.
func (m *pmin) has(j uint8) bool {
	for c := 0; c < int(m.nn); c++ {
		if m.nb[c] == j {
			return true
		}
	}
	return false
}

// edge is one directed minutia pair, invariant to rotation and translation.
type edge struct {
	d      float32
	a1, a2 uint8 // minutia directions relative to the edge direction
	i, j   uint8
}

func makeEdge(m []pmin, i, j int) edge {
	d, phi := offsetGeom(int(m[j].x-m[i].x), int(m[j].y-m[i].y))
	if d == beyondTab {
		return edge{d: maxEdge * 2}
	}
	return edge{
		d:  float32(d),
		a1: m[i].a - phi, a2: m[j].a - phi,
		i: uint8(i), j: uint8(j),
	}
}

// beyondTab is offsetGeom's length for an offset outside geomTab (no
// offset inside reaches it: the longest is 226).
const beyondTab = 255

// offsetGeom returns the rounded length and the direction (1/256 turn) of
// the offset (dx, dy), read from geomTab for (|dx|, |dy|) and mirrored by
// the signs without branches; the length is beyondTab when either side
// exceeds maxEdge. (Small enough for the compiler to inline into the
// matcher's loops.)
func offsetGeom(dx, dy int) (d, phi uint8) {
	sx, sy := dx>>63, dy>>63
	ax, ay := (dx^sx)-sx, (dy^sy)-sy
	if max(ax, ay) > maxEdge {
		return beyondTab, 0
	}
	g := geomTab[ay*geomSide+ax]
	phi = uint8(int(g.phi)^sx) - uint8(sx) + uint8(sx&128) // 128−φ when dx < 0
	return g.d, uint8(int(phi)^sy) - uint8(sy)             // −φ when dy < 0
}

// geomTab holds the rounded length and direction of every offset in the
// first quadrant up to maxEdge (52 KB, cache-resident), so an edge costs a
// load instead of a square root and an arctangent.
const geomSide = maxEdge + 1

var geomTab = func() []struct{ d, phi uint8 } {
	t := make([]struct{ d, phi uint8 }, geomSide*geomSide)
	for dy := 0; dy <= maxEdge; dy++ {
		for dx := 0; dx <= maxEdge; dx++ {
			e := &t[dy*geomSide+dx]
			e.d = uint8(min(255, math.Round(math.Hypot(float64(dx), float64(dy)))))
			e.phi = atanByte(float32(dy), float32(dx))
		}
	}
	return t
}()

// atanByte is a fast atan2 returning 1/256 turns (error < 0.01°).
func atanByte(y, x float32) uint8 {
	ax, ay := x, y
	if ax < 0 {
		ax = -ax
	}
	if ay < 0 {
		ay = -ay
	}
	if ax == 0 && ay == 0 {
		return 0
	}
	var a float32
	if ax > ay {
		a = ay / ax
	} else {
		a = ax / ay
	}
	s := a * a
	r := ((-0.0464964749*s+0.15931422)*s-0.327622764)*s*a + a
	if ay > ax {
		r = math.Pi/2 - r
	}
	if x < 0 {
		r = math.Pi - r
	}
	if y < 0 {
		r = -r
	}
	u := int(r*(256/(2*math.Pi)) + 256.5)
	return uint8(u)
}

func absDiff8(a, b uint8) uint8 {
	d := a - b
	if d > 128 {
		return -d
	}
	return d
}

// Probe is a template prepared as the probe side of comparisons: its edges
// sit in a hash on length and relative angles, so each candidate edge finds
// its matches in constant time. A Probe holds scratch space and must not be
// used by two goroutines at once; make one per goroutine.
type Probe struct {
	p     *Prepared
	edges []edge
	start []int32 // hash bucket starts, len distBins*angBins*angBins+1
	items []bedge // edge copies per bucket, so a lookup reads memory in order
	// scratch space of the comparison under way: from scratchPool for the
	// duration of one comparison, unless set beforehand (tests read it).
	*scratch
}

// scratch is a comparison's working memory. Between comparisons votes and
// head are zero throughout.
type scratch struct {
	votes   []uint16 // per minutia pair p*ng+g: the edge pairs at it, by weight
	head    []int32  // per minutia pair: its latest adjacency link + 1 (0: none)
	touched []int32
	pairs   []epair
	links   []link // per end of each edge pair
	pairOfP []int16
	pairOfG []int16
	bestPP  []int16
	tx, ty  []float32
	queue   []int32
	look    []lookup
	gx, gy  []float32 // gallery coordinates in y order, in consolidate
	gyi     []int32   // gallery y in y order, for the window search
	ga      []uint8   // gallery directions in y order
	gq      []uint8   // gallery weights in y order
	near    []uint8   // 1 for gallery minutiae (y order) near a probe minutia
	seeds   []seed
}

// scratchPool recycles comparison working memory across probes, so a new
// probe allocates and clears none of it.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// bedge is a probe edge as stored in a hash bucket, packed in one word so
// the scan tests it against a gallery edge with a few word operations
// (SIMD within a register). Bits 0–7 and 16–23 hold the minutia indices i
// and j (the probe half of an epair, bits 8–15 zero); from bit 24 on,
// four 10-bit lanes hold 256−a1, 256−a2, 256−lo and hi, where a1 and a2
// are the relative angles and [lo, hi] = [d−tol, d+tol] is the range of
// matching gallery edge lengths, tol being distTol(d) rounded down to a
// whole pixel (lengths are whole pixels). See scanBuckets.
type bedge uint64

// Lanes of a bedge and of a gallery edge's scan key.
const (
	laneBits  = 10
	lane0     = 24
	lane1     = lane0 + laneBits
	lane2     = lane1 + laneBits
	lane3     = lane2 + laneBits
	probeMask = 0xff00ff // the probe minutia indices of a bedge
)

func makeBedge(e edge) bedge {
	tol := uint8(uint16(distTol(e.d)*16) >> 4)
	d := uint8(min(255, e.d))
	lo, hi := uint64(d-tol), uint64(d)+uint64(tol)
	return bedge(uint64(e.i) | uint64(e.j)<<16 | (256-uint64(e.a1))<<lane0 | (256-uint64(e.a2))<<lane1 |
		(256-lo)<<lane2 | hi<<lane3)
}

// scanKey is a gallery edge's counterpart of a bedge: lanes a1+angTol,
// a2+angTol (modulo a turn), d and 256−d. Added to a bedge, lanes 0 and 1
// hold 256 plus the angle differences (plus angTol) and lanes 2 and 3
// reach 256 exactly when d ≥ lo and d ≤ hi; no lane overflows its 10 bits.
func scanKey(a1, a2, d uint8) uint64 {
	return uint64(a1+angTol)<<lane0 | uint64(a2+angTol)<<lane1 | uint64(d)<<lane2 | (256-uint64(d))<<lane3
}

// matchMask and matchAdd finish the test of scanBuckets: masking keeps the
// angle lanes modulo 256 and only bit 8 of the length lanes; adding sets
// bit 8 of an angle lane whose difference exceeds angTol (its value beyond
// 2·angTol) and flips bit 8 of the length lanes; the edges match exactly
// when no lane's bit 8 is then set (matchBits).
const (
	matchMask = 0xff<<lane0 | 0xff<<lane1 | 0x100<<lane2 | 0x100<<lane3
	matchAdd  = (255-2*angTol)<<lane0 | (255-2*angTol)<<lane1 | 0x100<<lane2 | 0x100<<lane3
	matchBits = 0x100<<lane0 | 0x100<<lane1 | 0x100<<lane2 | 0x100<<lane3
)

// lookup is one gallery edge with the range of its hash bucket: its scan
// key and the gallery half of its edge pairs (minutia indices and weight,
// as in epair).
type lookup struct {
	lo, hi int32
	key    uint64
	gpart  epair
}

// epair is a pair of edges, probe (p, p2) with gallery (g, g2), packed as
// p | g<<8 | p2<<16 | g2<<24 | weight<<32, where weight 2 stands for the
// pair and its reverse, (p2, g2) with (p, g).
type epair uint64

func makeEpair(p, g, p2, g2, weight uint8) epair {
	return epair(uint64(p) | uint64(g)<<8 | uint64(p2)<<16 | uint64(g2)<<24 | uint64(weight)<<32)
}

func (e epair) weight() uint16 { return uint16(e >> 32) }

// adjEntry is the other end of an edge pair seen from one minutia pair:
// p | g<<8 | weight<<16 | rot<<24, where rot is the gallery minus the probe
// direction of (p, g).
type adjEntry uint32

// link is one adjacency entry of a minutia pair and the index + 1 of the
// pair's previous one (0 at the end).
type link struct {
	next  int32
	other adjEntry
}

type seed struct {
	p, g  uint8
	votes uint16
}

func bucketKey(db, b1, b2 int) int { return (db*angBins+b1)*angBins + b2 }

// NewProbe prepares t as a probe.
func NewProbe(t *Template) *Probe {
	return newProbe(Prepare(t))
}

// ProbeOf makes a probe of a template already in matcher form, so a
// template that is both searched and searched for (an evaluation, a
// gallery checked against itself) is prepared once. p is only read.
func ProbeOf(p *Prepared) *Probe {
	return newProbe(p)
}

func newProbe(p *Prepared) *Probe {
	pr := &Probe{p: p}
	m := p.m
	n := 0
	for i := range m {
		n += int(m[i].nn)
	}
	pr.edges = make([]edge, 0, 2*n)
	for i := range m {
		for c := 0; c < int(m[i].nn); c++ {
			j := int(m[i].nb[c])
			pr.edges = append(pr.edges, makeEdge(m, i, j))
			if !m[j].has(uint8(i)) {
				pr.edges = append(pr.edges, makeEdge(m, j, i))
			}
		}
	}
	// Each edge goes into every bucket its tolerances overlap: count the
	// items per bucket, then place them (a counting sort on the key,
	// stable in edge order). count[k+2] counts bucket k; after the prefix
	// sum count[k+1] is the start of bucket k, and placing an item there
	// moves it to the start of bucket k+1, so count[:nb+1] ends as the
	// bucket starts.
	// The keys are computed once, kept in a pooled buffer with each edge's
	// key count.
	const nb = distBins * angBins * angBins
	var keys [distBins * angSpan * angSpan]int32
	count := make([]int32, nb+2)
	kb := keyPool.Get().(*keyBuf)
	all, nk := kb.keys[:0], kb.n[:0]
	for _, e := range pr.edges {
		n := bucketsOf(e, &keys)
		for _, k := range keys[:n] {
			count[k+2]++
		}
		all = append(all, keys[:n]...)
		nk = append(nk, uint8(n))
	}
	for k := 2; k < nb+2; k++ {
		count[k] += count[k-1]
	}
	pr.items = make([]bedge, len(all))
	at := 0
	for i, e := range pr.edges {
		it := makeBedge(e)
		for _, k := range all[at : at+int(nk[i])] {
			pr.items[count[k+1]] = it
			count[k+1]++
		}
		at += int(nk[i])
	}
	kb.keys, kb.n = all, nk
	keyPool.Put(kb)
	pr.start = count[:nb+1]
	return pr
}

// keyBuf holds a probe's bucket keys while its hash is built.
type keyBuf struct {
	keys []int32
	n    []uint8
}

var keyPool = sync.Pool{New: func() any { return new(keyBuf) }}

// bucketsOf writes the keys of every hash bucket that e's tolerances
// overlap (length and both relative angles, at most 3 angle bins each)
// into keys and returns how many.
func bucketsOf(e edge, keys *[distBins * angSpan * angSpan]int32) int {
	tol := distTol(e.d)
	d0 := max(0, int((e.d-tol)/distBin))
	d1 := min(distBins-1, int((e.d+tol)/distBin))
	lo1, n1 := angleBins(e.a1)
	lo2, n2 := angleBins(e.a2)
	n := 0
	for db := d0; db <= d1; db++ {
		for i := 0; i < n1; i++ {
			row := (db*angBins + (lo1+i)%angBins) * angBins
			for j := 0; j < n2; j++ {
				keys[n] = int32(row + (lo2+j)%angBins)
				n++
			}
		}
	}
	return n
}

// angleBins returns the first hash bin overlapped by [a-angTol, a+angTol]
// and how many consecutive bins (modulo angBins) it covers.
func angleBins(a uint8) (lo, n int) {
	lo = int((a - angTol) >> angBinShift)
	hi := int((a + angTol) >> angBinShift)
	return lo, (hi-lo+angBins)%angBins + 1
}

// Score compares the probe with a prepared gallery template and returns a
// calibrated similarity: −log10 of the estimated false match rate at which
// this score would be reached (0 for no similarity; compare with
// ThresholdForFMR).
func (pr *Probe) Score(g *Prepared) float64 {
	return calibrate(pr.rawScore(g))
}

// rawScore returns the uncalibrated similarity.
func (pr *Probe) rawScore(g *Prepared) float64 {
	if pr.scratch != nil {
		return pr.compare(g)
	}
	pr.scratch = scratchPool.Get().(*scratch)
	r := pr.compare(g)
	scratchPool.Put(pr.scratch)
	pr.scratch = nil
	return r
}

// compare is rawScore with pr.scratch in place.
func (pr *Probe) compare(g *Prepared) float64 {
	np, ng := len(pr.p.m), len(g.m)
	if np < 2 || ng < 2 {
		return 0
	}
	if cap(pr.votes) < np*ng {
		pr.votes = make([]uint16, np*ng)
		pr.head = make([]int32, np*ng)
	}
	votes := pr.votes[:np*ng]
	pr.pairs = pr.pairs[:0]
	pr.touched = pr.touched[:0]
	// First the gallery edges and their hash buckets, so the bucket loads
	// are independent of each other and overlap; then the bucket scans.
	if cap(pr.look) < ng*neighbourK {
		pr.look = make([]lookup, max(ng, 64)*neighbourK)
	}
	look, scanned := lookupEdges(g.m, pr.start, pr.look[:cap(pr.look)])
	pr.look = look
	// A mutual gallery edge stands for both directions: its match is one
	// edge pair of weight 2, for the pair and its reverse (which meets the
	// reverse probe edge), as the same two minutia pairs join both.
	if cap(pr.pairs) < scanned+1 {
		pr.pairs = make([]epair, scanned+64)
	}
	np2 := scanBuckets(look, pr.items, pr.pairs[:cap(pr.pairs)])
	pr.pairs = pr.pairs[:np2]
	if np2 == 0 {
		return 0
	}
	pr.buildAdjacency(g, ng)
	// Seeds: the minutia pairs with the most votes (ties: lowest index).
	pr.seeds = pr.seeds[:0]
	minVotes := uint16(minSeedVotes)
	for _, k := range pr.touched {
		v := votes[k]
		if v < minVotes {
			continue
		}
		sd := seed{p: uint8(int(k) / ng), g: uint8(int(k) % ng), votes: v}
		if len(pr.seeds) == maxSeeds && !seedBefore(sd, pr.seeds[maxSeeds-1]) {
			continue
		}
		if len(pr.seeds) < maxSeeds {
			pr.seeds = append(pr.seeds, sd)
		} else {
			pr.seeds[maxSeeds-1] = sd
		}
		for i := len(pr.seeds) - 1; i > 0 && seedBefore(pr.seeds[i], pr.seeds[i-1]); i-- {
			pr.seeds[i], pr.seeds[i-1] = pr.seeds[i-1], pr.seeds[i]
		}
		if len(pr.seeds) == maxSeeds {
			minVotes = pr.seeds[maxSeeds-1].votes // fewer votes cannot enter
		}
	}
	if len(pr.seeds) == 0 {
		pr.clearVotes(np * ng)
		return 0
	}
	if cap(pr.pairOfP) < np || cap(pr.pairOfG) < ng {
		pr.pairOfP = make([]int16, max(np, 256))
		pr.pairOfG = make([]int16, max(ng, 256))
	}
	best := 0.0
	if cap(pr.bestPP) < np {
		pr.bestPP = make([]int16, max(np, 256))
	}
	bestPP := pr.bestPP[:np]
	for i := range bestPP {
		bestPP[i] = -1
	}
	for _, s := range pr.seeds {
		if bestPP[s.p] == int16(s.g) {
			continue // already inside the best pairing: growing again finds the same
		}
		sc := pr.grow(s, g, ng)
		if sc > best {
			best = sc
			copy(bestPP, pr.pairOfP[:np])
		}
	}
	pr.clearVotes(np * ng)
	if best == 0 {
		return 0
	}
	// Global consolidation: the evidence of the pairs under one rigid
	// alignment, as a share of the overlapping minutiae, scales the local
	// edge support; all weighted by minutia quality, so spurious minutiae
	// of a poor region neither dilute a mate's score nor make an
	// impostor's.
	_, op, og := pr.consolidate(g, bestPP)
	m := pr.pairEvidence(g)
	// Weights in units of a perfect minutia.
	wp, wg := float64(pr.p.qsum)/100, float64(g.qsum)/100
	oP, oG := float64(max(op, minOverlap))/100, float64(max(og, minOverlap))/100
	return best / math.Sqrt(math.Sqrt(wp*wg)) * m / math.Sqrt(oP*oG)
}

// lookupEdges computes each gallery edge's hash bucket and writes those
// whose bucket is not empty to look; it returns them and how many bucket
// items they cover.
func lookupEdges(gm []pmin, start []int32, look []lookup) ([]lookup, int) {
	nl, scanned := 0, 0
	for a := range gm {
		ma := &gm[a]
		nd := int(ma.nd)
		for c, b := range ma.nb[:nd+int(ma.ns)] {
			// makeEdge(gm, a, b), the lookup's part of it.
			mb := &gm[b]
			d, phi := offsetGeom(int(mb.x)-int(ma.x), int(mb.y)-int(ma.y))
			gd := int(d)
			if gd >= maxEdge { // beyondTab too
				continue
			}
			a1, a2 := ma.a-phi, mb.a-phi
			k := bucketKey(gd/distBin, int(a1>>angBinShift), int(a2>>angBinShift))
			lo, hi := start[k], start[k+1]
			scanned += int(hi - lo)
			// A mutual edge stands for both directions: weight 2.
			w := 1 + epair((c-nd)>>63&1)
			look[nl] = lookup{lo: lo, hi: hi, key: scanKey(a1, a2, uint8(gd)), gpart: epair(a)<<8 | epair(b)<<24 | w<<32}
			nl += int((lo-hi)>>31) & 1 // kept only when its bucket holds an edge
		}
	}
	return look[:nl], scanned
}

// scanBuckets compares each gallery edge with the probe edges in its
// bucket and writes the matching edge pairs with their weights; it returns
// how many. The scan writes every candidate and advances past it only when
// it matches, so the loop has no data-dependent branch. (A function of its
// own, so profiles show it.)
func scanBuckets(look []lookup, items []bedge, pairs []epair) int {
	np2 := 0
	for i := range look {
		l := &look[i]
		key, gpart := l.key, l.gpart
		for _, it := range items[l.lo:l.hi] {
			// Zero exactly when the relative angles differ by at most
			// angTol (modulo a turn) and the length lies in the range.
			miss := ((uint64(it)+key)&matchMask + matchAdd) & matchBits
			pairs[np2] = epair(it&probeMask) | gpart
			np2 += int((miss - 1) >> 63)
		}
	}
	return np2
}

// buildAdjacency counts the votes of each minutia pair joined by the edge
// pairs (both ends of each, by weight), lists the pairs touched, and links
// each one's adjacency entries, the latest edge pair first.
func (pr *Probe) buildAdjacency(g *Prepared, ng int) {
	pairs := pr.pairs
	votes, head := pr.votes, pr.head
	if cap(pr.touched) < 2*len(pairs) {
		pr.touched = make([]int32, 2*len(pairs)+64)
		pr.links = make([]link, 2*len(pairs)+64)
	}
	touched, links := pr.touched[:cap(pr.touched)], pr.links[:2*len(pairs)]
	pm, gm := pr.p.m, g.m
	nt := 0
	for i, ep := range pairs {
		w := ep.weight()
		p, gq, p2, g2 := uint8(ep), uint8(ep>>8), uint8(ep>>16), uint8(ep>>24)
		k, k2 := int(p)*ng+int(gq), int(p2)*ng+int(g2)
		wa := adjEntry(w) << 16
		touched[nt] = int32(k)
		if head[k] == 0 {
			nt++
		}
		votes[k] += w
		links[2*i] = link{head[k], adjEntry(ep>>16&0xffff) | wa | adjEntry(gm[g2].a-pm[p2].a)<<24}
		head[k] = int32(2*i + 1)
		touched[nt] = int32(k2)
		if head[k2] == 0 {
			nt++
		}
		votes[k2] += w
		links[2*i+1] = link{head[k2], adjEntry(ep&0xffff) | wa | adjEntry(gm[gq].a-pm[p].a)<<24}
		head[k2] = int32(2*i + 2)
	}
	pr.touched, pr.links = touched[:nt], links
}

// clearVotes restores the zero votes and the empty lists (whole arrays:
// clearing memory in bulk is cheaper than visiting the pairs touched).
func (pr *Probe) clearVotes(n int) {
	clear(pr.votes[:n])
	clear(pr.head[:n])
}

// pairEvidence weighs the final pairing left by consolidate (pr.pairOfG,
// positions in pr.tx, pr.ty): each pair counts by how closely it lands
// under the alignment, within a tolerance that grows with the pair's
// distance from the pairing's centre, times the geometric mean of the two
// minutiae weights (1 for two perfect minutiae), times typeMismatch when
// the types differ.
func (pr *Probe) pairEvidence(g *Prepared) float64 {
	gm := g.m
	owner := pr.pairOfG[:len(gm)]
	var cx, cy float32
	n := 0
	for q, p := range owner {
		if p >= 0 {
			cx += float32(gm[q].x)
			cy += float32(gm[q].y)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	cx, cy = cx/float32(n), cy/float32(n)
	w := 0.0
	for q, p := range owner {
		if p < 0 {
			continue
		}
		gx, gy := float32(gm[q].x), float32(gm[q].y)
		dx, dy := pr.tx[p]-gx, pr.ty[p]-gy
		rx, ry := gx-cx, gy-cy
		d := math.Sqrt(float64(dx*dx + dy*dy))
		tol := residualTol0 + residualTolRel*math.Sqrt(float64(rx*rx+ry*ry))
		if d < tol {
			qp, qg := pr.p.q[p], g.q[q]
			wt := math.Sqrt(float64(int(qp&weightMask) * int(qg&weightMask)))
			if (qp^qg)&bifurcationBit != 0 {
				wt *= typeMismatch
			}
			w += (1 - d/tol) * wt
		}
	}
	return w / 100
}

// align fits the rigid transform that best maps the paired probe minutiae
// onto their gallery mates (least squares), leaves the transformed probe
// positions in pr.tx and pr.ty and returns the rotation in 1/256 turns;
// false when nothing is paired.
func (pr *Probe) align(g *Prepared, pairOfP []int16) (rotByte uint8, ok bool) {
	pm, gm := pr.p.m, g.m
	var cpx, cpy, cgx, cgy float64
	n := 0
	for p, q := range pairOfP {
		if q < 0 {
			continue
		}
		cpx += float64(pm[p].x)
		cpy += float64(pm[p].y)
		cgx += float64(gm[q].x)
		cgy += float64(gm[q].y)
		n++
	}
	if n == 0 {
		return 0, false
	}
	cpx, cpy, cgx, cgy = cpx/float64(n), cpy/float64(n), cgx/float64(n), cgy/float64(n)
	var sdot, scross float64
	for p, q := range pairOfP {
		if q < 0 {
			continue
		}
		ax, ay := float64(pm[p].x)-cpx, float64(pm[p].y)-cpy
		bx, by := float64(gm[q].x)-cgx, float64(gm[q].y)-cgy
		sdot += ax*bx + ay*by
		scross += ax*by - ay*bx
	}
	rot := math.Atan2(scross, sdot)
	if n < 2 {
		// One pair fixes no rotation: take the minutiae's.
		for p, q := range pairOfP {
			if q >= 0 {
				rot = float64(int8(gm[q].a-pm[p].a)) * 2 * math.Pi / 256
			}
		}
	}
	c, sn := math.Cos(rot), math.Sin(rot)
	rotByte = uint8(int(math.Round(rot*256/(2*math.Pi))) & 255)
	if cap(pr.tx) < len(pm) {
		pr.tx = make([]float32, max(len(pm), 256))
		pr.ty = make([]float32, max(len(pm), 256))
	}
	tx, ty := pr.tx[:len(pm)], pr.ty[:len(pm)]
	for p := range pm {
		ax, ay := float64(pm[p].x)-cpx, float64(pm[p].y)-cpy
		tx[p] = float32(c*ax - sn*ay + cgx)
		ty[p] = float32(sn*ax + c*ay + cgy)
	}
	return rotByte, true
}

// consolidate aligns the two prints with the rigid transform that best fits
// the pairing (least squares), pairs the remaining minutiae that land close
// with a similar direction, and counts the minutiae of each print that lie
// in the overlap (within overlapRadius of a minutia of the other print).
// It returns the paired count and the two overlaps as sums of minutia
// weights, and leaves the pairing in pr.pairOfG (probe minutia per gallery
// minutia, or −1).
func (pr *Probe) consolidate(g *Prepared, pairOfP []int16) (paired, overP, overG int) {
	pm, gm := pr.p.m, g.m
	rotByte, ok := pr.align(g, pairOfP)
	if !ok {
		return 0, int(pr.p.qsum), int(g.qsum)
	}
	tx, ty := pr.tx[:len(pm)], pr.ty[:len(pm)]
	usedG := pr.pairOfG[:len(gm)]
	for i := range usedG {
		usedG[i] = -1
	}
	for p, q := range pairOfP {
		if q >= 0 {
			usedG[q] = int16(p)
			paired++
		}
	}
	const r2 = globalPairRadius * globalPairRadius
	const o2 = overlapRadius * overlapRadius
	// The gallery minutiae in y order, as contiguous coordinates, so the
	// window scans below read memory in order and decide without branches.
	ng := len(gm)
	if cap(pr.gy) < ng {
		pr.gy = make([]float32, max(ng, 256))
		pr.gyi = make([]int32, max(ng, 256))
		pr.gx = make([]float32, max(ng, 256))
		pr.ga = make([]uint8, max(ng, 256))
		pr.gq = make([]uint8, max(ng, 256))
		pr.near = make([]uint8, max(ng, 256))
	}
	gy, gyi, gx, ga, gq, near := pr.gy[:ng], pr.gyi[:ng], pr.gx[:ng], pr.ga[:ng], pr.gq[:ng], pr.near[:ng]
	for i, q := range g.byY {
		gy[i], gyi[i], gx[i], ga[i], gq[i] = float32(gm[q].y), int32(gm[q].y), float32(gm[q].x), gm[q].a, g.q[q]&weightMask
	}
	clear(near)
	byY := g.byY[:ng]
	for p := range pm {
		px, py := tx[p], ty[p]
		// Only gallery minutiae within overlapRadius in y can be near: the
		// window of the y order from the first with gy ≥ py − overlapRadius.
		// The ys are integers: gy < key exactly when gy < ⌈key⌉.
		lo := lowerBound(gyi, int32(math.Ceil(float64(py-overlapRadius))))
		var nearG uint8
		// Flags below are −1 for true and 0 for false.
		free := int(pairOfP[p]) >> 63
		pa := pm[p].a + rotByte - globalAngTol
		best, bestD := -1, int(math.Float32bits(r2))
		for i := lo; i < ng; i++ {
			dy := py - gy[i]
			if dy < -overlapRadius {
				break
			}
			dx := px - gx[i]
			d := dx*dx + dy*dy
			var isNear uint8
			if d <= o2 {
				isNear = 1
			}
			nearG |= isNear
			near[i] |= isNear
			// The closest free gallery minutia with a direction that fits
			// the rotation. Squared distances are non-negative, so their
			// bit patterns order like the values. Ties go to the higher
			// index, as in a scan in index order.
			q := int(byY[i])
			db := int(math.Float32bits(d))
			closer := (db-bestD)>>63 | ((db^bestD)-1)>>63&((best-q)>>63)
			fits := (int(uint8(ga[i]-pa)) - (2*globalAngTol + 1)) >> 63
			take := free & closer & (int(usedG[q]) >> 63) & fits
			best ^= (best ^ q) & take
			bestD ^= (bestD ^ db) & take
		}
		overP += int(nearG) * int(pr.p.q[p]&weightMask)
		if best >= 0 {
			usedG[best] = int16(p)
			paired++
		}
	}
	for i, v := range near {
		overG += int(v) * int(gq[i])
	}
	return paired, overP, overG
}

// lowerBound returns the index of the first element of the increasing a
// that is not below key (len(a) if none), in a fixed number of steps
// without data-dependent branches.
func lowerBound(a []int32, key int32) int {
	if len(a) == 0 {
		return 0
	}
	base, n := 0, len(a)
	for n > 1 {
		half := n >> 1
		base += half & int((a[base+half-1]-key)>>31)
		n -= half
	}
	return base + int((a[base]-key)>>31)&1
}

func seedBefore(a, b seed) bool {
	if a.votes != b.votes {
		return a.votes > b.votes
	}
	if a.p != b.p {
		return a.p < b.p
	}
	return a.g < b.g
}

// consistentWithSeed checks that the pair (p, g) sits at the same distance
// and bearing from the seed pair in both prints, within a tolerance that
// grows with distance (elastic distortion).
func consistentWithSeed(pm, gm []pmin, sp, sg, p, g uint8) bool {
	a, b := &pm[sp], &pm[p]
	c, d := &gm[sg], &gm[g]
	ixp, iyp := int(b.x-a.x), int(b.y-a.y)
	ixg, iyg := int(d.x-c.x), int(d.y-c.y)
	dxp, dyp := float32(ixp), float32(iyp)
	dxg, dyg := float32(ixg), float32(iyg)
	dp := float32(math.Sqrt(float64(dxp*dxp + dyp*dyp)))
	dg := float32(math.Sqrt(float64(dxg*dxg + dyg*dyg)))
	diff := dp - dg
	if diff < 0 {
		diff = -diff
	}
	if diff > seedDistTol+seedDistRel*max(dp, dg) {
		return false
	}
	if dp < 2*seedDistTol {
		return true
	}
	bp := bearing(ixp, iyp) - a.a
	bg := bearing(ixg, iyg) - c.a
	return absDiff8(bp, bg) <= seedBearingTol
}

// bearing is atanByte(dy, dx), read from geomTab (mirrored by the signs)
// when the offset lies within it: the same values (TestBearingTable), at
// the cost of a load.
func bearing(dx, dy int) uint8 {
	if d, phi := offsetGeom(dx, dy); d != beyondTab {
		return phi
	}
	return atanByte(float32(dy), float32(dx))
}

// grow builds the pairing from a seed by walking consistent edge pairs and
// scores it.
func (pr *Probe) grow(s seed, g *Prepared, ng int) float64 {
	pp, pg := pr.pairOfP[:len(pr.p.m)], pr.pairOfG[:ng]
	for i := range pp {
		pp[i] = -1
	}
	for i := range pg {
		pg[i] = -1
	}
	rot0 := g.m[s.g].a - pr.p.m[s.p].a
	pp[s.p], pg[s.g] = int16(s.g), int16(s.p)
	q := append(pr.queue[:0], int32(s.p)*int32(ng)+int32(s.g))
	support := 0
	for qi := 0; qi < len(q); qi++ {
		k := q[qi]
		for e := pr.head[k]; e > 0; {
			l := &pr.links[e-1]
			e = l.next
			a := l.other // the other end of the edge pair
			if absDiff8(uint8(a>>24), rot0) > rotTol {
				continue
			}
			p2, g2, w := uint8(a), uint8(a>>8), int(a>>16&0xff)
			switch {
			case pp[p2] == int16(g2):
				support += w
			case pp[p2] < 0 && pg[g2] < 0 && consistentWithSeed(pr.p.m, g.m, s.p, s.g, p2, g2):
				pp[p2], pg[g2] = int16(g2), int16(p2)
				support += w
				q = append(q, int32(p2)*int32(ng)+int32(g2))
			}
		}
	}
	pr.queue = q[:0]
	// The edge support; compare normalises it.
	return float64(support)
}

// Verify compares two templates one to one.
func Verify(a, b *Template) float64 {
	return NewProbe(a).Score(Prepare(b))
}
