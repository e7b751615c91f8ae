package quality

import "image"

// countCell is the side of the cells CountFingers classifies: half
// Segment's, so the narrow gap between two fingertips on a slap scaled to
// a small platen still shows (measured on synthetic slaps: 24 of 24
// counted right at 4 px, 19 of 24 at 8 px on a 960×440 reader).
const countCell = 4

// valleyDepth is how deep, as a share of the lower of the two peaks beside
// it, a dip in a contact's column profile must go to part two fingers.
const valleyDepth = 0.5

// CountFingers counts the fingers on a slap image: each connected patch of
// ridge contrast (Segment's test, on smaller cells) is one contact, unless its
// column profile dips between two peaks to under half the lower one —
// two fingertips touching side by side — when each dip adds a finger.
// Patches smaller than minShare of the largest are dust or a grazing
// knuckle, not fingers.
func CountFingers(img *image.Gray) int {
	b := img.Bounds()
	bw, bh := b.Dx()/countCell, b.Dy()/countCell
	if bw == 0 || bh == 0 {
		return 0
	}
	fg, _ := foreground(img, countCell, bw, bh)
	comps := components(fg, bw, bh)
	largest := 0
	for _, c := range comps {
		largest = max(largest, len(c))
	}
	n := 0
	for _, c := range comps {
		if float64(len(c)) < minShare*float64(largest) {
			continue
		}
		prof := make([]int, bw)
		for _, i := range c {
			prof[i%bw]++
		}
		n += 1 + valleys(prof)
	}
	return n
}

// components returns the 4-connected groups of foreground cells.
func components(fg []bool, bw, bh int) [][]int {
	seen := make([]bool, len(fg))
	var out [][]int
	for i, on := range fg {
		if !on || seen[i] {
			continue
		}
		seen[i] = true
		comp, stack := []int{}, []int{i}
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			comp = append(comp, c)
			x, y := c%bw, c/bw
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= bw || ny >= bh {
					continue
				}
				if j := ny*bw + nx; fg[j] && !seen[j] {
					seen[j] = true
					stack = append(stack, j)
				}
			}
		}
		out = append(out, comp)
	}
	return out
}

// valleys counts the deep dips of a profile: a minimum under valleyDepth of
// the lower of the highest values on its left (since the last dip) and on
// its right.
func valleys(prof []int) int {
	n, peak := 0, 0
	for x := 0; x < len(prof); x++ {
		peak = max(peak, prof[x])
		if prof[x] == 0 || peak == 0 {
			continue
		}
		// The lowest point of the descent that starts here.
		if x+1 >= len(prof) || prof[x+1] >= prof[x] {
			continue
		}
		m := x + 1
		for m+1 < len(prof) && prof[m+1] <= prof[m] && prof[m+1] > 0 {
			m++
		}
		right := 0
		for k := m; k < len(prof) && prof[k] > 0; k++ {
			right = max(right, prof[k])
		}
		if float64(prof[m]) < valleyDepth*float64(min(peak, right)) {
			n++
			peak = 0
		}
		x = m - 1
	}
	return n
}
