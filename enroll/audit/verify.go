package audit

import (
	"bytes"
	"crypto/hmac"
	"fmt"
)

// BreakError says where and how a chain is broken.
type BreakError struct {
	// Seq is the entry at which the break shows (the head's for a missing
	// tail).
	Seq int64
	// Reason says what is wrong in words an auditor can act on.
	Reason string
}

// Error says where the chain breaks and why.
func (e *BreakError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks a log entry by entry, in sequence order, without holding
// it all in memory.
type Verifier struct {
	key  []byte
	prev []byte
	seq  int64
}

// NewVerifier starts checking a log from its first entry.
func NewVerifier(key []byte) *Verifier {
	return &Verifier{key: key, prev: Genesis}
}

// Count is how many entries have been checked.
func (v *Verifier) Count() int64 { return v.seq }

// Add checks the next entry in stored order.
func (v *Verifier) Add(e Entry) error {
	want := v.seq + 1
	switch {
	case e.Seq != want:
		if e.Seq > want {
			return &BreakError{want, fmt.Sprintf("entry missing (next stored entry is %d): an entry was removed", e.Seq)}
		}
		return &BreakError{want, fmt.Sprintf("entry number %d out of order", e.Seq)}
	case !bytes.Equal(e.sum(), e.Hash):
		return &BreakError{e.Seq, "fields do not match the entry's hash: the entry was edited or moved"}
	case !hmac.Equal(mac(v.key, e.Hash), e.MAC):
		return &BreakError{e.Seq, "seal does not match the station key: the chain was recomputed or the entry forged"}
	case !bytes.Equal(e.Prev, v.prev):
		return &BreakError{e.Seq, fmt.Sprintf("does not follow entry %d: an entry was removed, inserted or reordered", want-1)}
	}
	v.prev, v.seq = e.Hash, e.Seq
	return nil
}

// Finish checks that the log ends where the recorded head says, so a
// removed tail is caught too.
func (v *Verifier) Finish(h Head) error {
	if h.Seq == 0 && v.seq == 0 {
		return nil
	}
	if !hmac.Equal(headMAC(v.key, h.Seq, h.Hash), h.MAC) {
		return &BreakError{h.Seq, "the recorded head's seal does not match the station key: the head was altered"}
	}
	if v.seq < h.Seq {
		return &BreakError{v.seq + 1, fmt.Sprintf("log ends at entry %d but the station recorded %d entries: the tail was removed", v.seq, h.Seq)}
	}
	if v.seq > h.Seq || !bytes.Equal(v.prev, h.Hash) {
		return &BreakError{h.Seq, fmt.Sprintf("log runs to entry %d but the recorded head is entry %d", v.seq, h.Seq)}
	}
	return nil
}
