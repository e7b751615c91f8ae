package main

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/store"
)

func init() {
	register(&command{path: "eval fingerlogin", summary: "evaluate the operators' fingerprint login (1:N at the store's threshold) on FVC-layout folders (DIR[:DPI]...)", run: runEvalFingerLogin})
}

// loginEnrolImpressions is how many impressions the login enrolment takes
// (the best quality is kept), as on the operators screen.
const loginEnrolImpressions = 3

// fingerLoginEvalJSON is one set's result line.
type fingerLoginEvalJSON struct {
	Set       string  `json:"set"`
	Operators int     `json:"operators"`
	Threshold float64 `json:"threshold"`
	// Genuine attempts: later impressions of an enrolled finger, gallery
	// of every operator.
	Genuine       int     `json:"genuine"`
	GenuineAccept float64 `json:"genuine_accept"`
	WrongOperator float64 `json:"wrong_operator"`
	// Impostor attempts: each finger's impressions against the gallery of
	// the other operators (its own template left out).
	Impostor       int     `json:"impostor"`
	ImpostorAccept float64 `json:"impostor_accept"`
}

// runEvalFingerLogin plays the station's finger login on each set: every
// finger of the set is one operator, enrolled from the best of its first
// impressions; the remaining impressions log in.
func runEvalFingerLogin(cx *context, args []string) int {
	fs, c := newFlags(cx, "eval fingerlogin")
	dpi := fs.Int("dpi", 500, "resolution of images that carry none and have no :DPI suffix")
	add := fs.Float64("add", 0, "raise the store's threshold by this much (explores stricter settings)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		return failf(cx, exitUsage, "eval fingerlogin: give at least one DIR[:DPI]")
	}
	for _, arg := range fs.Args() {
		dir, setDPI := splitDirDPI(arg)
		samples, err := extractSet(dir, setDPI, float64(*dpi))
		if err != nil {
			return failf(cx, exitUsage, "eval fingerlogin: %s: %v", dir, err)
		}
		res := evaluateFingerLogin(samples, *add)
		res.Set = filepath.Base(filepath.Clean(dir))
		if c.jsonOut {
			if err := emitJSON(cx, res); err != nil {
				return failf(cx, exitUsage, "eval fingerlogin: %v", err)
			}
			continue
		}
		fmt.Fprintf(cx.stdout, "%s: %d operators, threshold %.2f (FPIR %g)\n  genuine  %d attempts: accepted %.4f, as another operator %.4f\n  impostor %d attempts: accepted %.4f\n",
			res.Set, res.Operators, res.Threshold, store.FingerLoginFMR, res.Genuine, res.GenuineAccept, res.WrongOperator, res.Impostor, res.ImpostorAccept)
	}
	return exitOK
}

// evaluateFingerLogin runs the genuine and impostor attempts of one set.
// add raises the store's threshold.
func evaluateFingerLogin(ss []*fvcSample, add float64) fingerLoginEvalJSON {
	enrolled := map[int]*finger.Template{}
	var fingers []int
	for _, s := range ss {
		if s.impression > loginEnrolImpressions || s.tpl == nil || len(s.tpl.Minutiae) < store.MinLoginMinutiae {
			continue
		}
		if b, ok := enrolled[s.finger]; !ok {
			enrolled[s.finger] = s.tpl
			fingers = append(fingers, s.finger)
		} else if s.tpl.Quality > b.Quality {
			enrolled[s.finger] = s.tpl
		}
	}
	gallery := func(skip int) *finger.Gallery {
		g := &finger.Gallery{}
		for _, f := range fingers {
			if f != skip {
				g.Add(strconv.Itoa(f), enrolled[f])
			}
		}
		return g
	}
	all := gallery(-1)
	res := fingerLoginEvalJSON{Operators: all.Len(), Threshold: store.FingerLoginThreshold(all.Len()) + add}
	var accept, wrong, impAccept int
	othersOf := map[int]*finger.Gallery{} // per finger: the gallery without it, for its impostor attempts
	for _, s := range ss {
		if s.impression <= loginEnrolImpressions {
			continue
		}
		if _, ok := enrolled[s.finger]; !ok {
			continue
		}
		// A failure to extract is a rejected attempt.
		res.Genuine++
		res.Impostor++
		if s.tpl == nil || len(s.tpl.Minutiae) < store.MinLoginMinutiae {
			continue
		}
		if hits := all.Search(s.tpl, res.Threshold, 1); len(hits) == 1 {
			if hits[0].ID == strconv.Itoa(s.finger) {
				accept++
			} else {
				wrong++
			}
		}
		others, ok := othersOf[s.finger]
		if !ok {
			others = gallery(s.finger)
			othersOf[s.finger] = others
		}
		if len(others.Search(s.tpl, store.FingerLoginThreshold(others.Len())+add, 1)) > 0 {
			impAccept++
		}
	}
	if res.Genuine > 0 {
		res.GenuineAccept = round4(float64(accept) / float64(res.Genuine))
		res.WrongOperator = round4(float64(wrong) / float64(res.Genuine))
		res.ImpostorAccept = round4(float64(impAccept) / float64(res.Impostor))
	}
	return res
}
