// Package audit is the station's tamper-evident log: an append-only chain in
// which every entry carries the hash of the one before it. Each entry's hash
// is SHA-256 over its canonical fields (the previous hash included), and a
// MAC over that hash with a station key, so someone who holds the database
// but not the key cannot rewrite the chain after an edit. A head (last
// sequence number and hash, also MACed) kept beside the log reveals a
// removed tail.
//
// Entries name records by reference ("resident:12"), never by NIK or name.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"regexp"
	"time"
)

// HashSize is the length of an entry's hash and MAC.
const HashSize = sha256.Size

// Entry is one audit record.
type Entry struct {
	// Seq numbers entries from 1 without gaps.
	Seq int64 `json:"seq"`
	// At is when the audited action happened (UTC, nanoseconds kept).
	At time.Time `json:"at"`
	// Actor is the operator account (or "station" for the station itself).
	Actor string `json:"actor"`
	// Action names what happened, e.g. "resident.read", "login.fail".
	Action string `json:"action"`
	// Object references the record acted on, e.g. "enrollment:7".
	Object string `json:"object,omitempty"`
	// Detail is a short code-only note, e.g. "DRAFT>BIO_CAPTURED".
	Detail string `json:"detail,omitempty"`
	// Prev is the previous entry's hash (zeros for the first entry).
	Prev []byte `json:"prev"`
	// Hash is SHA-256 over the canonical fields including Prev.
	Hash []byte `json:"hash"`
	// MAC is HMAC-SHA256 of Hash under the station's audit key.
	MAC []byte `json:"mac"`
}

// Head is the chain's end as recorded beside the log.
type Head struct {
	Seq  int64
	Hash []byte
	MAC  []byte
}

// Genesis is the Prev of the first entry.
var Genesis = make([]byte, HashSize)

var (
	actorRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	actionRE = regexp.MustCompile(`^[a-z][a-z0-9._]{0,63}$`)
	objectRE = regexp.MustCompile(`^([a-z_]+:[A-Za-z0-9._/-]{1,64})?$`)
	detailRE = regexp.MustCompile(`^[A-Za-z0-9_.:=,>/ -]{0,128}$`)
)

// Check validates an entry's text fields. The patterns keep free text (and
// so personal data) out of the log: objects are kind:ref, details are codes.
func (e *Entry) Check() error {
	switch {
	case !actorRE.MatchString(e.Actor):
		return fmt.Errorf("audit: bad actor %q", e.Actor)
	case !actionRE.MatchString(e.Action):
		return fmt.Errorf("audit: bad action %q", e.Action)
	case !objectRE.MatchString(e.Object):
		return fmt.Errorf("audit: bad object reference %q (want kind:ref)", e.Object)
	case !detailRE.MatchString(e.Detail):
		return fmt.Errorf("audit: bad detail %q", e.Detail)
	}
	return nil
}

// canonical is the byte string an entry's hash covers: a version tag, then
// every field length-prefixed so no two entries encode the same.
func (e *Entry) canonical() []byte {
	b := make([]byte, 0, 128)
	b = append(b, "rekam-audit-v1"...)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixNano()))
	for _, s := range []string{e.Actor, e.Action, e.Object, e.Detail} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Prev)))
	return append(b, e.Prev...)
}

func (e *Entry) sum() []byte {
	h := sha256.Sum256(e.canonical())
	return h[:]
}

func mac(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// Chain appends entries: it holds the audit key and the current head.
type Chain struct {
	key  []byte
	head Head
}

// NewChain continues a chain whose last entry is head (zero Head for an
// empty log).
func NewChain(key []byte, head Head) *Chain {
	if head.Seq == 0 {
		head.Hash = Genesis
	}
	return &Chain{key: key, head: head}
}

// Next fills in e's Seq, Prev, Hash and MAC as the entry after the current
// head and returns the head the log will have once e is stored. The chain
// itself does not move until Commit, so a rolled-back transaction leaves it
// unchanged.
func (c *Chain) Next(e *Entry) (Head, error) {
	if err := e.Check(); err != nil {
		return Head{}, err
	}
	e.At = e.At.UTC()
	e.Seq = c.head.Seq + 1
	e.Prev = append([]byte(nil), c.head.Hash...)
	e.Hash = e.sum()
	e.MAC = mac(c.key, e.Hash)
	return Head{Seq: e.Seq, Hash: e.Hash, MAC: headMAC(c.key, e.Seq, e.Hash)}, nil
}

// Commit moves the chain to head after its entry was stored.
func (c *Chain) Commit(h Head) { c.head = h }

// Head returns the current head.
func (c *Chain) Head() Head { return c.head }

func headMAC(key []byte, seq int64, hash []byte) []byte {
	return mac(key, []byte("head"), binary.BigEndian.AppendUint64(nil, uint64(seq)), hash)
}
