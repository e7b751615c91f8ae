package iris

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/rekam-ktp/rekam/simulators/synth/internal/gen"
)

// Default iris image size: CASIA-like NIR eye images. Options can ask
// for another canvas (e.g. 640×480 VGA) around an eye of the same size.
const (
	Width  = 320
	Height = 280
)

// Iris texture grid in normalised polar coordinates (ρ from pupil to limbus, θ).
const (
	irisTexR = 48
	irisTexT = 512
)

// Geometry is the ground truth of one iris impression, in pixels (x
// right, y down). The texture is fixed in the rubber-sheet frame: a point
// at normalised radius ρ (0 pupil edge, 1 limbus) and angle θ − Rotation
// (θ measured from the pupil centre, image axes) is the same iris tissue in
// every impression.
type Geometry struct {
	PupilX float64 `json:"pupil_x"`
	PupilY float64 `json:"pupil_y"`
	PupilR float64 `json:"pupil_r"`
	IrisX  float64 `json:"iris_x"`
	IrisY  float64 `json:"iris_y"`
	IrisR  float64 `json:"iris_r"`
	// Rotation of the eye in radians relative to impression 0's frame.
	Rotation float64 `json:"rotation_rad"`
	// UpperLid and LowerLid are parabolas y = Apex + Curv·(x − IrisX)².
	UpperLidApex float64 `json:"upper_lid_apex"`
	UpperLidCurv float64 `json:"upper_lid_curv"`
	LowerLidApex float64 `json:"lower_lid_apex"`
	LowerLidCurv float64 `json:"lower_lid_curv"`
}

// UpperLidAt returns the y of the upper eyelid margin at column x.
func (g Geometry) UpperLidAt(x float64) float64 {
	return g.UpperLidApex + g.UpperLidCurv*(x-g.IrisX)*(x-g.IrisX)
}

// LowerLidAt returns the y of the lower eyelid margin at column x.
func (g Geometry) LowerLidAt(x float64) float64 {
	return g.LowerLidApex + g.LowerLidCurv*(x-g.IrisX)*(x-g.IrisX)
}

// irisPerson is what stays fixed for one eye of one identity.
type irisPerson struct {
	irisR, pupilRatio float64
	pdx, pdy          float64 // pupil centre offset from the iris centre
	base              float64 // mean iris grey level
	sclera, skin      float64
	tex               []float64 // irisTexR × irisTexT, zero-mean texture
}

// newIrisPerson draws the eye's anatomy and its texture.
func newIrisPerson(identity uint64, eye int) *irisPerson {
	r := gen.Rand(gen.DomIrisPerson, identity, uint64(eye))
	p := &irisPerson{
		irisR:      gen.Uniform(r, 95, 112),
		pupilRatio: gen.Uniform(r, 0.32, 0.45),
		pdx:        gen.Gauss(r, 0, 2.5),
		pdy:        gen.Gauss(r, 0, 2),
		base:       gen.Uniform(r, 95, 135),
		sclera:     gen.Uniform(r, 165, 195),
		skin:       gen.Uniform(r, 140, 180),
	}
	p.tex = irisTexture(r)
	return p
}

// irisTexture builds the zero-mean texture: radial fibres (fine in θ, long
// in ρ), a collarette ring, crypts and concentric contraction furrows.
func irisTexture(r *rand.Rand) []float64 {
	tex := make([]float64, irisTexR*irisTexT)
	// Radial fibres at three scales.
	for _, o := range []struct {
		cellT, cellR int
		amp          float64
	}{{4, 12, 16}, {8, 16, 14}, {24, 24, 10}} {
		addPeriodicNoise(r, tex, o.cellT, o.cellR, o.amp)
	}
	// Collarette: a bright, wavy ring between the pupillary and ciliary zones.
	rc := gen.Uniform(r, 0.22, 0.38)
	waves := 6 + r.IntN(8)
	ph := gen.Uniform(r, 0, 2*math.Pi)
	for t := 0; t < irisTexT; t++ {
		th := 2 * math.Pi * float64(t) / irisTexT
		c := rc + 0.03*math.Sin(float64(waves)*th+ph)
		for k := 0; k < irisTexR; k++ {
			d := (float64(k)/irisTexR - c) / 0.04
			tex[k*irisTexT+t] += 18 * math.Exp(-d*d)
		}
	}
	// Crypts: dark lens-shaped holes, mostly near the collarette.
	for n := 8 + r.IntN(12); n > 0; n-- {
		cr := gen.Clamp(gen.Gauss(r, rc+0.12, 0.15), 0.05, 0.95)
		ct := gen.Uniform(r, 0, irisTexT)
		sr, st := gen.Uniform(r, 0.03, 0.09), gen.Uniform(r, 3, 10)
		depth := gen.Uniform(r, 20, 45)
		for k := 0; k < irisTexR; k++ {
			dr := (float64(k)/irisTexR - cr) / sr
			for dt := -int(3 * st); dt <= int(3*st); dt++ {
				t := (int(ct) + dt + irisTexT) % irisTexT
				e := dr*dr + float64(dt*dt)/(st*st)
				if e < 9 {
					tex[k*irisTexT+t] -= depth * math.Exp(-e)
				}
			}
		}
	}
	// Contraction furrows: partial dark rings in the outer iris.
	for n := 2 + r.IntN(3); n > 0; n-- {
		fr := gen.Uniform(r, 0.55, 0.9)
		start, span := gen.Uniform(r, 0, 2*math.Pi), gen.Uniform(r, 1, 4)
		for t := 0; t < irisTexT; t++ {
			th := math.Mod(2*math.Pi*float64(t)/irisTexT-start+4*math.Pi, 2*math.Pi)
			if th > span {
				continue
			}
			w := math.Sin(math.Pi * th / span)
			for k := 0; k < irisTexR; k++ {
				d := (float64(k)/irisTexR - fr) / 0.025
				tex[k*irisTexT+t] -= 16 * w * math.Exp(-d*d)
			}
		}
	}
	var mean float64
	for _, v := range tex {
		mean += v
	}
	mean /= float64(len(tex))
	for i := range tex {
		tex[i] -= mean
	}
	return tex
}

// addPeriodicNoise adds value noise that wraps around in θ, with cells of
// cellT angular and cellR radial texture samples.
func addPeriodicNoise(r *rand.Rand, tex []float64, cellT, cellR int, amp float64) {
	gt, gr := irisTexT/cellT, irisTexR/cellR+2
	g := make([]float64, gt*gr)
	for i := range g {
		g[i] = r.NormFloat64()
	}
	for k := 0; k < irisTexR; k++ {
		fr := float64(k) / float64(cellR)
		ir := int(fr)
		ty := gen.Smoothstep(fr - float64(ir))
		for t := 0; t < irisTexT; t++ {
			ft := float64(t) / float64(cellT)
			it := int(ft)
			tx := gen.Smoothstep(ft - float64(it))
			i0, i1 := it%gt, (it+1)%gt
			a := g[ir*gt+i0] + (g[ir*gt+i1]-g[ir*gt+i0])*tx
			b := g[(ir+1)*gt+i0] + (g[(ir+1)*gt+i1]-g[(ir+1)*gt+i0])*tx
			tex[k*irisTexT+t] += amp * (a + (b-a)*ty)
		}
	}
}

// sampleTex samples the texture at normalised radius rho and angle th
// (radians), wrapping in θ.
func (p *irisPerson) sampleTex(rho, th float64) float64 {
	fr := gen.Clamp(rho*irisTexR-0.5, 0, irisTexR-1.001)
	ft := math.Mod(th/(2*math.Pi)*irisTexT, irisTexT)
	if ft < 0 {
		ft += irisTexT
	}
	ir, it := int(fr), int(ft)
	tr, tt := fr-float64(ir), ft-float64(it)
	i1 := (it + 1) % irisTexT
	a := p.tex[ir*irisTexT+it] + (p.tex[ir*irisTexT+i1]-p.tex[ir*irisTexT+it])*tt
	b := p.tex[(ir+1)*irisTexT+it] + (p.tex[(ir+1)*irisTexT+i1]-p.tex[(ir+1)*irisTexT+it])*tt
	return a + (b-a)*tr
}

// Truth returns the geometry of impression number impression (≥ 0) of
// eye (0 right, 1 left) of the identity.
func Truth(identity uint64, eye int, impression int) Geometry {
	return irisGeometry(newIrisPerson(identity, eye), identity, eye, impression, Width, Height)
}

// irisGeometry draws the per-impression pose: gaze shift, pupil dilation,
// rotation and eyelid opening.
func irisGeometry(p *irisPerson, identity uint64, eye, imp, w, h int) Geometry {
	r := gen.Rand(gen.DomIrisImpression, identity, uint64(eye), uint64(imp))
	g := Geometry{
		IrisX: float64(w)/2 + gen.Gauss(r, 0, 5),
		IrisY: float64(h)/2 + gen.Gauss(r, 0, 4),
		IrisR: p.irisR * gen.Uniform(r, 0.97, 1.03),
	}
	ratio := gen.Clamp(p.pupilRatio+gen.Gauss(r, 0, 0.045), 0.22, 0.6)
	g.PupilR = ratio * g.IrisR
	g.PupilX, g.PupilY = g.IrisX+p.pdx, g.IrisY+p.pdy
	if imp > 0 {
		g.Rotation = gen.Gauss(r, 0, 0.05)
	}
	g.UpperLidApex = g.IrisY - g.IrisR*gen.Uniform(r, 0.5, 0.9)
	g.UpperLidCurv = gen.Uniform(r, 0.0015, 0.003)
	g.LowerLidApex = g.IrisY + g.IrisR*gen.Uniform(r, 0.7, 1.0)
	g.LowerLidCurv = -gen.Uniform(r, 0.001, 0.002)
	return g
}

// Image returns impression number impression (≥ 0) of eye (0 right, 1 left)
// of the identity as a 320×280 NIR-like grey image: dark pupil with a
// specular highlight, textured iris, sclera, eyelids and eyelashes. The
// same arguments always give the same image; Truth gives its geometry.
func Image(identity uint64, eye int, impression int) *image.Gray {
	img, _ := With(identity, eye, impression, Options{})
	return img
}

// Options degrades an iris capture, for quality checks. The zero value
// is a normal capture.
type Options struct {
	// Defocus blurs the image; 1 is a slightly soft image, 3 is badly out
	// of focus, 4 the most (1 + Defocus² passes of a 3×3 box filter).
	Defocus int
	// LidClosure lowers the upper eyelid by this fraction of the iris
	// radius (0 open as usual, 1 about half the iris covered).
	LidClosure float64
	// NoHighlight removes the illuminator's specular reflection.
	NoHighlight bool
	// Width and Height of the canvas; 0 means 320×280. The eye keeps its
	// size (iris diameter about 190–225 px) and stays centred.
	Width, Height int
}

// With returns a capture with the given degradations and its geometry.
func With(identity uint64, eye int, impression int, o Options) (*image.Gray, Geometry) {
	p := newIrisPerson(identity, eye)
	w, h := gen.OrDefault(o.Width, Width), gen.OrDefault(o.Height, Height)
	g := irisGeometry(p, identity, eye, impression, w, h)
	g.UpperLidApex += gen.Clamp(o.LidClosure, 0, 2) * g.IrisR * 0.6
	r := gen.Rand(gen.DomIrisImpression, identity, uint64(eye), uint64(impression), 1)
	pix := make([]float64, w*h)
	skinTex := gen.NewNoise(r, w, h, 18)
	pupilGrey := gen.Uniform(r, 14, 28)
	// Capture-to-capture changes besides pose: illumination gain and
	// gradient, focus, and a non-linear radial shift of the texture as the
	// pupil dilates (tissue does not stretch uniformly).
	gain := gen.Uniform(r, 0.9, 1.08)
	gradX, gradY := gen.Gauss(r, 0, 8), gen.Gauss(r, 0, 8)
	softer := r.IntN(2)
	warp := 0.5 * (g.PupilR/g.IrisR - p.pupilRatio)
	for y := 0; y < h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < w; x++ {
			fx := float64(x) + 0.5
			up, lo := g.UpperLidAt(fx), g.LowerLidAt(fx)
			dx, dy := fx-g.PupilX, fy-g.PupilY
			d := math.Hypot(dx, dy)
			th := math.Atan2(dy, dx)
			// Distance from the pupil centre to the limbus along this ray.
			ux, uy := dx/math.Max(d, 1e-9), dy/math.Max(d, 1e-9)
			ox, oy := g.PupilX-g.IrisX, g.PupilY-g.IrisY
			b := ox*ux + oy*uy
			dl := -b + math.Sqrt(math.Max(b*b-(ox*ox+oy*oy-g.IrisR*g.IrisR), 0))
			var v float64
			switch {
			case d < g.PupilR:
				v = pupilGrey
			case d < dl:
				rho := (d - g.PupilR) / (dl - g.PupilR)
				v = p.base + p.sampleTex(rho+warp*math.Sin(math.Pi*rho), th-g.Rotation)
				v -= 25 * gen.Smoothstep(gen.Clamp((rho-0.85)/0.15, 0, 1)) // darker limbal ring
			default:
				// Sclera, darker towards the eye corners.
				v = p.sclera - 30*gen.Clamp((math.Abs(fx-g.IrisX)-g.IrisR)/120, 0, 1)
			}
			// Soft pupil and limbus edges.
			if e := d - g.PupilR; e > -1 && e < 1 {
				v = pupilGrey + (v-pupilGrey)*(e+1)/2
			}
			// Eyelids: skin outside the aperture, a dark margin at the lid line.
			if fy < up || fy > lo {
				v = p.skin + 4*skinTex.At(fx, fy)
			}
			if m := math.Min(math.Abs(fy-up), math.Abs(fy-lo)); m < 3 {
				v -= 40 * (1 - m/3)
			}
			pix[y*w+x] = v*gain + gradX*(fx/float64(w)-0.5) + gradY*(fy/float64(h)-0.5)
		}
	}
	drawLashes(pix, w, h, g, r)
	// Specular reflection of the illuminator, inside the pupil.
	sx, sy := g.PupilX+gen.Gauss(r, 0, 0.25*g.PupilR), g.PupilY+gen.Gauss(r, 0, 0.2*g.PupilR)
	sr := gen.Uniform(r, 3, 5.5)
	if o.NoHighlight {
		sr = -3
	}
	for y := int(sy - sr - 2); y <= int(sy+sr+2); y++ {
		for x := int(sx - sr - 2); x <= int(sx+sr+2); x++ {
			if x >= 0 && y >= 0 && x < w && y < h {
				e := math.Hypot(float64(x)+0.5-sx, float64(y)+0.5-sy) - sr
				pix[y*w+x] += (250 - pix[y*w+x]) * gen.Clamp(1-e, 0, 1)
			}
		}
	}
	d := min(max(o.Defocus, 0), 4)
	for k := 0; k <= d*d+softer; k++ {
		pix = gen.BoxBlur3(pix, w, h)
	}
	noise := gen.Uniform(r, 2, 5)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i, v := range pix {
		img.Pix[i] = gen.Grey8(v + noise*r.NormFloat64())
	}
	return img, g
}

// drawLashes draws dark curved eyelashes hanging from the upper lid margin.
func drawLashes(pix []float64, w, h int, g Geometry, r *rand.Rand) {
	n := 50 + r.IntN(50)
	for i := 0; i < n; i++ {
		x0 := g.IrisX + gen.Uniform(r, -1.5, 1.5)*g.IrisR
		y0 := g.UpperLidAt(x0)
		length := gen.Uniform(r, 12, 38)
		ang := math.Pi/2 + gen.Gauss(r, 0, 0.35) + 0.4*(x0-g.IrisX)/g.IrisR // fan out
		curl := gen.Gauss(r, 0, 0.02)
		dark := gen.Uniform(r, 25, 60)
		x, y := x0, y0
		for s := 0.0; s < length; s += 0.7 {
			ix, iy := int(x), int(y)
			if ix >= 0 && iy >= 0 && ix < w && iy < h {
				a := 0.8 * (1 - s/length*0.6)
				pix[iy*w+ix] += (dark - pix[iy*w+ix]) * a
			}
			ang += curl
			x += 0.7 * math.Cos(ang)
			y += 0.7 * math.Sin(ang)
		}
	}
}
