package finger

import (
	"math"
	"slices"
)

// blockSize is the side of the analysis blocks at 500 dpi.
const blockSize = 8

// field is the block-level description of a fingerprint: foreground mask,
// ridge orientation, coherence and ridge period.
type field struct {
	bw, bh int       // blocks across and down
	fg     []bool    // foreground blocks
	theta  []float64 // ridge direction in [0, π), per block
	coh    []float64 // orientation coherence 0..1
	energy []float64 // mean gradient energy
	period []float64 // ridge period in pixels
	obin   []uint8   // theta quantised to orientBins
}

// Orientation smoothing: Gaussian over the doubled-angle vectors of the
// blocks within orientR blocks.
const (
	orientR     = 2
	orientSigma = 1.5
)

// orientWeights are the Gaussian weights of the orientation smoothing,
// indexed by block offset + orientR.
var orientWeights = func() (w [2*orientR + 1][2*orientR + 1]float64) {
	for j := -orientR; j <= orientR; j++ {
		for i := -orientR; i <= orientR; i++ {
			di, dj := float64(i), float64(j)
			w[j+orientR][i+orientR] = math.Exp(-(di*di + dj*dj) / (2 * orientSigma * orientSigma))
		}
	}
	return w
}()

// orientBins is the number of orientation steps over π used by the filters.
const orientBins = 24

func (f *field) at(x, y int) int {
	bx, by := x/blockSize, y/blockSize
	if bx >= f.bw {
		bx = f.bw - 1
	}
	if by >= f.bh {
		by = f.bh - 1
	}
	return by*f.bw + bx
}

// isFG reports whether pixel (x, y) lies in a foreground block.
func (f *field) isFG(x, y int) bool {
	if x < 0 || y < 0 {
		return false
	}
	bx, by := x/blockSize, y/blockSize
	if bx >= f.bw || by >= f.bh {
		return false
	}
	return f.fg[by*f.bw+bx]
}

// computeField builds the orientation field and foreground mask.
//
// The orientation is the principal direction of the structure tensor of
// Sobel gradients summed over 3×3 blocks, with each gradient's magnitude
// clipped at the median over the print (gradientClip). Without the clip a
// few high-contrast blobs dominate the sums: on a dry finger whose ridges
// show as faint lines with dark dots (pores, patchy contact), the dots'
// chance arrangement rather than the ridge lines set the direction, 20–40°
// off in places, and the oriented filters then joined neighbouring ridges
// into broken ridges and spurious minutiae. Clipped, every edge pixel of
// the print weighs about the same and the continuous ridge flanks win.
// Segmentation still uses the unclipped gradient energy and coherence.
func computeField(im *Image) *field {
	w, h := im.Width, im.Height
	bw, bh := (w+blockSize-1)/blockSize, (h+blockSize-1)/blockSize
	nb := bw * bh
	// Per-block sums of the unclipped tensor, in integers (exact and fast).
	ixx := make([]int64, nb)
	iyy := make([]int64, nb)
	ixy := make([]int64, nb)
	cnt := make([]float64, nb)
	gxs := make([]int16, w*h)
	gys := make([]int16, w*h)
	p := im.Pix
	for y := 1; y < h-1; y++ {
		row := y * w
		brow := (y / blockSize) * bw
		for x := 1; x < w-1; x++ {
			i := row + x
			// Sobel.
			a, b, c := int(p[i-w-1]), int(p[i-w]), int(p[i-w+1])
			d, e := int(p[i-1]), int(p[i+1])
			f, g, hh := int(p[i+w-1]), int(p[i+w]), int(p[i+w+1])
			gx := (c + 2*e + hh) - (a + 2*d + f)
			gy := (f + 2*g + hh) - (a + 2*b + c)
			gxs[i], gys[i] = int16(gx), int16(gy)
			bi := brow + x/blockSize
			ixx[bi] += int64(gx * gx)
			iyy[bi] += int64(gy * gy)
			ixy[bi] += int64(gx * gy)
			cnt[bi]++
		}
	}
	sxx := make([]float64, nb)
	syy := make([]float64, nb)
	sxy := make([]float64, nb)
	for k := range sxx {
		sxx[k], syy[k], sxy[k] = float64(ixx[k]), float64(iyy[k]), float64(ixy[k])
	}
	fd := &field{bw: bw, bh: bh, fg: make([]bool, nb), theta: make([]float64, nb), coh: make([]float64, nb),
		energy: make([]float64, nb), period: make([]float64, nb), obin: make([]uint8, nb)}
	// Unclipped 3×3-block energy and coherence for the segmentation.
	fd.windowTensor(sxx, syy, sxy, nil, nil)
	for k := range fd.energy {
		if n := windowSum(cnt, bw, bh, k); n > 0 {
			fd.energy[k] = (windowSum(sxx, bw, bh, k) + windowSum(syy, bw, bh, k)) / n
		}
	}
	fd.segment()
	// Clip: take off each strong gradient's excess over the clip level.
	clip := fd.gradientClip(gxs, gys, w, h)
	clip2 := clip * clip
	for y := 1; y < h-1; y++ {
		row := y * w
		brow := (y / blockSize) * bw
		for bx := 0; bx < bw; bx++ {
			bi := brow + bx
			for x := max(1, bx*blockSize); x < min(w-1, (bx+1)*blockSize); x++ {
				gx, gy := int(gxs[row+x]), int(gys[row+x])
				e2 := gx*gx + gy*gy
				if e2 <= clip2 {
					continue
				}
				ex := 1 - float64(clip2)/float64(e2)
				sxx[bi] -= ex * float64(gx*gx)
				syy[bi] -= ex * float64(gy*gy)
				sxy[bi] -= ex * float64(gx*gy)
			}
		}
	}
	vx := make([]float64, nb)
	vy := make([]float64, nb)
	fd.windowTensor(sxx, syy, sxy, vx, vy)
	// Smooth the doubled-angle vectors (foreground only).
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			var sx, sy float64
			for j := max(0, by-orientR); j <= min(bh-1, by+orientR); j++ {
				for i := max(0, bx-orientR); i <= min(bw-1, bx+orientR); i++ {
					k := j*bw + i
					if !fd.fg[k] {
						continue
					}
					wgt := orientWeights[j-by+orientR][i-bx+orientR]
					sx += wgt * vx[k]
					sy += wgt * vy[k]
				}
			}
			k := by*bw + bx
			if sx == 0 && sy == 0 {
				sx, sy = vx[k], vy[k]
			}
			// Gradient direction is half the doubled angle; ridges run across it.
			t := 0.5*math.Atan2(sy, sx) + math.Pi/2
			if t >= math.Pi {
				t -= math.Pi
			}
			if t < 0 {
				t += math.Pi
			}
			fd.theta[k] = t
			fd.obin[k] = uint8(int(math.Round(t/math.Pi*orientBins)) % orientBins)
		}
	}
	return fd
}

// windowSum returns the sum of a over the 3×3 blocks around block k.
func windowSum(a []float64, bw, bh, k int) float64 {
	bx, by := k%bw, k/bw
	var s float64
	for j := max(0, by-1); j <= min(bh-1, by+1); j++ {
		for i := max(0, bx-1); i <= min(bw-1, bx+1); i++ {
			s += a[j*bw+i]
		}
	}
	return s
}

// windowTensor sums the per-block structure tensor (sxx, syy, sxy) over
// 3×3 blocks, sets f.coh from it and, when vx and vy are given, stores the
// doubled-angle vectors there.
func (f *field) windowTensor(sxx, syy, sxy, vx, vy []float64) {
	for k := range f.coh {
		gxx := windowSum(sxx, f.bw, f.bh, k)
		gyy := windowSum(syy, f.bw, f.bh, k)
		gxy := windowSum(sxy, f.bw, f.bh, k)
		f.coh[k] = 0
		if s := gxx + gyy; s > 0 {
			f.coh[k] = math.Hypot(gxx-gyy, 2*gxy) / s
		}
		if vx != nil {
			vx[k], vy[k] = gxx-gyy, 2*gxy
		}
	}
}

// gradientClip returns the median gradient magnitude over the foreground
// pixels, rounded down to an integer and then up by one (the level at which
// computeField clips gradients). The median of the rounded-down magnitudes
// is the rounded-down root of the median squared magnitude (order
// statistics commute with monotone maps), found with a coarse and a fine
// histogram of squared magnitudes, without a square root per pixel.
func (f *field) gradientClip(gxs, gys []int16, w, h int) int {
	const fineBits = 11 // squared Sobel magnitudes stay under 2·1020² < 2²¹
	var coarse [1 << (21 - fineBits)]int32
	var fine [1 << fineBits]int32
	tot := int32(0)
	f.fgSpans(w, h, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gx, gy := int(gxs[i]), int(gys[i])
			coarse[(gx*gx+gy*gy)>>fineBits]++
		}
		tot += int32(hi - lo)
	})
	if tot == 0 {
		return 1
	}
	// Rank of the median: the smallest value with at least half the pixels
	// at or below it.
	var acc int32
	bin := 0
	for b, n := range coarse {
		if 2*(acc+n) >= tot {
			bin = b
			break
		}
		acc += n
	}
	f.fgSpans(w, h, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gx, gy := int(gxs[i]), int(gys[i])
			if e2 := gx*gx + gy*gy; e2>>fineBits == bin {
				fine[e2&(1<<fineBits-1)]++
			}
		}
	})
	med := bin << fineBits
	for v, n := range fine {
		acc += n
		if 2*acc >= tot {
			med += v
			break
		}
	}
	r := int(math.Sqrt(float64(med)))
	for r*r > med {
		r--
	}
	for (r+1)*(r+1) <= med {
		r++
	}
	return r + 1
}

// fgSpans calls fn with the pixel index range [lo, hi) of every row piece
// of a foreground block inside the one-pixel image border.
func (f *field) fgSpans(w, h int, fn func(lo, hi int)) {
	for y := 1; y < h-1; y++ {
		brow := (y / blockSize) * f.bw
		for bx := 0; bx < f.bw; bx++ {
			if f.fg[brow+bx] {
				fn(y*w+max(1, bx*blockSize), y*w+min(w-1, (bx+1)*blockSize))
			}
		}
	}
}

// segment marks foreground blocks: enough gradient energy relative to the
// image's strongest blocks, then a majority filter, the largest component
// and hole filling.
func (f *field) segment() {
	nb := f.bw * f.bh
	e := slices.Clone(f.energy)
	slices.Sort(e)
	ref := e[int(float64(nb-1)*0.95)]
	thr := 0.12 * ref
	for k := range f.fg {
		f.fg[k] = f.energy[k] > thr && f.coh[k] > 0.05
	}
	tmp := make([]bool, nb)
	for iter := 0; iter < 2; iter++ {
		for by := 0; by < f.bh; by++ {
			for bx := 0; bx < f.bw; bx++ {
				n, t := 0, 0
				for j := by - 1; j <= by+1; j++ {
					for i := bx - 1; i <= bx+1; i++ {
						t++
						if i >= 0 && j >= 0 && i < f.bw && j < f.bh && f.fg[j*f.bw+i] {
							n++
						}
					}
				}
				tmp[by*f.bw+bx] = n >= 5
			}
		}
		f.fg, tmp = tmp, f.fg
	}
	f.keepLargest()
	f.fillHoles()
}

// keepLargest keeps the largest 4-connected foreground component.
func (f *field) keepLargest() {
	label := make([]int32, len(f.fg))
	var best, bestSize int32
	var stack []int
	var next int32
	for s := range f.fg {
		if !f.fg[s] || label[s] != 0 {
			continue
		}
		next++
		size := int32(0)
		stack = append(stack[:0], s)
		label[s] = next
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			bx, by := k%f.bw, k/f.bw
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				i, j := bx+d[0], by+d[1]
				if i < 0 || j < 0 || i >= f.bw || j >= f.bh {
					continue
				}
				n := j*f.bw + i
				if f.fg[n] && label[n] == 0 {
					label[n] = next
					stack = append(stack, n)
				}
			}
		}
		if size > bestSize {
			best, bestSize = next, size
		}
	}
	for k := range f.fg {
		f.fg[k] = label[k] == best && best != 0
	}
}

// fillHoles turns background blocks not connected to the image border into
// foreground.
func (f *field) fillHoles() {
	outside := make([]bool, len(f.fg))
	var stack []int
	push := func(k int) {
		if !f.fg[k] && !outside[k] {
			outside[k] = true
			stack = append(stack, k)
		}
	}
	for bx := 0; bx < f.bw; bx++ {
		push(bx)
		push((f.bh-1)*f.bw + bx)
	}
	for by := 0; by < f.bh; by++ {
		push(by * f.bw)
		push(by*f.bw + f.bw - 1)
	}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		bx, by := k%f.bw, k/f.bw
		if bx > 0 {
			push(k - 1)
		}
		if bx < f.bw-1 {
			push(k + 1)
		}
		if by > 0 {
			push(k - f.bw)
		}
		if by < f.bh-1 {
			push(k + f.bw)
		}
	}
	for k := range f.fg {
		if !outside[k] {
			f.fg[k] = true
		}
	}
}

// Ridge period limits at 500 dpi (0.2–0.6 mm covers adult and child prints).
const (
	minPeriod     = 4.5
	maxPeriod     = 15.0
	defaultPeriod = 9.0
)

// estimatePeriods measures the ridge period on every second block from the
// spectrum of a grey-level signature across the ridges, then fills and
// smooths the map.
func (f *field) estimatePeriods(im *Image) {
	const half = sigHalf // signature half length across the ridges
	const along = 4      // samples on each side along the ridge
	w, h := im.Width, im.Height
	raw := make([]float64, len(f.period))
	conf := make([]float64, len(f.period))
	var sig [2 * half]float64
	var valid []float64
	for by := 0; by < f.bh; by += 2 {
		for bx := 0; bx < f.bw; bx += 2 {
			k := by*f.bw + bx
			if !f.fg[k] {
				continue
			}
			cx := float64(bx*blockSize + blockSize/2)
			cy := float64(by*blockSize + blockSize/2)
			t := f.theta[k]
			tx, ty := math.Cos(t), math.Sin(t)
			nx, ny := -ty, tx
			ok := true
			for s := -half; s < half && ok; s++ {
				var sum float64
				for l := -along; l <= along; l++ {
					x := int(cx + float64(s)*nx + float64(l)*tx + 0.5)
					y := int(cy + float64(s)*ny + float64(l)*ty + 0.5)
					if x < 0 || y < 0 || x >= w || y >= h {
						ok = false
						break
					}
					sum += float64(im.Pix[y*w+x])
				}
				sig[s+half] = sum
			}
			if !ok {
				continue
			}
			if p, c := signaturePeriod(sig[:]); p > 0 {
				raw[k], conf[k] = p, c
				valid = append(valid, p)
			}
		}
	}
	def := defaultPeriod
	if len(valid) > 0 {
		slices.Sort(valid)
		def = valid[len(valid)/2]
	}
	// Each block takes the mean of measured blocks within 2 blocks,
	// weighted by how clearly each measured a wave, else the image's median
	// period.
	for by := 0; by < f.bh; by++ {
		for bx := 0; bx < f.bw; bx++ {
			var s, sw float64
			n := 0
			for j := max(0, by-2); j <= min(f.bh-1, by+2); j++ {
				for i := max(0, bx-2); i <= min(f.bw-1, bx+2); i++ {
					if v := raw[j*f.bw+i]; v > 0 {
						c := conf[j*f.bw+i]
						s += c * v
						sw += c
						n++
					}
				}
			}
			if n >= 2 {
				f.period[by*f.bw+bx] = s / sw
			} else {
				f.period[by*f.bw+bx] = def
			}
		}
	}
}

// Spectral period estimation: the power of the signature (2·sigHalf
// samples across the ridges) is evaluated at candidate periods from
// minPeriod to maxPeriod in specStep steps and the strongest is refined by
// parabolic interpolation. Unlike counting zero crossings, a ridge blurred
// out or split by noise does not bias the estimate, and the share of the
// signature's power at the peak says how clearly it is a wave.
const (
	sigHalf      = 16
	specStep     = 0.25
	specBins     = int((maxPeriod-minPeriod)/specStep) + 1
	minPeakShare = 0.25 // below it the signature is not taken for a ridge wave
)

// specCos and specSin are the candidate periods' cosine and sine tables.
var specCos, specSin = func() (c, s [specBins][2 * sigHalf]float64) {
	for b := 0; b < specBins; b++ {
		p := minPeriod + float64(b)*specStep
		for i := 0; i < 2*sigHalf; i++ {
			c[b][i] = math.Cos(2 * math.Pi * float64(i) / p)
			s[b][i] = math.Sin(2 * math.Pi * float64(i) / p)
		}
	}
	return c, s
}()

// signaturePeriod returns the dominant period of a signature across the
// ridges and the share of the signature's power in it (1 for a pure wave),
// or 0, 0 when it is not a clear wave with its period inside the band.
func signaturePeriod(sig []float64) (period, share float64) {
	n := 2 * sigHalf
	if len(sig) != n {
		return 0, 0
	}
	var mean float64
	for _, v := range sig {
		mean += v
	}
	mean /= float64(n)
	var x [2 * sigHalf]float64
	var total float64
	for i, v := range sig {
		x[i] = v - mean
		total += x[i] * x[i]
	}
	if total < float64(n) { // flat: under about one grey level of amplitude
		return 0, 0
	}
	var pow [specBins]float64
	best := 0
	for b := range pow {
		var re, im float64
		for i := range x {
			re += specCos[b][i] * x[i]
			im += specSin[b][i] * x[i]
		}
		pow[b] = re*re + im*im
		if pow[b] > pow[best] {
			best = b
		}
	}
	if best == 0 || best == specBins-1 {
		return 0, 0 // the true period lies outside the band
	}
	// A pure wave of n samples has power n/2·total at its period.
	share = pow[best] / (total * float64(n) / 2)
	if share < minPeakShare {
		return 0, 0
	}
	off := 0.0
	if a, b, c := pow[best-1], pow[best], pow[best+1]; a-2*b+c < 0 {
		off = 0.5 * (a - c) / (a - 2*b + c)
	}
	return minPeriod + (float64(best)+off)*specStep, share
}
