package index

import (
	"fmt"
	"math"
)

// Decision is the outcome of a duplicate search.
type Decision string

// Decisions, from least to most serious.
const (
	// Clear: no candidate reaches the review threshold.
	Clear Decision = "clear"
	// Review: a candidate reaches the review threshold; a supervisor looks.
	Review Decision = "review"
	// Duplicate: a candidate reaches the duplicate threshold.
	Duplicate Decision = "duplicate"
)

// Policy sets the thresholds as false-alarm rates per search: a threshold
// that reads "one false duplicate in 1/DuplicateFPIR searches" against the
// gallery's current size. The fused score of a pair of strangers is reached
// with probability 10^−score, so over N identities the per-search rate is
// about N·10^−score.
type Policy struct {
	// DuplicateFPIR is the tolerated share of searches of a new person
	// that find a stranger above the duplicate threshold.
	DuplicateFPIR float64 `json:"duplicate_fpir"`
	// ReviewFPIR is the same for the review threshold (larger).
	ReviewFPIR float64 `json:"review_fpir"`
}

// DefaultPolicy: one false duplicate in 10,000 searches, one needless
// review in 100.
var DefaultPolicy = Policy{DuplicateFPIR: 1e-4, ReviewFPIR: 1e-2}

// Check reports a policy whose rates are out of range or out of order.
func (p Policy) Check() error {
	if !(p.DuplicateFPIR > 0 && p.DuplicateFPIR < 1) || !(p.ReviewFPIR > 0 && p.ReviewFPIR < 1) {
		return fmt.Errorf("dedup policy: rates must lie in (0,1), got duplicate %g review %g", p.DuplicateFPIR, p.ReviewFPIR)
	}
	if p.ReviewFPIR < p.DuplicateFPIR {
		return fmt.Errorf("dedup policy: the review rate %g is below the duplicate rate %g", p.ReviewFPIR, p.DuplicateFPIR)
	}
	return nil
}

// Thresholds returns the fused-score thresholds for a gallery of n
// identities.
func (p Policy) Thresholds(n int) (duplicate, review float64) {
	ln := math.Log10(float64(max(n, 1)))
	return ln - math.Log10(p.DuplicateFPIR), ln - math.Log10(p.ReviewFPIR)
}

// Decide returns the decision for the best candidate's fused score in a
// gallery of n identities.
func (p Policy) Decide(best float64, n int) Decision {
	dup, rev := p.Thresholds(n)
	switch {
	case best >= dup:
		return Duplicate
	case best >= rev:
		return Review
	}
	return Clear
}
