package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// BenchmarkFingerLogin measures one finger login (1:N over 20 enrolled
// operators, SQLite reads, unsealing, audit write) and reports the login's
// genuine and impostor behaviour on synthetic fingers: genuine_accept is the
// share of other impressions of enrolled fingers that log in as their owner,
// wrong_operator the share that log in as someone else, impostor_accept the
// share of 100 strangers' fingers that log in at all.
func BenchmarkFingerLogin(b *testing.B) {
	ctx := context.Background()
	f := newFPStation(b)
	const operators, genuineImps, strangers = 20, 3, 100
	for i := 0; i < operators; i++ {
		name := fmt.Sprintf("fp%02d", i)
		if _, err := f.s.AddOperator(ctx, f.admin, name, "operator", fpPassword); err != nil {
			b.Fatal(err)
		}
		if err := f.s.EnrollOperatorFinger(ctx, f.admin, name, "", 2, template(b, uint64(1000+i), 0)); err != nil {
			b.Fatal(err)
		}
	}
	var genuine, wrong, impostor int
	probe := template(b, 1000, 1)
	// Each attempt comes after the throttle window, so unrecognised
	// strangers do not pause the login for the attempts that follow.
	tick := func() {
		f.mu.Lock()
		f.now = f.now.Add(store.FingerThrottleWindow + time.Second)
		f.mu.Unlock()
	}
	for i := 0; i < operators; i++ {
		for imp := 1; imp <= genuineImps; imp++ {
			tick()
			sess, err := f.s.FingerLogin(ctx, template(b, uint64(1000+i), imp))
			switch {
			case err == nil && sess.Name == fmt.Sprintf("fp%02d", i):
				genuine++
			case err == nil:
				wrong++
			case !errors.Is(err, store.ErrFingerNoMatch) && !errors.Is(err, store.ErrFingerUnusable):
				b.Fatal(err)
			}
		}
	}
	for p := 0; p < strangers; p++ {
		tick()
		_, err := f.s.FingerLogin(ctx, template(b, uint64(5000+p), 0))
		switch {
		case err == nil:
			impostor++
		case !errors.Is(err, store.ErrFingerNoMatch):
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := f.s.FingerLogin(ctx, probe); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(genuine)/float64(operators*genuineImps), "genuine_accept")
	b.ReportMetric(float64(wrong)/float64(operators*genuineImps), "wrong_operator")
	b.ReportMetric(float64(impostor)/strangers, "impostor_accept")
	b.ReportMetric(store.FingerLoginThreshold(operators), "threshold")
}

// BenchmarkFingerScores reports the spread of raw genuine and impostor
// scores behind BenchmarkFingerLogin's rates: the lowest genuine and the
// highest impostor score over the same synthetic fingers.
func BenchmarkFingerScores(b *testing.B) {
	const people, imps = 20, 4
	ts := make([][]*finger.Template, people)
	for p := range ts {
		for i := 0; i <= imps; i++ {
			ts[p] = append(ts[p], template(b, uint64(1000+p), i))
		}
	}
	minGen, maxImp := 1e9, 0.0
	for b.Loop() {
		minGen, maxImp = 1e9, 0.0
		for p := range ts {
			pr := finger.NewProbe(ts[p][0])
			for q := range ts {
				for i := 1; i <= imps; i++ {
					s := pr.Score(finger.Prepare(ts[q][i]))
					if p == q {
						minGen = min(minGen, s)
					} else {
						maxImp = max(maxImp, s)
					}
				}
			}
		}
	}
	b.ReportMetric(minGen, "min_genuine")
	b.ReportMetric(maxImp, "max_impostor")
}
