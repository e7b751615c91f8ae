package enroll

import (
	"fmt"
	"time"
)

// State is an enrollment's place in the KTP-el recording lifecycle. The names
// are the ones KTP-el systems use where they exist.
type State string

// The enrollment states, in lifecycle order.
const (
	Draft                  State = "DRAFT"
	BioCaptured            State = "BIO_CAPTURED"
	Review                 State = "REVIEW"
	Approved               State = "APPROVED"
	Rejected               State = "REJECTED"
	Processing             State = "PROCESSING"
	SentForEnrollment      State = "SENT_FOR_ENROLLMENT"
	ReceivedAtCentral      State = "RECEIVED_AT_CENTRAL"
	PrintReadyRecord       State = "PRINT_READY_RECORD"
	DuplicateRecord        State = "DUPLICATE_RECORD"
	AdjudicateRecord       State = "ADJUDICATE_RECORD"
	EnrollFailureAtCentral State = "ENROLL_FAILURE_AT_CENTRAL"
	SearchFailureAtCentral State = "SEARCH_FAILURE_AT_CENTRAL"
	SentForCardPrinting    State = "SENT_FOR_CARD_PRINTING"
	CardPrinted            State = "CARD_PRINTED"
	CardShipped            State = "CARD_SHIPPED"
	CardIssued             State = "CARD_ISSUED"
	Voided                 State = "VOIDED"
)

// States lists every enrollment state in lifecycle order.
var States = []State{
	Draft, BioCaptured, Review, Approved, Rejected, Processing, SentForEnrollment,
	ReceivedAtCentral, PrintReadyRecord, DuplicateRecord, AdjudicateRecord,
	EnrollFailureAtCentral, SearchFailureAtCentral, SentForCardPrinting,
	CardPrinted, CardShipped, CardIssued, Voided,
}

// transitions is the lifecycle graph: from → allowed next states.
var transitions = map[State][]State{
	Draft:       {BioCaptured, Voided},
	BioCaptured: {Draft, Review, Approved, Rejected},
	Review:      {Approved, Rejected},
	Approved:    {Processing},
	// SENT_FOR_ENROLLMENT may fall back to PROCESSING when an upload is
	// abandoned and re-queued; a receipt is needed to go further.
	Processing:             {SentForEnrollment},
	SentForEnrollment:      {ReceivedAtCentral, Processing},
	ReceivedAtCentral:      {PrintReadyRecord, DuplicateRecord, AdjudicateRecord, EnrollFailureAtCentral, SearchFailureAtCentral},
	AdjudicateRecord:       {PrintReadyRecord, DuplicateRecord, EnrollFailureAtCentral},
	SearchFailureAtCentral: {PrintReadyRecord, DuplicateRecord, AdjudicateRecord, EnrollFailureAtCentral},
	PrintReadyRecord:       {SentForCardPrinting},
	SentForCardPrinting:    {CardPrinted},
	CardPrinted:            {CardShipped},
	CardShipped:            {CardIssued},
}

// Valid reports whether s is one of the lifecycle states.
func (s State) Valid() bool {
	for _, x := range States {
		if x == s {
			return true
		}
	}
	return false
}

// Terminal reports whether no transition leaves s.
func (s State) Terminal() bool { return len(transitions[s]) == 0 }

// Next returns the states reachable from s in one transition.
func (s State) Next() []State { return append([]State(nil), transitions[s]...) }

// TransitionError reports a transition the lifecycle does not allow.
type TransitionError struct {
	From, To State
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("enrollment cannot go from %s to %s", e.From, e.To)
}

// CheckTransition returns a *TransitionError unless from → to is allowed.
func CheckTransition(from, to State) error {
	if !from.Valid() || !to.Valid() {
		return &TransitionError{From: from, To: to}
	}
	for _, n := range transitions[from] {
		if n == to {
			return nil
		}
	}
	return &TransitionError{From: from, To: to}
}

// Transition is one stored step of an enrollment's lifecycle: who moved it,
// when and why.
type Transition struct {
	From   State     `json:"from"`
	To     State     `json:"to"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}
