package face

import (
	"embed"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"sync"

	pigo "github.com/esimov/pigo/core"
)

// The PICO cascades of github.com/esimov/pigo v1.4.6 (MIT); see cascade/README.md.
//
//go:embed cascade/facefinder cascade/puploc cascade/lp93 cascade/lp82 cascade/lp81 cascade/lp84
var cascades embed.FS

// Point is a position in image pixels.
type Point struct{ X, Y float64 }

// Dist returns the distance between p and q.
func (p Point) Dist(q Point) float64 { return math.Hypot(p.X-q.X, p.Y-q.Y) }

// Face is one detected face with the landmarks that could be located.
type Face struct {
	// Center and Size are the centre and side of the square detection box.
	Center Point
	Size   float64
	// Score is the detector's confidence (PICO cascade sum; higher is surer).
	Score float64
	// EyeL and EyeR are the pupils on the image's left and right (the
	// subject's right and left eye).
	EyeL, EyeR Point
	// Nose is the nose tip; NoseOK reports that it was located.
	Nose   Point
	NoseOK bool
	// MouthL and MouthR are the mouth corners (image left, right); LipTop and
	// LipBottom the centres of the upper and lower lip; MouthOK reports that
	// they were located.
	MouthL, MouthR, LipTop, LipBottom Point
	MouthOK                           bool
}

// IED returns the inter-eye distance in pixels.
func (f Face) IED() float64 { return f.EyeL.Dist(f.EyeR) }

// EyeMid returns the midpoint between the eyes.
func (f Face) EyeMid() Point { return Point{(f.EyeL.X + f.EyeR.X) / 2, (f.EyeL.Y + f.EyeR.Y) / 2} }

// Roll returns the in-plane rotation of the eye line in degrees, positive
// when the image-right eye is lower.
func (f Face) Roll() float64 {
	return math.Atan2(f.EyeR.Y-f.EyeL.Y, f.EyeR.X-f.EyeL.X) * 180 / math.Pi
}

// DetectorConfig tunes the face search.
type DetectorConfig struct {
	// MinSizeFrac is the smallest face side searched, as a fraction of the
	// image's shorter side.
	MinSizeFrac float64
	// MinScore drops detections below this cascade score.
	MinScore float64
	// Perturbs is the number of randomised pupil/landmark runs whose median
	// is taken (at most 63); more is steadier.
	Perturbs int
	// Repeats is how many such medians are averaged per point; pigo draws
	// its perturbations from the global random source, so repeats reduce
	// the run-to-run jitter of the landmarks.
	Repeats int
}

// DefaultDetectorConfig suits station frames where the face fills a good
// part of the picture.
var DefaultDetectorConfig = DetectorConfig{MinSizeFrac: 0.15, MinScore: 5, Perturbs: 63, Repeats: 5}

// Detector finds faces, pupils and a few landmarks with the PICO cascades.
// It is safe for concurrent use.
type Detector struct {
	cfg              DetectorConfig
	face             *pigo.Pigo
	pupil            *pigo.PuplocCascade
	nose, lipT, lipB *pigo.PuplocCascade
	mouthCorner      *pigo.PuplocCascade
}

var (
	defaultOnce sync.Once
	defaultDet  *Detector
	defaultErr  error
)

// DefaultDetector returns a shared detector with DefaultDetectorConfig.
func DefaultDetector() (*Detector, error) {
	defaultOnce.Do(func() { defaultDet, defaultErr = NewDetector(DefaultDetectorConfig) })
	return defaultDet, defaultErr
}

// NewDetector unpacks the embedded cascades.
func NewDetector(cfg DetectorConfig) (*Detector, error) {
	if cfg.Perturbs < 1 || cfg.Perturbs > 63 {
		return nil, fmt.Errorf("face: perturbs %d outside 1..63", cfg.Perturbs)
	}
	if cfg.Repeats < 1 || cfg.Repeats > 50 {
		return nil, fmt.Errorf("face: repeats %d outside 1..50", cfg.Repeats)
	}
	read := func(name string) ([]byte, error) {
		b, err := cascades.ReadFile("cascade/" + name)
		if err != nil {
			return nil, fmt.Errorf("face: cascade %s: %w", name, err)
		}
		return b, nil
	}
	b, err := read("facefinder")
	if err != nil {
		return nil, err
	}
	d := &Detector{cfg: cfg}
	if d.face, err = pigo.NewPigo().Unpack(b); err != nil {
		return nil, fmt.Errorf("face: unpack facefinder: %w", err)
	}
	for _, c := range []struct {
		name string
		dst  **pigo.PuplocCascade
	}{{"puploc", &d.pupil}, {"lp93", &d.nose}, {"lp82", &d.lipT}, {"lp81", &d.lipB}, {"lp84", &d.mouthCorner}} {
		if b, err = read(c.name); err != nil {
			return nil, err
		}
		if *c.dst, err = pigo.NewPuplocCascade().UnpackCascade(b); err != nil {
			return nil, fmt.Errorf("face: unpack %s: %w", c.name, err)
		}
	}
	return d, nil
}

// Gray converts img to 8-bit luminance.
func Gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g.Pix[y*g.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
		}
	}
	return g
}

// Detect returns the faces in img, most confident first.
func (d *Detector) Detect(img image.Image) []Face {
	g := Gray(img)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ip := pigo.ImageParams{Pixels: g.Pix, Rows: h, Cols: w, Dim: g.Stride}
	short := min(w, h)
	cp := pigo.CascadeParams{
		MinSize:     max(20, int(d.cfg.MinSizeFrac*float64(short))),
		MaxSize:     short,
		ShiftFactor: 0.1,
		ScaleFactor: 1.1,
		ImageParams: ip,
	}
	dets := d.face.ClusterDetections(d.face.RunCascade(cp, 0), 0.2)
	sort.Slice(dets, func(i, j int) bool { return dets[i].Q > dets[j].Q })
	var out []Face
	var kept []pigo.Detection
	for _, det := range dets {
		if float64(det.Q) < d.cfg.MinScore || nested(det, kept) {
			continue
		}
		kept = append(kept, det)
		out = append(out, d.landmarks(det, ip))
	}
	return out
}

// nested reports whether det's centre lies inside the box of a detection
// already kept: the clustering leaves such overlapping boxes of one face.
func nested(det pigo.Detection, kept []pigo.Detection) bool {
	for _, k := range kept {
		h := k.Scale / 2
		if abs(det.Row-k.Row) <= h && abs(det.Col-k.Col) <= h {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// landmarks locates pupils, nose and mouth inside one detection.
func (d *Detector) landmarks(det pigo.Detection, ip pigo.ImageParams) Face {
	s := float64(det.Scale)
	f := Face{Center: Point{float64(det.Col), float64(det.Row)}, Size: s, Score: float64(det.Q)}
	// avg runs a randomised locator Repeats times and averages the hits.
	avg := func(run func() *pigo.Puploc, keep func(*pigo.Puploc) bool) (Point, bool) {
		var sx, sy float64
		n := 0
		for range d.cfg.Repeats {
			if p := run(); p != nil && p.Row > 0 && p.Col > 0 && keep(p) {
				sx, sy = sx+float64(p.Col), sy+float64(p.Row)
				n++
			}
		}
		if n == 0 {
			return Point{}, false
		}
		return Point{sx / float64(n), sy / float64(n)}, true
	}
	eye := func(dx float64) Point {
		p := pigo.Puploc{Row: det.Row - int(0.075*s), Col: det.Col + int(dx*s), Scale: float32(0.4 * s), Perturbs: d.cfg.Perturbs}
		// keep the geometric guess when the pupil search strays off
		e, ok := avg(func() *pigo.Puploc { return d.pupil.RunDetector(p, ip, 0, false) },
			func(r *pigo.Puploc) bool { return math.Hypot(float64(r.Row-p.Row), float64(r.Col-p.Col)) <= 0.15*s })
		if !ok {
			return Point{float64(p.Col), float64(p.Row)}
		}
		return e
	}
	f.EyeL, f.EyeR = eye(-0.175), eye(0.175)
	l := &pigo.Puploc{Row: int(math.Round(f.EyeL.Y)), Col: int(math.Round(f.EyeL.X))}
	r := &pigo.Puploc{Row: int(math.Round(f.EyeR.Y)), Col: int(math.Round(f.EyeR.X))}
	pt := func(c *pigo.PuplocCascade, flip bool) (Point, bool) {
		return avg(func() *pigo.Puploc { return c.GetLandmarkPoint(l, r, ip, d.cfg.Perturbs, flip) },
			func(*pigo.Puploc) bool { return true })
	}
	f.Nose, f.NoseOK = pt(d.nose, false)
	var ok [4]bool
	f.LipTop, ok[0] = pt(d.lipT, false)
	f.LipBottom, ok[1] = pt(d.lipB, false)
	f.MouthL, ok[2] = pt(d.mouthCorner, false)
	f.MouthR, ok[3] = pt(d.mouthCorner, true)
	f.MouthOK = ok[0] && ok[1] && ok[2] && ok[3]
	if f.MouthL.X > f.MouthR.X {
		f.MouthL, f.MouthR = f.MouthR, f.MouthL
	}
	return f
}
