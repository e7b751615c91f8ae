package main

import (
	"fmt"
	"io"
)

// jitterResult is a set's rates averaged over cropped rounds.
type jitterResult struct {
	json          fingerEvalJSON
	rounds        int
	fmr1000Errors float64 // mean genuine errors behind FMR1000
}

// jitterSet evaluates the set in dir n times, each round with every image
// cropped by 0–2 pixels at its left and top (a different crop per image
// and per round), and averages the rates. A single evaluation moves by
// whole errors when an image shifts by one pixel, so the averages judge a
// change to the engine more steadily than one run; counts (images, failures
// to extract, comparisons) are summed over the rounds.
func jitterSet(dir string, setDPI, flagDPI float64, n int) (*jitterResult, error) {
	r := &jitterResult{rounds: n}
	ss, ims, err := decodeSet(dir, setDPI, flagDPI)
	if err != nil {
		return nil, err
	}
	var errs int
	for round := 0; round < n; round++ {
		extractSamples(ss, ims, func(k int) (int, int) {
			return (round + k) % 3, (round/3 + k/3) % 3
		})
		res, err := evaluateFingerSet(ss)
		if err != nil {
			return nil, err
		}
		j, a := &r.json, res.json
		j.Images += a.Images
		j.FTE += a.FTE
		j.Genuine += a.Genuine
		j.Impostors += a.Impostors
		j.EER += a.EER / float64(n)
		j.FMR100 += a.FMR100 / float64(n)
		j.FMR1000 += a.FMR1000 / float64(n)
		j.ZeroFMR += a.ZeroFMR / float64(n)
		j.ExtractMSMedian += a.ExtractMSMedian / float64(n)
		j.MatchesPerS += a.MatchesPerS / float64(n)
		errs += res.rates.FMR1000Errors
	}
	r.fmr1000Errors = float64(errs) / float64(n)
	j := &r.json
	j.EER, j.FMR100, j.FMR1000, j.ZeroFMR = round4(j.EER), round4(j.FMR100), round4(j.FMR1000), round4(j.ZeroFMR)
	j.ExtractMSMedian, j.MatchesPerS = round4(j.ExtractMSMedian), float64(int(j.MatchesPerS))
	return r, nil
}

// print writes the averages as one readable line.
func (r *jitterResult) print(w io.Writer) {
	fmt.Fprintf(w, "  over %d cropped rounds (%s): EER %.2f%%, FMR100 %.2f%%, FMR1000 %.2f%% (%.1f genuine errors on average), ZeroFMR %.2f%%, %d failed to extract\n",
		r.rounds, r.json.Set, 100*r.json.EER, 100*r.json.FMR100, 100*r.json.FMR1000, r.fmr1000Errors, 100*r.json.ZeroFMR, r.json.FTE)
}

// cropFingerImage returns fi without its first dx columns and dy rows.
func cropFingerImage(fi *fingerImage, dx, dy int) *fingerImage {
	if dx <= 0 && dy <= 0 || dx >= fi.w || dy >= fi.h {
		return fi
	}
	w, h := fi.w-dx, fi.h-dy
	out := &fingerImage{w: w, h: h, pix: make([]uint8, w*h), dpi: fi.dpi}
	for y := 0; y < h; y++ {
		copy(out.pix[y*w:(y+1)*w], fi.pix[(y+dy)*fi.w+dx:])
	}
	return out
}
