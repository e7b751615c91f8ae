package finger

import (
	"math"
)

// MinutiaKind tells a ridge ending from a bifurcation.
type MinutiaKind int

// Minutia kinds.
const (
	RidgeEnding MinutiaKind = iota
	Bifurcation
)

// String returns the kind's name.
func (k MinutiaKind) String() string {
	if k == Bifurcation {
		return "bifurcation"
	}
	return "ending"
}

// Minutia is one master-print minutia at 500 dpi. Angle (radians, image
// axes, y down) points from the minutia along its ridge: into the ridge for
// an ending, along the single trunk for a bifurcation.
type Minutia struct {
	X     float64     `json:"x"`
	Y     float64     `json:"y"`
	Angle float64     `json:"angle_rad"`
	Kind  MinutiaKind `json:"kind"`
}

// MarshalText makes the kind's name its JSON form.
func (k MinutiaKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// extractMinutiae finds the minutiae of a ridge field: binarise (ridge > level),
// thin (Zhang–Suen), then classify skeleton pixels by crossing number. Points
// within ~12 px of the silhouette edge are dropped, as are clusters of
// minutiae closer than 6 px (short spurs and bridges).
func extractMinutiae(ridge, fg []float32, w, h int, level float32) []Minutia {
	sk := make([]uint8, w*h)
	for i, v := range ridge {
		if v > level && fg[i] > 0.02 {
			sk[i] = 1
		}
	}
	thin(sk, w, h)
	interior := erodeMask(fg, w, h, 12)
	var out []Minutia
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if sk[i] == 0 || !interior[i] {
				continue
			}
			nb := neighbours(sk, w, x, y)
			cn := 0
			for k := 0; k < 8; k++ {
				if nb[k] == 0 && nb[(k+1)%8] == 1 {
					cn++
				}
			}
			switch cn {
			case 1:
				out = append(out, Minutia{X: float64(x), Y: float64(y), Kind: RidgeEnding, Angle: branchAngle(sk, w, h, x, y, -1)})
			case 3:
				out = append(out, Minutia{X: float64(x), Y: float64(y), Kind: Bifurcation, Angle: trunkAngle(sk, w, h, x, y)})
			}
		}
	}
	// Drop clusters: any minutia with another within 6 px goes.
	keep := make([]bool, len(out))
	for i := range out {
		keep[i] = true
		for j := range out {
			if i != j && math.Hypot(out[i].X-out[j].X, out[i].Y-out[j].Y) < 6 {
				keep[i] = false
				break
			}
		}
	}
	res := out[:0]
	for i, m := range out {
		if keep[i] {
			res = append(res, m)
		}
	}
	return res
}

// ring8 lists the 8-neighbourhood clockwise from north.
var ring8 = [8][2]int{{0, -1}, {1, -1}, {1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}}

// neighbours returns the 8 neighbours of (x, y) in ring8 order.
func neighbours(b []uint8, w, x, y int) [8]uint8 {
	var n [8]uint8
	for k, d := range ring8 {
		n[k] = b[(y+d[1])*w+x+d[0]]
	}
	return n
}

// thin skeletonises a binary image in place with Zhang–Suen thinning.
func thin(b []uint8, w, h int) {
	var del []int
	for changed := true; changed; {
		changed = false
		for pass := 0; pass < 2; pass++ {
			del = del[:0]
			for y := 1; y < h-1; y++ {
				for x := 1; x < w-1; x++ {
					if b[y*w+x] == 0 {
						continue
					}
					n := neighbours(b, w, x, y)
					cnt, trans := 0, 0
					for k := 0; k < 8; k++ {
						cnt += int(n[k])
						if n[k] == 0 && n[(k+1)%8] == 1 {
							trans++
						}
					}
					if cnt < 2 || cnt > 6 || trans != 1 {
						continue
					}
					// n: 0=N(P2) 2=E(P4) 4=S(P6) 6=W(P8)
					if pass == 0 && (n[0]*n[2]*n[4] != 0 || n[2]*n[4]*n[6] != 0) {
						continue
					}
					if pass == 1 && (n[0]*n[2]*n[6] != 0 || n[0]*n[4]*n[6] != 0) {
						continue
					}
					del = append(del, y*w+x)
				}
			}
			for _, i := range del {
				b[i] = 0
			}
			if len(del) > 0 {
				changed = true
			}
		}
	}
}

// erodeMask marks pixels whose silhouette weight is full and that lie at
// least d pixels (city-block, approximated per axis) from any weaker pixel.
func erodeMask(fg []float32, w, h, d int) []bool {
	in := make([]bool, w*h)
	for i, v := range fg {
		in[i] = v >= 0.99
	}
	// Separable min filter: rows then columns.
	return erodeRuns(erodeRuns(in, w, h, d, 1, w), w, h, d, w, 1)
}

// erodeRuns keeps a pixel when the 2d+1 pixels centred on it along one axis
// are all set. Lines start every lineStep; samples are step apart.
func erodeRuns(in []bool, w, h, d, step, lineStep int) []bool {
	lines, length := h, w
	if step != 1 {
		lines, length = w, h
	}
	out := make([]bool, w*h)
	for l := 0; l < lines; l++ {
		run := 0
		for k := 0; k < length; k++ {
			if in[l*lineStep+k*step] {
				run++
			} else {
				run = 0
			}
			if run > 2*d {
				out[l*lineStep+(k-d)*step] = true
			}
		}
	}
	return out
}

// traceBranch walks up to 10 pixels along the skeleton from (x, y) through
// the neighbour in direction first, and returns the walk's end point.
func traceBranch(sk []uint8, w, h, x, y, first int) (int, int) {
	px, py := x, y
	cx, cy := x+ring8[first][0], y+ring8[first][1]
	for step := 0; step < 10; step++ {
		nx, ny, found := -1, -1, false
		for _, d := range ring8 {
			qx, qy := cx+d[0], cy+d[1]
			if qx <= 0 || qy <= 0 || qx >= w-1 || qy >= h-1 || (qx == px && qy == py) || (qx == x && qy == y) {
				continue
			}
			if sk[qy*w+qx] == 1 && (abs(qx-px) > 1 || abs(qy-py) > 1) {
				nx, ny, found = qx, qy, true
				break
			}
		}
		if !found {
			break
		}
		px, py, cx, cy = cx, cy, nx, ny
	}
	return cx, cy
}

// branchAngle is the direction from (x, y) to the end of a short walk along
// the skeleton through its first set neighbour (or neighbour k if k ≥ 0).
func branchAngle(sk []uint8, w, h, x, y, k int) float64 {
	if k < 0 {
		for d := range ring8 {
			if sk[(y+ring8[d][1])*w+x+ring8[d][0]] == 1 {
				k = d
				break
			}
		}
		if k < 0 {
			return 0
		}
	}
	ex, ey := traceBranch(sk, w, h, x, y, k)
	return math.Atan2(float64(ey-y), float64(ex-x))
}

// trunkAngle returns, for a bifurcation, the direction of the branch that
// differs most from the other two.
func trunkAngle(sk []uint8, w, h, x, y int) float64 {
	n := neighbours(sk, w, x, y)
	var angs []float64
	for k := 0; k < 8; k++ {
		if n[k] == 1 && n[(k+7)%8] == 0 {
			angs = append(angs, branchAngle(sk, w, h, x, y, k))
		}
	}
	if len(angs) == 0 {
		return 0
	}
	best, bestD := angs[0], -1.0
	for i, a := range angs {
		var d float64
		for j, b := range angs {
			if i != j {
				d += math.Abs(math.Remainder(a-b, 2*math.Pi))
			}
		}
		if d > bestD {
			best, bestD = a, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
