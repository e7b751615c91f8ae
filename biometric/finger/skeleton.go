package finger

// Neighbour ring order used by the lookup tables: N, NE, E, SE, S, SW, W, NW.
var ringDX = [8]int{0, 1, 1, 1, 0, -1, -1, -1}
var ringDY = [8]int{-1, -1, 0, 1, 1, 1, 0, -1}

// Lookup tables indexed by the 8-bit neighbour pattern.
var (
	zsDel1, zsDel2 [256]bool  // Zhang–Suen deletions, first and second sub-iteration
	components     [256]uint8 // 8-connected components among the set neighbours
	neighbours     [256]uint8 // number of set neighbours
	crossing       [256]uint8 // crossing number: 0→1 transitions around the ring
)

func init() {
	for m := 0; m < 256; m++ {
		p := func(i int) int { return (m >> (i % 8)) & 1 }
		b, a := 0, 0
		for i := 0; i < 8; i++ {
			b += p(i)
			if p(i) == 0 && p(i+1) == 1 {
				a++
			}
		}
		neighbours[m] = uint8(b)
		crossing[m] = uint8(a)
		// P2=N(0) P4=E(2) P6=S(4) P8=W(6)
		base := b >= 2 && b <= 6 && a == 1
		zsDel1[m] = base && p(0)*p(2)*p(4) == 0 && p(2)*p(4)*p(6) == 0
		zsDel2[m] = base && p(0)*p(2)*p(6) == 0 && p(0)*p(4)*p(6) == 0
		// Components: ring neighbours are adjacent, and so are two
		// 4-neighbours separated by a diagonal (N–E, E–S, S–W, W–N).
		parent := [8]int{0, 1, 2, 3, 4, 5, 6, 7}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				i = parent[i]
			}
			return i
		}
		union := func(i, j int) {
			if p(i) == 1 && p(j) == 1 {
				parent[find(i)] = find(j)
			}
		}
		for i := 0; i < 8; i++ {
			union(i, (i+1)%8)
		}
		for i := 0; i < 8; i += 2 {
			union(i, (i+2)%8)
		}
		c := 0
		for i := 0; i < 8; i++ {
			if p(i) == 1 && find(i) == i {
				c++
			}
		}
		components[m] = uint8(c)
	}
}

// skel is a binary image with a one-pixel zero border.
type skel struct {
	w, h   int // inner size
	stride int
	px     []uint8
}

func (s *skel) idx(x, y int) int { return (y+1)*s.stride + x + 1 }

// pattern returns the neighbour bits of padded index i.
func (s *skel) pattern(i int) uint8 {
	st := s.stride
	p := s.px
	var m uint8
	if p[i-st] != 0 {
		m |= 1
	}
	if p[i-st+1] != 0 {
		m |= 2
	}
	if p[i+1] != 0 {
		m |= 4
	}
	if p[i+st+1] != 0 {
		m |= 8
	}
	if p[i+st] != 0 {
		m |= 16
	}
	if p[i+st-1] != 0 {
		m |= 32
	}
	if p[i-1] != 0 {
		m |= 64
	}
	if p[i-st-1] != 0 {
		m |= 128
	}
	return m
}

// binarize returns the ridge map: filter response below zero inside the
// foreground.
func binarize(resp []float32, rstride int, w, h int, f *field) *skel {
	s := &skel{w: w, h: h, stride: w + 2, px: make([]uint8, (w+2)*(h+2))}
	for y := 0; y < h; y++ {
		row := (y + pad) * rstride
		for x := 0; x < w; x++ {
			if resp[row+x+pad] < 0 && f.fg[f.at(x, y)] {
				s.px[s.idx(x, y)] = 1
			}
		}
	}
	return s
}

// thin reduces the ridge map to a one-pixel, 8-connected skeleton:
// Zhang–Suen, then removal of staircase pixels whose neighbours stay
// connected without them.
func (s *skel) thin() {
	var live []int32
	for i, v := range s.px {
		if v != 0 {
			live = append(live, int32(i))
		}
	}
	var del []int32
	for changed := true; changed; {
		changed = false
		for _, tab := range []*[256]bool{&zsDel1, &zsDel2} {
			del = del[:0]
			for _, i := range live {
				if tab[s.pattern(int(i))] {
					del = append(del, i)
				}
			}
			for _, i := range del {
				s.px[i] = 0
			}
			if len(del) > 0 {
				changed = true
				n := 0
				for _, i := range live {
					if s.px[i] != 0 {
						live[n] = i
						n++
					}
				}
				live = live[:n]
			}
		}
	}
	for _, i := range live {
		m := s.pattern(int(i))
		if neighbours[m] >= 2 && components[m] == 1 {
			s.px[i] = 0
		}
	}
}
