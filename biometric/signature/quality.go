package signature

import (
	"errors"
	"fmt"
	"math"
)

// Limits are the bounds a capture must meet before it is accepted.
type Limits struct {
	// MinSamples and MaxSamples bound the number of samples.
	MinSamples, MaxSamples int
	// MinDurationMS and MaxDurationMS bound the signing time.
	MinDurationMS, MaxDurationMS int64
	// MinPenDownRatio is the least fraction of samples with the tip down.
	MinPenDownRatio float64
	// MinExtent is the least width or height of the pen-down box, in device units.
	MinExtent float64
	// MaxGapMS is the largest allowed time step between samples (sampling sanity).
	MaxGapMS int64
}

// DefaultLimits suits a 100–200 Hz pad.
var DefaultLimits = Limits{
	MinSamples: 30, MaxSamples: 20000,
	MinDurationMS: 300, MaxDurationMS: 30000,
	MinPenDownRatio: 0.3,
	MinExtent:       1,
	MaxGapMS:        2000,
}

// Problem is one quality defect of a capture, with operator messages.
type Problem struct {
	// Code names the defect, e.g. "too_short".
	Code string
	// ID and EN are the operator messages in Indonesian and English.
	ID, EN string
}

func problemErrs(ps []Problem) []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = errors.New(p.Code + ": " + p.EN)
	}
	return out
}

// Check returns the quality problems of sig against lim; none means accepted.
func Check(sig *Signature, lim Limits) []Problem {
	var ps []Problem
	add := func(code, id, en string) { ps = append(ps, Problem{code, id, en}) }
	n := len(sig.Samples)
	if n < lim.MinSamples {
		add("too_few_samples", fmt.Sprintf("Tanda tangan terlalu pendek (%d titik). Ulangi.", n),
			fmt.Sprintf("Signature too short (%d points). Sign again.", n))
	}
	if lim.MaxSamples > 0 && n > lim.MaxSamples {
		add("too_many_samples", "Tanda tangan terlalu panjang. Ulangi.", "Signature too long. Sign again.")
	}
	if n == 0 {
		return ps
	}
	d := sig.Duration()
	if d < lim.MinDurationMS {
		add("too_fast", "Waktu menandatangani terlalu singkat. Ulangi.", "Signing took too little time. Sign again.")
	}
	if lim.MaxDurationMS > 0 && d > lim.MaxDurationMS {
		add("too_slow", "Waktu menandatangani terlalu lama. Ulangi.", "Signing took too long. Sign again.")
	}
	down, flat := 0, true
	first := math.NaN()
	for i, p := range sig.Samples {
		if p.PenDown {
			down++
			if math.IsNaN(first) {
				first = p.Pressure
			} else if p.Pressure != first {
				flat = false
			}
		}
		if i > 0 && (p.T < sig.Samples[i-1].T || (lim.MaxGapMS > 0 && p.T-sig.Samples[i-1].T > lim.MaxGapMS)) {
			add("bad_timing", "Data waktu dari alat tidak wajar. Periksa alat.", "Device timestamps are out of order or gapped. Check the pad.")
			break
		}
	}
	if float64(down) < lim.MinPenDownRatio*float64(n) {
		add("pen_up", "Pena jarang menyentuh bantalan. Tekan pena saat menandatangani.", "The pen rarely touched the pad. Press while signing.")
	}
	if down > 1 && flat {
		add("flat_pressure", "Tekanan pena tidak terbaca. Periksa alat.", "Pen pressure does not vary. Check the pad.")
	}
	if x0, y0, x1, y1, ok := sig.Bounds(); !ok || math.Max(x1-x0, y1-y0) < lim.MinExtent {
		add("too_small", "Tanda tangan terlalu kecil. Ulangi lebih besar.", "Signature too small. Sign larger.")
	}
	return ps
}
