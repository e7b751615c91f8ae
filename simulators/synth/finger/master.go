package finger

import (
	"container/list"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Growth parameters of the master print.
const (
	growIters = 26  // filter-and-clip iterations at half resolution
	growGain  = 3.0 // amplification before clipping
)

// master is a grown master fingerprint: a smooth ridge field at full
// resolution (positive on ridges, about ±1) and the fingertip silhouette.
type master struct {
	model    *fingerModel
	ridge    []float32 // MasterWidth × MasterHeight
	fg       []float32 // silhouette weight 0..1
	pores    []float32 // sweat pores on ridge centres, 0..1
	minutiae []Minutia
}

// growMaster grows the master print of (identity, finger) from random seeds
// by iterative Gabor filtering tuned to the local orientation and period, at
// half resolution, then upsamples it bicubically.
func growMaster(identity uint64, finger int) *master {
	m := newFingerModel(identity, finger)
	bank := growthBank()
	R := bank.maxRadius()
	hw, hh := MasterWidth/2, MasterHeight/2
	pw := hw + 2*R
	n := pw * (hh + 2*R)

	// Filter index per half-resolution pixel, -1 outside the grown area.
	idx := make([]int32, hw*hh)
	for y := 0; y < hh; y++ {
		for x := 0; x < hw; x++ {
			fx, fy := 2*float64(x)+0.5, 2*float64(y)+0.5
			if m.insideGrown(fx, fy) {
				idx[y*hw+x] = bank.index(m.orientation(fx, fy), m.ridgePeriod(fx, fy))
			} else {
				idx[y*hw+x] = -1
			}
		}
	}

	src, dst := make([]float32, n), make([]float32, n)
	r := gen.Rand(gen.DomFingerMaster, identity, uint64(finger))
	// Seeds on a jittered grid, so growth fronts reach every part of the
	// finger within a few iterations; where fronts meet out of phase,
	// minutiae form.
	const cell = 28 // half-resolution pixels
	for gy := 0; gy < hh; gy += cell {
		for gx := 0; gx < hw; gx += cell {
			x, y := gx+r.IntN(cell), gy+r.IntN(cell)
			if x >= hw || y >= hh || idx[y*hw+x] < 0 {
				continue
			}
			v := float32(1)
			if r.IntN(2) == 0 {
				v = -1
			}
			src[(y+R)*pw+x+R] = v
		}
	}
	for it := 0; it < growIters; it++ {
		convolveBank(bank, idx, hw, hh, R, src, dst, growGain, true)
		src, dst = dst, src
	}
	// A last unclipped pass gives a smooth, band-limited field to upsample.
	convolveBank(bank, idx, hw, hh, R, src, dst, 1/1.25, false)

	ms := &master{
		model: m,
		ridge: make([]float32, MasterWidth*MasterHeight),
		fg:    make([]float32, MasterWidth*MasterHeight),
	}
	upsample2(dst, pw, R, hw, hh, ms.ridge)
	for y := 0; y < MasterHeight; y++ {
		for x := 0; x < MasterWidth; x++ {
			ms.fg[y*MasterWidth+x] = float32(m.inside(float64(x), float64(y)))
		}
	}
	ms.minutiae = extractMinutiae(ms.ridge, ms.fg, MasterWidth, MasterHeight, 0)
	ms.pores = placePores(r, ms.ridge, ms.fg)
	return ms
}

// placePores scatters small round pores on ridge centres, about one per
// 60 px² of ridge; they belong to the finger, so every impression shows the
// same pores.
func placePores(r *rand.Rand, ridge, fg []float32) []float32 {
	pores := make([]float32, len(ridge))
	n := MasterWidth * MasterHeight / 120
	for k := 0; k < n; k++ {
		x, y := 2+r.IntN(MasterWidth-4), 2+r.IntN(MasterHeight-4)
		if ridge[y*MasterWidth+x] < 0.7 || fg[y*MasterWidth+x] < 0.5 {
			continue
		}
		rad := gen.Uniform(r, 0.9, 1.6)
		for j := -2; j <= 2; j++ {
			for i := -2; i <= 2; i++ {
				v := float32(gen.Clamp(rad+0.5-math.Hypot(float64(i), float64(j)), 0, 1))
				if o := (y+j)*MasterWidth + x + i; v > pores[o] {
					pores[o] = v
				}
			}
		}
	}
	return pores
}

// insideGrown is the area where ridges are grown: the silhouette with a margin.
func (m *fingerModel) insideGrown(x, y float64) bool {
	dx := (x - m.cx) / (m.ax + 12)
	dy := 0.0
	if y < m.cy {
		dy = (y - m.cy) / (m.ay + 12)
	}
	return dx*dx+dy*dy < 1
}

// convolveBank filters src into dst with each pixel's own kernel. Both are
// padded by R on every side; pixels with idx < 0 are set to zero.
func convolveBank(b *gaborBank, idx []int32, w, h, R int, src, dst []float32, gain float32, clip bool) {
	pw := w + 2*R
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := (y+R)*pw + x + R
			k := idx[y*w+x]
			if k < 0 {
				dst[o] = 0
				continue
			}
			kn := &b.k[k]
			r := kn.r
			n := 2*r + 1
			var s float32
			for j := 0; j < n; j++ {
				row := src[o+(j-r)*pw-r : o+(j-r)*pw+r+1]
				kr := kn.w[j*n : j*n+n]
				for i, kv := range kr {
					s += kv * row[i]
				}
			}
			s *= gain
			if clip {
				if s > 1 {
					s = 1
				} else if s < -1 {
					s = -1
				}
			}
			dst[o] = s
		}
	}
}

// upsample2 doubles a padded half-resolution field into out (2w × 2h) with
// Catmull–Rom bicubic interpolation.
func upsample2(src []float32, pw, R, w, h int, out []float32) {
	W := 2 * w
	at := func(x, y int) float32 {
		x = min(max(x, 0), w-1)
		y = min(max(y, 0), h-1)
		return src[(y+R)*pw+x+R]
	}
	for Y := 0; Y < 2*h; Y++ {
		sy := (float64(Y)+0.5)/2 - 0.5
		iy := int(math.Floor(sy))
		wy := cubicWeights(float32(sy - float64(iy)))
		for X := 0; X < W; X++ {
			sx := (float64(X)+0.5)/2 - 0.5
			ix := int(math.Floor(sx))
			wx := cubicWeights(float32(sx - float64(ix)))
			var v float32
			for j := 0; j < 4; j++ {
				var row float32
				for i := 0; i < 4; i++ {
					row += wx[i] * at(ix-1+i, iy-1+j)
				}
				v += wy[j] * row
			}
			out[Y*W+X] = v
		}
	}
}

// cubicWeights returns the Catmull–Rom weights for a fractional offset t.
func cubicWeights(t float32) [4]float32 {
	t2, t3 := t*t, t*t*t
	return [4]float32{
		0.5 * (-t3 + 2*t2 - t),
		0.5 * (3*t3 - 5*t2 + 2),
		0.5 * (-3*t3 + 4*t2 + t),
		0.5 * (t3 - t2),
	}
}

// masterCache is a small LRU of grown masters keyed by (identity, finger).
type masterCache struct {
	mu    sync.Mutex
	limit int
	order *list.List // of *cacheEntry, most recent first
	items map[masterKey]*list.Element
}

type masterKey struct {
	identity uint64
	finger   int
}

type cacheEntry struct {
	key  masterKey
	once sync.Once
	m    *master
}

// masterCacheSize bounds the cache: ten fingers and then some (~2.4 MB each).
const masterCacheSize = 16

var masters = &masterCache{limit: masterCacheSize, order: list.New(), items: map[masterKey]*list.Element{}}

// get returns the master of (identity, finger), growing it at most once
// while it stays cached.
func (c *masterCache) get(identity uint64, finger int) *master {
	key := masterKey{identity, finger}
	c.mu.Lock()
	el, ok := c.items[key]
	if ok {
		c.order.MoveToFront(el)
	} else {
		el = c.order.PushFront(&cacheEntry{key: key})
		c.items[key] = el
		for c.order.Len() > c.limit {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.items, last.Value.(*cacheEntry).key)
		}
	}
	e := el.Value.(*cacheEntry)
	c.mu.Unlock()
	e.once.Do(func() { e.m = growMaster(identity, finger) })
	return e.m
}
