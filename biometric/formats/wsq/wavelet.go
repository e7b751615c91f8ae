package wsq

import "fmt"

// filterBank holds a symmetric odd-length biorthogonal filter pair as
// centre-first half filters: h0 the analysis low-pass (lo[j] = lo[-j]), h1
// the analysis high-pass; g0 and g1 are the synthesis filters derived from
// them by alternating signs.
type filterBank struct {
	h0, h1 []float32
	g0, g1 []float32
}

// standardLow and standardHigh are the 9/7 analysis filters of the
// specification, centre tap first.
var (
	standardLow  = []float64{0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507}
	standardHigh = []float64{0.788485616406, -0.418092273222, -0.040689417609, 0.064538882629}
)

// newFilterBank builds the bank from centre-first half filters.
func newFilterBank(low, high []float32) (*filterBank, error) {
	if len(low) == 0 || len(high) == 0 {
		return nil, fmt.Errorf("%w: empty wavelet filter", ErrFormat)
	}
	fb := &filterBank{h0: low, h1: high}
	fb.g0 = alternate(high)
	fb.g1 = alternate(low)
	return fb, nil
}

// alternate returns f with every odd tap negated.
func alternate(f []float32) []float32 {
	g := make([]float32, len(f))
	for j, v := range f {
		if j%2 == 1 {
			v = -v
		}
		g[j] = v
	}
	return g
}

// margin is the widest half filter the bank supports; DTT parsing rejects
// longer filters.
const margin = 16

// mirror maps an index of the whole-sample symmetric extension of a signal
// of n samples (x[-1] = x[1], x[n] = x[n-2]) back into [0, n).
func mirror(m, n int) int {
	if n == 1 {
		return 0
	}
	p := 2 * (n - 1)
	m %= p
	if m < 0 {
		m += p
	}
	if m >= n {
		m = p - m
	}
	return m
}

// lineBuf is scratch space for one line of a 1-D transform.
type lineBuf struct {
	ext []float32 // extended input, margin samples either side
	lo  []float32 // extended upsampled low band
	hi  []float32 // extended upsampled high band
	out []float32
}

func newLineBuf(n int) *lineBuf {
	return &lineBuf{
		ext: make([]float32, n+2*margin),
		lo:  make([]float32, n+2*margin),
		hi:  make([]float32, n+2*margin),
		out: make([]float32, n),
	}
}

// analyze splits the n samples of x (in place, n = len(x)) into the low
// band (ceil(n/2) samples centred on even positions) and the high band
// (floor(n/2) samples centred on odd positions), stored low first, or high
// first when inv is set.
func (fb *filterBank) analyze(x []float32, b *lineBuf, inv bool) {
	n := len(x)
	ext := b.ext[:n+2*margin]
	copy(ext[margin:], x)
	for i := 1; i <= margin; i++ {
		ext[margin-i] = x[mirror(-i, n)]
		ext[margin+n-1+i] = x[mirror(n-1+i, n)]
	}
	nl, nh := (n+1)/2, n/2
	lo, hi := b.out[:nl], b.out[nl:n]
	if inv {
		hi, lo = b.out[:nh], b.out[nh:n]
	}
	for k := range nl {
		c := 2*k + margin
		s := fb.h0[0] * ext[c]
		for j := 1; j < len(fb.h0); j++ {
			s += fb.h0[j] * (ext[c-j] + ext[c+j])
		}
		lo[k] = s
	}
	for k := range nh {
		c := 2*k + 1 + margin
		s := fb.h1[0] * ext[c]
		for j := 1; j < len(fb.h1); j++ {
			s += fb.h1[j] * (ext[c-j] + ext[c+j])
		}
		hi[k] = s
	}
	copy(x, b.out[:n])
}

// synthesize inverts analyze on the n samples of x, in place.
func (fb *filterBank) synthesize(x []float32, b *lineBuf, inv bool) {
	n := len(x)
	nl, nh := (n+1)/2, n/2
	lo, hi := x[:nl], x[nl:n]
	if inv {
		hi, lo = x[:nh], x[nh:n]
	}
	ulo, uhi := b.lo[:n+2*margin], b.hi[:n+2*margin]
	fill := func(i, m int) {
		switch {
		case n == 1 && i%2 != 0:
			// A single sample has no symmetric extension that keeps
			// the parity of positions; its upsampled low band is
			// zero at odd positions.
			ulo[i+margin], uhi[i+margin] = 0, 0
		case m%2 == 0:
			ulo[i+margin], uhi[i+margin] = lo[m/2], 0
		default:
			ulo[i+margin], uhi[i+margin] = 0, hi[m/2]
		}
	}
	for i := range n {
		fill(i, i)
	}
	for i := 1; i <= margin; i++ {
		fill(-i, mirror(-i, n))
		fill(n-1+i, mirror(n-1+i, n))
	}
	out := b.out[:n]
	// Polyphase: the low band lives on even positions and the high band on
	// odd ones, so only taps of matching parity contribute.
	for i := range n {
		c := i + margin
		same, other := ulo, uhi
		gs, go_ := fb.g0, fb.g1
		if i%2 == 1 {
			same, other = uhi, ulo
			gs, go_ = fb.g1, fb.g0
		}
		s := gs[0] * same[c]
		for j := 2; j < len(gs); j += 2 {
			s += gs[j] * (same[c-j] + same[c+j])
		}
		for j := 1; j < len(go_); j += 2 {
			s += go_[j] * (other[c-j] + other[c+j])
		}
		out[i] = s
	}
	copy(x, out)
}

// plane is a float coefficient image.
type plane struct {
	w, h int
	pix  []float32
}

// decompose runs the wavelet packet analysis of l on p, rows then columns
// at each node.
func (fb *filterBank) decompose(p *plane, l *layout) {
	n := max(p.w, p.h)
	b := newLineBuf(n)
	line := make([]float32, n)
	for _, nd := range l.nodes {
		fb.rows(p, nd, b, line, fb.analyze)
		fb.cols(p, nd, b, line, fb.analyze)
	}
}

// reconstruct inverts decompose: children before parents, columns then rows.
func (fb *filterBank) reconstruct(p *plane, l *layout) {
	n := max(p.w, p.h)
	b := newLineBuf(n)
	line := make([]float32, n)
	for i := len(l.nodes) - 1; i >= 0; i-- {
		nd := l.nodes[i]
		fb.cols(p, nd, b, line, fb.synthesize)
		fb.rows(p, nd, b, line, fb.synthesize)
	}
}

type lineFunc func(x []float32, b *lineBuf, inv bool)

func (fb *filterBank) rows(p *plane, nd transformNode, b *lineBuf, _ []float32, f lineFunc) {
	r := nd.r
	if r.w == 0 {
		return
	}
	for y := r.y; y < r.y+r.h; y++ {
		f(p.pix[y*p.w+r.x:y*p.w+r.x+r.w], b, nd.invX)
	}
}

func (fb *filterBank) cols(p *plane, nd transformNode, b *lineBuf, line []float32, f lineFunc) {
	r := nd.r
	if r.h == 0 {
		return
	}
	col := line[:r.h]
	for x := r.x; x < r.x+r.w; x++ {
		for i := range r.h {
			col[i] = p.pix[(r.y+i)*p.w+x]
		}
		f(col, b, nd.invY)
		for i := range r.h {
			p.pix[(r.y+i)*p.w+x] = col[i]
		}
	}
}
