package enroll

import (
	"errors"
	"testing"
)

func TestCheckTransition(t *testing.T) {
	tests := []struct {
		from, to State
		ok       bool
	}{
		{Draft, BioCaptured, true},
		{Draft, Voided, true},
		{Draft, Approved, false},
		{BioCaptured, Review, true},
		{Review, Approved, true},
		{Review, Processing, false},
		{Approved, Processing, true},
		{Processing, ReceivedAtCentral, false},
		{SentForEnrollment, ReceivedAtCentral, true},
		{ReceivedAtCentral, EnrollFailureAtCentral, true},
		{CardShipped, CardIssued, true},
		{Voided, Draft, false},
		{Rejected, Approved, false},
		{State("BOGUS"), Draft, false},
	}
	for _, tt := range tests {
		err := CheckTransition(tt.from, tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s→%s: err=%v, want ok=%v", tt.from, tt.to, err, tt.ok)
		}
		var te *TransitionError
		if err != nil && !errors.As(err, &te) {
			t.Errorf("%s→%s: error %T is not a *TransitionError", tt.from, tt.to, err)
		}
	}
}

func TestEveryStateReachableFromDraft(t *testing.T) {
	seen := map[State]bool{Draft: true}
	queue := []State{Draft}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range s.Next() {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, s := range States {
		if !seen[s] {
			t.Errorf("state %s cannot be reached from DRAFT", s)
		}
	}
	if !Voided.Terminal() || !CardIssued.Terminal() || Draft.Terminal() {
		t.Error("terminal states wrong")
	}
}
