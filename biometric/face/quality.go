package face

import (
	"image"
	"math"
)

// Check names, as reported by Assess and by `rekamctl eval face`.
const (
	CheckSingleFace   = "single_face"
	CheckIED          = "inter_eye_distance"
	CheckHeadSize     = "head_size"
	CheckHeadPosition = "head_position"
	CheckRoll         = "roll"
	CheckYaw          = "yaw"
	CheckEyesOpen     = "eyes_open"
	CheckMouthClosed  = "mouth_closed"
	CheckExposure     = "exposure"
	CheckDynamicRange = "dynamic_range"
	CheckIllumination = "illumination"
	CheckSharpness    = "sharpness"
	CheckBackground   = "background"
)

// Thresholds are the pass limits of the capture checks; every one is
// configurable per site.
type Thresholds struct {
	// MinIED is the least inter-eye distance in pixels (ISO/IEC 19794-5: 90).
	MinIED float64
	// MinHeadSize and MaxHeadSize bound the estimated chin-to-crown height as
	// a fraction of the frame height.
	MinHeadSize, MaxHeadSize float64
	// MinCropInside is the least fraction of the card portrait crop that must
	// lie inside the frame (head position and margins).
	MinCropInside float64
	// MaxRoll is the largest eye-line tilt in degrees (ICAO: 8).
	MaxRoll float64
	// MaxYaw is the largest nose-tip offset from the eye midpoint, as a
	// fraction of the inter-eye distance (a yaw proxy).
	MaxYaw float64
	// MinEyeOpen is the least EyeOpenness of the less open eye.
	MinEyeOpen float64
	// MinEyeLogOdds is the least open-eye log-odds of the less open eye
	// when a site-trained EyeModel judges the eyes instead.
	MinEyeLogOdds float64
	// MaxMouthOpen is the largest lip gap as a fraction of the inter-eye distance.
	MaxMouthOpen float64
	// MinLuminance and MaxLuminance bound the mean face brightness (0..1).
	MinLuminance, MaxLuminance float64
	// MinDynamicRange is the least number of grey levels between the 1st and
	// 99th percentile of the face (ISO/IEC 19794-5: 7 bits = 128).
	MinDynamicRange float64
	// MaxIllumAsymmetry is the largest |L−R|/(L+R) of the two face halves.
	MaxIllumAsymmetry float64
	// MinSharpness is the least Laplacian standard deviation in the face,
	// per grey level of face contrast.
	MinSharpness float64
	// MaxBackgroundSD is the largest standard deviation (grey levels) of
	// the backdrop around the head.
	MaxBackgroundSD float64
}

// DefaultThresholds follow ICAO 9303 / ISO/IEC 19794-5 where they give a
// number; the others were set on the Yale faces (see README.md).
var DefaultThresholds = Thresholds{
	MinIED:            90,
	MinHeadSize:       0.45,
	MaxHeadSize:       0.9,
	MinCropInside:     0.98,
	MaxRoll:           8,
	MaxYaw:            0.15,
	MinEyeOpen:        EyeOpenThreshold,
	MinEyeLogOdds:     0,
	MaxMouthOpen:      0.45,
	MinLuminance:      0.25,
	MaxLuminance:      0.85,
	MinDynamicRange:   128,
	MaxIllumAsymmetry: 0.15,
	MinSharpness:      0.05,
	MaxBackgroundSD:   20,
}

// Result is the outcome of one check.
type Result struct {
	// Name is the check name, e.g. "eyes_open".
	Name string
	// Value is the measured quantity (unit depends on the check).
	Value float64
	// Threshold is the limit the value was compared with.
	Threshold float64
	// Measured is false when the quantity could not be measured (then Pass
	// is false too and the message says so).
	Measured bool
	// Pass reports whether the check passed.
	Pass bool
	// ID and EN are the operator messages in Indonesian and English.
	ID, EN string
}

// Report is the assessment of one captured frame.
type Report struct {
	// Faces is the number of faces found.
	Faces int
	// Face is the most confident face (nil when none).
	Face *Face
	// Checks are the individual results; empty when no face was found.
	Checks []Result
}

// Passed reports whether a face was found and every check passed.
func (r Report) Passed() bool {
	if r.Face == nil {
		return false
	}
	for _, c := range r.Checks {
		if !c.Pass {
			return false
		}
	}
	return true
}

// Get returns the result of the named check.
func (r Report) Get(name string) (Result, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Result{}, false
}

// msg is a pair of operator messages.
type msg struct{ id, en string }

// messages holds, per check, the text for a pass and for a failure.
var messages = map[string][2]msg{
	CheckSingleFace:   {{"Satu wajah terdeteksi", "One face detected"}, {"Harus tepat satu wajah di foto", "Exactly one face must be in the picture"}},
	CheckIED:          {{"Resolusi wajah cukup", "Face resolution sufficient"}, {"Wajah terlalu kecil: dekatkan kamera atau perbesar zoom", "Face too small: move the camera closer or zoom in"}},
	CheckHeadSize:     {{"Ukuran kepala sesuai", "Head size correct"}, {"Ukuran kepala tidak sesuai: atur jarak kamera", "Head size wrong: adjust the camera distance"}},
	CheckHeadPosition: {{"Posisi kepala sesuai", "Head position correct"}, {"Kepala tidak di tengah atau terpotong: atur posisi", "Head off-centre or cut off: reposition"}},
	CheckRoll:         {{"Kepala tegak", "Head upright"}, {"Kepala miring: tegakkan kepala", "Head tilted: straighten the head"}},
	CheckYaw:          {{"Wajah menghadap kamera", "Facing the camera"}, {"Kepala menoleh: hadapkan wajah lurus ke kamera", "Head turned: face the camera squarely"}},
	CheckEyesOpen:     {{"Mata terbuka", "Eyes open"}, {"Mata tertutup: minta pemohon membuka mata", "Eyes closed: ask the resident to open both eyes"}},
	CheckMouthClosed:  {{"Mulut tertutup", "Mouth closed"}, {"Mulut terbuka: minta pemohon menutup mulut", "Mouth open: ask the resident to close the mouth"}},
	CheckExposure:     {{"Pencahayaan cukup", "Exposure correct"}, {"Wajah terlalu gelap atau terlalu terang: atur lampu", "Face too dark or too bright: adjust the lights"}},
	CheckDynamicRange: {{"Kontras wajah cukup", "Face contrast sufficient"}, {"Kontras wajah rendah: atur lampu atau kamera", "Low face contrast: adjust lights or camera"}},
	CheckIllumination: {{"Cahaya merata", "Lighting even"}, {"Cahaya tidak merata: satu sisi wajah gelap, atur lampu", "Uneven lighting: one side of the face is dark, adjust the lights"}},
	CheckSharpness:    {{"Gambar tajam", "Image sharp"}, {"Gambar kabur: fokuskan kamera, pemohon jangan bergerak", "Image blurred: focus the camera, resident must keep still"}},
	CheckBackground:   {{"Latar belakang rata", "Background uniform"}, {"Latar belakang tidak rata: singkirkan benda atau bayangan", "Background not uniform: remove objects or shadows"}},
}

// notMeasured is the message when a quantity cannot be measured.
var notMeasured = msg{"Tidak dapat diukur: ulangi pengambilan foto", "Could not be measured: take the photo again"}

func result(name string, value, threshold float64, pass, measured bool) Result {
	m := messages[name][1]
	switch {
	case !measured:
		m = notMeasured
		pass = false
	case pass:
		m = messages[name][0]
	}
	return Result{Name: name, Value: value, Threshold: threshold, Measured: measured, Pass: pass, ID: m.id, EN: m.en}
}

// Assessor runs the capture checks with a detector, thresholds and
// optionally a site-trained eye model.
type Assessor struct {
	// Detector finds the face and its landmarks.
	Detector *Detector
	// Thresholds are the pass limits.
	Thresholds Thresholds
	// Eyes, when set, judges eyes_open instead of EyeOpenness.
	Eyes *EyeModel
}

// Assess runs the checks, judging the eyes with EyeOpenness.
func Assess(img image.Image, d *Detector, th Thresholds) Report {
	return Assessor{Detector: d, Thresholds: th}.Assess(img)
}

// Assess detects the faces in img and runs every capture check on the most
// confident one.
func (as Assessor) Assess(img image.Image) Report {
	th := as.Thresholds
	g := Gray(img)
	faces := as.Detector.Detect(g)
	rep := Report{Faces: len(faces)}
	if len(faces) == 0 {
		return rep
	}
	f := faces[0]
	rep.Face = &f
	p := planeOf(g)
	ied := f.IED()
	w, h := float64(p.w), float64(p.h)
	add := func(r Result) { rep.Checks = append(rep.Checks, r) }

	add(result(CheckSingleFace, float64(len(faces)), 1, len(faces) == 1, true))
	add(result(CheckIED, ied, th.MinIED, ied >= th.MinIED, ied > 0))
	hs := headHeight(f) / h
	add(result(CheckHeadSize, hs, th.MinHeadSize, hs >= th.MinHeadSize && hs <= th.MaxHeadSize, true))
	inside := cropInside(f, CardPortrait, w, h)
	add(result(CheckHeadPosition, inside, th.MinCropInside, inside >= th.MinCropInside, true))
	roll := f.Roll()
	add(result(CheckRoll, roll, th.MaxRoll, math.Abs(roll) <= th.MaxRoll, true))
	yaw := 0.0
	if f.NoseOK && ied > 0 {
		yaw = (f.Nose.X - f.EyeMid().X) / ied
	}
	add(result(CheckYaw, yaw, th.MaxYaw, math.Abs(yaw) <= th.MaxYaw, f.NoseOK))
	if as.Eyes != nil {
		add(EyesOpenModelCheck(as.Eyes, EyePatches(g, f), th))
	} else {
		add(EyesOpenCheck(EyeOpenness(g, f), th))
	}
	mo := 0.0
	if f.MouthOK && ied > 0 {
		mo = math.Abs(f.LipBottom.Y-f.LipTop.Y) / ied
	}
	add(result(CheckMouthClosed, mo, th.MaxMouthOpen, mo <= th.MaxMouthOpen, f.MouthOK))
	fv := p.values(faceRect(f))
	lum := mean(fv) / 255
	add(result(CheckExposure, lum, th.MinLuminance, lum >= th.MinLuminance && lum <= th.MaxLuminance, len(fv) > 0))
	dr := percentile(fv, 0.99) - percentile(fv, 0.01)
	add(result(CheckDynamicRange, dr, th.MinDynamicRange, dr >= th.MinDynamicRange, len(fv) > 0))
	ia := illumAsymmetry(p, f)
	add(result(CheckIllumination, ia, th.MaxIllumAsymmetry, ia <= th.MaxIllumAsymmetry, true))
	sh := sharpness(p, faceRect(f))
	add(result(CheckSharpness, sh, th.MinSharpness, sh >= th.MinSharpness, true))
	bg, ok := backgroundSD(p, f)
	add(result(CheckBackground, bg, th.MaxBackgroundSD, bg <= th.MaxBackgroundSD, ok))
	return rep
}

// EyesOpenCheck judges the two EyeOpenness values of one face: the value is
// that of the less open eye, so one closed eye (a wink) fails too.
func EyesOpenCheck(open [2]float64, th Thresholds) Result {
	eo := math.Min(open[0], open[1])
	ok := !math.IsNaN(eo) && !math.IsInf(eo, 0)
	return result(CheckEyesOpen, eo, th.MinEyeOpen, ok && eo >= th.MinEyeOpen, ok)
}

// EyesOpenModelCheck judges the eye patches of one face with a site-trained
// model m: the value is the open-eye log-odds of the less open eye. Without
// a model the check is reported as not measured.
func EyesOpenModelCheck(m *EyeModel, patches [2][]float64, th Thresholds) Result {
	if m == nil {
		return result(CheckEyesOpen, 0, th.MinEyeLogOdds, false, false)
	}
	eo := math.Min(m.Openness(patches[0]), m.Openness(patches[1]))
	return result(CheckEyesOpen, eo, th.MinEyeLogOdds, eo >= th.MinEyeLogOdds, true)
}

// headHeight estimates the chin-to-crown height from the inter-eye
// distance (adult head height ≈ 3.6 pupil distances).
func headHeight(f Face) float64 { return 3.6 * f.IED() }

// illumAsymmetry compares the mean brightness of the left and right halves
// of the face: |L−R|/(L+R).
func illumAsymmetry(p plane, f Face) float64 {
	r := faceRect(f)
	m := f.EyeMid().X
	ied := f.IED()
	l := mean(p.values(rect{r.x0 + 0.2*ied, r.y0, m - 0.1*ied, r.y1}))
	rr := mean(p.values(rect{m + 0.1*ied, r.y0, r.x1 - 0.2*ied, r.y1}))
	if l+rr == 0 {
		return 0
	}
	return math.Abs(l-rr) / (l + rr)
}

// sharpness is the standard deviation of the 4-neighbour Laplacian in r
// divided by the standard deviation of the grey levels there, so that it
// measures focus rather than contrast.
func sharpness(p plane, r rect) float64 {
	var lap, val []float64
	for y := max(1, int(r.y0)); y < min(p.h-1, int(r.y1)); y++ {
		for x := max(1, int(r.x0)); x < min(p.w-1, int(r.x1)); x++ {
			c := p.v[y*p.w+x]
			lap = append(lap, 4*c-p.v[y*p.w+x-1]-p.v[y*p.w+x+1]-p.v[(y-1)*p.w+x]-p.v[(y+1)*p.w+x])
			val = append(val, c)
		}
	}
	sd := stddev(val)
	if sd == 0 {
		return 0
	}
	return stddev(lap) / sd
}

// headEllipse returns the centre and semi-axes of an ellipse that covers the
// head and hair, from anthropometric ratios to the inter-eye distance.
func headEllipse(f Face) (cx, cy, a, b float64) {
	ied := f.IED()
	m := f.EyeMid()
	return m.X, m.Y - 0.1*ied, 1.5 * ied, 2.1 * ied
}

// backgroundSD returns the grey-level standard deviation of the backdrop:
// the pixels outside the head ellipse and above the chin.
func backgroundSD(p plane, f Face) (float64, bool) {
	cx, cy, a, b := headEllipse(f)
	chin := f.EyeMid().Y + 1.8*f.IED()
	var v []float64
	for y := 0; y < min(p.h, int(chin)); y++ {
		for x := 0; x < p.w; x++ {
			dx, dy := (float64(x)-cx)/a, (float64(y)-cy)/b
			if dx*dx+dy*dy > 1 {
				v = append(v, p.v[y*p.w+x])
			}
		}
	}
	if len(v) < 100 {
		return 0, false
	}
	return stddev(v), true
}
