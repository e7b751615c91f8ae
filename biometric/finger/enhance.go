package finger

import (
	"math"
	"sync"
)

// Filter geometry at 500 dpi.
const (
	pad         = maxAcrossR + alongTaps + 1 // border added around the image for the filters
	alongTaps   = 12                         // most taps on each side along the ridge
	periodStep  = 0.5                        // period quantisation of the band-pass bank
	periodBins  = int((maxPeriod-minPeriod)/periodStep) + 1
	maxAcrossR  = 10
	acrossSigma = 0.5 // band-pass Gaussian width in ridge periods
)

// Along-ridge smoothing adapts to the ridge flow's orientation coherence
// (averaged over 3×3 blocks, 24 pixels): where the flow is clean
// (coherence ≥ cohClean) the Gaussian along the ridge has sigma
// alongSigmaMin, where it is noisy (≤ cohNoisy: dry or blotchy skin,
// broken ridges) alongSigmaMax, in alongLevels steps between. Longer
// smoothing bridges the gaps of broken ridges; on clean ridges it would
// also close true ridge endings, so it is kept short there.
const (
	alongSigmaMin = 4.5
	alongSigmaMax = 7.0
	cohClean      = 0.5
	cohNoisy      = 0.2
	alongLevels   = 8
)

// kernel is one oriented 1-D filter: pixel offsets in the padded image and
// weights.
type kernel struct {
	off []int32
	w   []float32
}

type filterBank struct {
	stride int
	across [orientBins][periodBins]kernel
}

var banks sync.Map // stride → *filterBank

func bankFor(stride int) *filterBank {
	if b, ok := banks.Load(stride); ok {
		return b.(*filterBank)
	}
	fb := &filterBank{stride: stride}
	for o := 0; o < orientBins; o++ {
		t := float64(o) * math.Pi / orientBins
		tx, ty := math.Cos(t), math.Sin(t)
		nx, ny := -ty, tx
		for p := 0; p < periodBins; p++ {
			period := minPeriod + float64(p)*periodStep
			sigma := acrossSigma * period
			r := min(maxAcrossR, int(math.Ceil(1.5*sigma)))
			var a kernel
			ws := make([]float64, 0, 2*r+1)
			var g, gs float64
			for i := -r; i <= r; i++ {
				e := math.Exp(-float64(i*i) / (2 * sigma * sigma))
				ws = append(ws, e*math.Cos(2*math.Pi*float64(i)/period))
				g += e
				gs += e * math.Cos(2*math.Pi*float64(i)/period)
			}
			// Remove the DC response so flat regions give zero.
			var norm float64
			for i := -r; i <= r; i++ {
				e := math.Exp(-float64(i*i) / (2 * sigma * sigma))
				ws[i+r] -= e * gs / g
				norm += math.Abs(ws[i+r])
			}
			for i := -r; i <= r; i++ {
				a.off = append(a.off, int32(int(math.Round(float64(i)*ny))*stride+int(math.Round(float64(i)*nx))))
				a.w = append(a.w, float32(ws[i+r]/norm))
			}
			fb.across[o][p] = a
		}
	}
	b, _ := banks.LoadOrStore(stride, fb)
	return b.(*filterBank)
}

// enhance filters the image along and across the local ridge direction and
// returns the filter response (padded layout, negative on ridges) and the
// padded stride.
func enhance(im *Image, f *field) ([]float32, int) {
	w, h := im.Width, im.Height
	stride := w + 2*pad
	ph := h + 2*pad
	src := make([]float32, stride*ph)
	for y := -pad; y < h+pad; y++ {
		sy := clampInt(y, 0, h-1)
		row := (y + pad) * stride
		for x := -pad; x < w+pad; x++ {
			src[row+x+pad] = float32(im.Pix[sy*w+clampInt(x, 0, w-1)])
		}
	}
	fb := bankFor(stride)
	// Pixels near the foreground need the along-ridge pass; grow the block
	// mask by two blocks for the across pass's reach.
	near := make([]bool, f.bw*f.bh)
	for by := 0; by < f.bh; by++ {
		for bx := 0; bx < f.bw; bx++ {
			if !f.fg[by*f.bw+bx] {
				continue
			}
			for j := max(0, by-2); j <= min(f.bh-1, by+2); j++ {
				for i := max(0, bx-2); i <= min(f.bw-1, bx+2); i++ {
					near[j*f.bw+i] = true
				}
			}
		}
	}
	alongOff := curvedOffsets(f, stride)
	level := alongLevelMap(f)
	sm := make([]float32, len(src))
	for y := -maxAcrossR; y < h+maxAcrossR; y++ {
		row := (y + pad) * stride
		for x := -maxAcrossR; x < w+maxAcrossR; x++ {
			k := f.at(clampInt(x, 0, w-1), clampInt(y, 0, h-1))
			if !near[k] {
				continue
			}
			lv := &alongLevelW[level[k]]
			offs := alongOff[k*alongLen+alongTaps-lv.taps : k*alongLen+alongTaps+lv.taps+1]
			wts := lv.w[alongTaps-lv.taps:]
			i := row + x + pad
			var s float32
			for t, o := range offs {
				s += wts[t] * src[i+int(o)]
			}
			sm[i] = s
		}
	}
	out := make([]float32, len(src))
	for y := 0; y < h; y++ {
		row := (y + pad) * stride
		for x := 0; x < w; x++ {
			k := f.at(x, y)
			if !f.fg[k] {
				continue
			}
			pb := int(math.Round((f.period[k] - minPeriod) / periodStep))
			pb = clampInt(pb, 0, periodBins-1)
			kern := &fb.across[f.obin[k]][pb]
			i := row + x + pad
			var s float32
			for t, o := range kern.off {
				s += kern.w[t] * sm[i+int(o)]
			}
			out[i] = s
		}
	}
	return out, stride
}

const alongLen = 2*alongTaps + 1

// alongLevel is one along-ridge Gaussian: its taps on each side and the
// weights, centred at index alongTaps.
type alongLevel struct {
	taps int
	w    [alongLen]float32
}

// alongLevels holds the along-ridge Gaussians from alongSigmaMin (level 0)
// to alongSigmaMax.
var alongLevelW = func() (ls [alongLevels]alongLevel) {
	for l := range ls {
		sig := alongSigmaMin + (alongSigmaMax-alongSigmaMin)*float64(l)/(alongLevels-1)
		taps := min(alongTaps, int(math.Round(1.8*sig)))
		var sum float64
		for i := -taps; i <= taps; i++ {
			sum += math.Exp(-float64(i*i) / (2 * sig * sig))
		}
		ls[l].taps = taps
		for i := -taps; i <= taps; i++ {
			ls[l].w[alongTaps+i] = float32(math.Exp(-float64(i*i)/(2*sig*sig)) / sum)
		}
	}
	return ls
}()

// curvedOffsets traces, for every block, the ridge flow line through its
// centre one pixel at a time in both directions, following the orientation
// field, and returns the tap offsets (padded layout) of each block's
// along-ridge filter. Following the flow keeps the smoothing on the ridge
// where ridges curve (cores, deltas), so it can be long enough to bridge
// gaps and noise.
func curvedOffsets(f *field, stride int) []int32 {
	tx := make([]float64, len(f.theta))
	ty := make([]float64, len(f.theta))
	for k, t := range f.theta {
		tx[k], ty[k] = math.Cos(t), math.Sin(t)
	}
	maxX, maxY := f.bw*blockSize-1, f.bh*blockSize-1
	out := make([]int32, len(f.theta)*alongLen)
	for by := 0; by < f.bh; by++ {
		for bx := 0; bx < f.bw; bx++ {
			k := by*f.bw + bx
			offs := out[k*alongLen : (k+1)*alongLen]
			cx := float64(bx*blockSize + blockSize/2)
			cy := float64(by*blockSize + blockSize/2)
			for _, sgn := range [2]float64{1, -1} {
				x, y := cx, cy
				dx, dy := sgn*tx[k], sgn*ty[k]
				for step := 1; step <= alongTaps; step++ {
					x += dx
					y += dy
					xi := clampInt(int(x+0.5), 0, maxX)
					yi := clampInt(int(y+0.5), 0, maxY)
					n := (yi/blockSize)*f.bw + xi/blockSize
					ndx, ndy := tx[n], ty[n]
					if ndx*dx+ndy*dy < 0 {
						ndx, ndy = -ndx, -ndy
					}
					dx, dy = ndx, ndy
					ox := int(math.Round(x - cx))
					oy := int(math.Round(y - cy))
					offs[alongTaps+int(sgn)*step] = int32(oy*stride + ox)
				}
			}
		}
	}
	return out
}

// alongLevelMap picks each block's along-ridge smoothing level from its
// orientation coherence (f.coh, measured over the 3×3 blocks around it).
func alongLevelMap(f *field) []uint8 {
	level := make([]uint8, len(f.coh))
	for k, c := range f.coh {
		a := (cohClean - c) / (cohClean - cohNoisy)
		level[k] = uint8(math.Round(math.Max(0, math.Min(1, a)) * (alongLevels - 1)))
	}
	return level
}
