package main

import (
	"fmt"
	"image"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/device/quality"
	"github.com/rekam-ktp/rekam/simulators/biosrc"
	"github.com/rekam-ktp/rekam/simulators/synth"
)

func init() {
	register(&command{path: "eval slap", summary: "evaluate slap finger counting and segmentation on synthetic slaps with ground truth", run: runEvalSlap})
}

// slapReaderW and slapReaderH are the simulated slap reader's image
// (device/vcom5s, the slap model) that --reader fits each slap to.
const slapReaderW, slapReaderH = 960, 440

// slapEvalReport is the result of `rekamctl eval slap`.
type slapEvalReport struct {
	Slaps       int     `json:"slaps"`
	Fingers     int     `json:"fingers"`
	Reader      bool    `json:"reader"`
	CountRate   float64 `json:"count_rate"`     // slaps CountFingers (the drivers' slap check) counted right
	SegRate     float64 `json:"segmented_rate"` // slaps Segment split without error
	OrderRate   float64 `json:"order_rate"`     // fingers nearer their own truth than any other's
	WithinRate  float64 `json:"within_rate"`    // fingers within the tolerance
	TolMM       float64 `json:"tolerance_mm"`
	MeanMM      float64 `json:"centre_error_mean_mm"`
	P95MM       float64 `json:"centre_error_p95_mm"`
	MaxMM       float64 `json:"centre_error_max_mm"`
	AxisMeanRad float64 `json:"axis_error_mean_rad"`
	SegmentMS   float64 `json:"segment_ms_median"`
}

// slapEvalCase is one synthetic slap: its image as a reader gives it and
// each finger's truth (contact centre, tilt) in that image's pixels, with
// the pixels per millimetre there.
type slapEvalCase struct {
	img   *image.Gray
	truth [][3]float64
	pxMM  float64
}

// renderSlapCase draws a slap (fitted to the simulated reader when
// reader is set, as its simulator does) with its truth.
func renderSlapCase(id uint64, kind synth.Slap, missing []int, reader bool) slapEvalCase {
	opts := synth.SlapOptions{Missing: missing}
	full := synth.SlapImage(id, kind, 0, opts)
	lay := synth.SlapLayout(id, kind, 0, opts)
	c := slapEvalCase{img: full, pxMM: 500 / 25.4}
	scale, ox, oy := 1.0, 0.0, 0.0
	if reader {
		b := full.Bounds()
		scale = math.Min(float64(slapReaderW)/float64(b.Dx()), float64(slapReaderH)/float64(b.Dy()))
		ox, oy = float64((slapReaderW-int(float64(b.Dx())*scale))/2), float64((slapReaderH-int(float64(b.Dy())*scale))/2)
		c.img, c.pxMM = biosrc.Fit(full, slapReaderW, slapReaderH), c.pxMM*scale
	}
	for i, p := range synth.SlapContactCentres(full, lay) {
		c.truth = append(c.truth, [3]float64{ox + p.X*scale, oy + p.Y*scale, lay[i].Rotation})
	}
	return c
}

func runEvalSlap(cx *context, args []string) int {
	fs, c := newFlags(cx, "eval slap")
	n := fs.Int("n", 10, "identities to draw")
	kinds := fs.String("slaps", "R4,L4,TH", "slaps per identity: R4 (right four), L4 (left four), TH (thumbs)")
	reader := fs.Bool("reader", false, "fit each slap to the simulated slap reader's 960×440 image first")
	tolMM := fs.Float64("tol-mm", 1, "centre error (mm) a finger must stay within")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *n < 1 || *tolMM <= 0 {
		return failf(cx, exitUsage, "eval slap: --n and --tol-mm must be positive")
	}
	var slaps []synth.Slap
	for _, k := range strings.Split(*kinds, ",") {
		s, ok := synthSlapNames[k]
		if !ok {
			return failf(cx, exitUsage, "eval slap: unknown slap %q (R4, L4, TH)", k)
		}
		slaps = append(slaps, s)
	}
	r := slapEvalReport{Reader: *reader, TolMM: *tolMM}
	var errsMM, ms []float64
	var axis float64
	counted, segmented, ordered, within := 0, 0, 0, 0
	for id := uint64(1); id <= uint64(*n); id++ {
		for _, kind := range slaps {
			// Every third identity has one finger missing from a four-finger
			// slap (which one turns with the identity).
			var missing []int
			if kind != synth.Thumbs && id%3 == 0 {
				fingers := []int{2, 3, 4, 5}
				if kind == synth.LeftFour {
					fingers = []int{7, 8, 9, 10}
				}
				missing = []int{fingers[id/3%4]}
			}
			sc := renderSlapCase(id, kind, missing, *reader)
			r.Slaps++
			r.Fingers += len(sc.truth)
			if quality.CountFingers(sc.img) == len(sc.truth) {
				counted++
			}
			start := time.Now()
			segs, err := quality.Segment(sc.img, len(sc.truth))
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
			if err != nil {
				continue
			}
			segmented++
			for i, s := range segs {
				d := math.Hypot(s.CX-sc.truth[i][0], s.CY-sc.truth[i][1])
				own := true
				for j, t := range sc.truth {
					own = own && (j == i || math.Hypot(s.CX-t[0], s.CY-t[1]) > d)
				}
				if own {
					ordered++
				}
				mm := d / sc.pxMM
				errsMM = append(errsMM, mm)
				if mm <= *tolMM {
					within++
				}
				axis += math.Abs(s.Angle - sc.truth[i][2])
			}
		}
	}
	r.CountRate = float64(counted) / float64(r.Slaps)
	r.SegRate = float64(segmented) / float64(r.Slaps)
	r.OrderRate = float64(ordered) / float64(r.Fingers)
	r.WithinRate = float64(within) / float64(r.Fingers)
	if len(errsMM) > 0 {
		sort.Float64s(errsMM)
		for _, e := range errsMM {
			r.MeanMM += e / float64(len(errsMM))
		}
		r.P95MM = errsMM[min(len(errsMM)-1, len(errsMM)*95/100)]
		r.MaxMM = errsMM[len(errsMM)-1]
		r.AxisMeanRad = axis / float64(len(errsMM))
	}
	sort.Float64s(ms)
	r.SegmentMS = ms[len(ms)/2]
	if c.jsonOut {
		if err := emitJSON(cx, r); err != nil {
			return failf(cx, exitUsage, "eval slap: %v", err)
		}
	} else {
		fmt.Fprintf(cx.stdout, "slaps %d (%d fingers), reader %v\ncount right %.3f, segmented %.3f, order right %.3f, within %.1f mm %.3f\ncentre error mean %.2f mm, p95 %.2f mm, max %.2f mm; axis error mean %.3f rad; segment %.1f ms (median)\n",
			r.Slaps, r.Fingers, r.Reader, r.CountRate, r.SegRate, r.OrderRate, r.TolMM, r.WithinRate, r.MeanMM, r.P95MM, r.MaxMM, r.AxisMeanRad, r.SegmentMS)
	}
	if segmented < r.Slaps || within < r.Fingers || ordered < r.Fingers {
		return exitNegative
	}
	return exitOK
}
