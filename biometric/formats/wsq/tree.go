package wsq

// rect is a rectangle of the coefficient plane.
type rect struct{ x, y, w, h int }

// transformNode is one region split by a single 2-D wavelet step; invX and
// invY put the high-pass half first along that axis ("spectral inversion").
type transformNode struct {
	r          rect
	invX, invY bool
}

// layout is the decomposition of one image size: the transform steps in
// analysis order (each parent before its children) and the 64 subbands.
type layout struct {
	nodes []transformNode
	bands [numBands]rect
}

// shape describes the WSQ wavelet packet tree. A nil child is a subband; a
// node with transform false is only cut into quarters (subbands 60-63 of
// the diagonal detail, which the standard discards).
type shape struct {
	transform bool
	kids      [4]*shape
}

// wsqShape is the fixed tree of the specification: the first level's
// low band is split twice more (with its low band split twice again, the
// lowest quarter once more), the two mixed bands of the second level are
// split twice, and the first level's detail bands once.
var wsqShape = func() *shape {
	once := &shape{transform: true}
	twice := &shape{transform: true, kids: [4]*shape{once, once, once, once}}
	deep := &shape{transform: true, kids: [4]*shape{once}}
	low2 := &shape{transform: true, kids: [4]*shape{deep, once, once, once}}
	low1 := &shape{transform: true, kids: [4]*shape{low2, twice, twice, nil}}
	return &shape{transform: true, kids: [4]*shape{low1, once, once, {}}}
}()

// quarters splits r into top-left, top-right, bottom-left and bottom-right.
// The low-pass half of an axis has ceil(n/2) samples; it comes first unless
// that axis is inverted.
func quarters(r rect, invX, invY bool) [4]rect {
	fx := (r.w + 1) / 2
	if invX {
		fx = r.w / 2
	}
	fy := (r.h + 1) / 2
	if invY {
		fy = r.h / 2
	}
	return [4]rect{
		{r.x, r.y, fx, fy},
		{r.x + fx, r.y, r.w - fx, fy},
		{r.x, r.y + fy, fx, r.h - fy},
		{r.x + fx, r.y + fy, r.w - fx, r.h - fy},
	}
}

// newLayout computes the transform steps and subband rectangles for an
// image of w×h pixels. A quadrant inherits inversion from its place: the
// right column is inverted along x, the bottom row along y.
func newLayout(w, h int) *layout {
	l := &layout{}
	band := 0
	var visit func(s *shape, r rect, invX, invY bool)
	visit = func(s *shape, r rect, invX, invY bool) {
		if s == nil {
			l.bands[band] = r
			band++
			return
		}
		if s.transform {
			l.nodes = append(l.nodes, transformNode{r, invX, invY})
		}
		q := quarters(r, invX, invY)
		for i, k := range s.kids {
			visit(k, q[i], i&1 == 1, i&2 == 2)
		}
	}
	visit(wsqShape, rect{0, 0, w, h}, false, false)
	return l
}
