// Package ansinist reads and writes ANSI/NIST-ITL 1-2011 transactions in
// the traditional encoding: tagged ASCII records ("T.FFF:value" fields
// separated by GS, subfields by RS, items by US, the record closed by FS)
// and the binary Type-4 (grey fingerprint) and Type-8 (signature) records.
//
// Reading keeps every field's bytes, so a transaction written back is byte
// identical to what was read whenever the record lengths in the input are
// right. Build assembles an enrollment transaction from plain inputs.
package ansinist

import (
	"errors"
	"strconv"
	"strings"
)

// Separator bytes of the traditional encoding.
const (
	FS = 0x1C // ends a record
	GS = 0x1D // separates fields
	RS = 0x1E // separates subfields
	US = 0x1F // separates information items
)

// ErrFormat reports input that is not a well-formed transaction.
var ErrFormat = errors.New("ansinist: invalid format")

// Limits on hostile input.
const (
	// MaxRecords is the most records one transaction may declare.
	MaxRecords = 1000
	// MaxFields is the most fields one tagged record may hold.
	MaxFields = 10000
)

// Transaction is one ANSI/NIST-ITL file: a Type-1 record first, then the
// records its CNT field (1.003) lists, in that order.
type Transaction struct {
	Records []*Record
}

// Record is one logical record. Tagged records keep their fields; the binary
// Type-4 and Type-8 records keep their header and data in Binary.
type Record struct {
	Type   int
	Fields []Field
	Binary *BinaryRecord
}

// Field is one tagged field: its number (the FFF of "T.FFF") and raw value.
type Field struct {
	Tag   int
	Value []byte
}

// isBinaryType reports whether records of type t use a binary layout.
func isBinaryType(t int) bool {
	switch t {
	case 3, 4, 5, 6, 7, 8:
		return true
	}
	return false
}

// Get returns the value of field tag as text, or "" when absent.
func (r *Record) Get(tag int) string {
	if f := r.field(tag); f != nil {
		return string(f.Value)
	}
	return ""
}

// Bytes returns the raw value of field tag, or nil when absent.
func (r *Record) Bytes(tag int) []byte {
	if f := r.field(tag); f != nil {
		return f.Value
	}
	return nil
}

func (r *Record) field(tag int) *Field {
	for i := range r.Fields {
		if r.Fields[i].Tag == tag {
			return &r.Fields[i]
		}
	}
	return nil
}

// Set replaces field tag or inserts it in tag order.
func (r *Record) Set(tag int, value []byte) {
	if f := r.field(tag); f != nil {
		f.Value = value
		return
	}
	i := 0
	for i < len(r.Fields) && r.Fields[i].Tag < tag {
		i++
	}
	r.Fields = append(r.Fields, Field{})
	copy(r.Fields[i+1:], r.Fields[i:])
	r.Fields[i] = Field{Tag: tag, Value: value}
}

// SetText sets field tag to a text value.
func (r *Record) SetText(tag int, value string) { r.Set(tag, []byte(value)) }

// IDC returns the record's information designation character (field 002
// of a tagged record, the IDC byte of a binary one), -1 for Type-1.
func (r *Record) IDC() int {
	if r.Binary != nil {
		return int(r.Binary.IDC)
	}
	if r.Type == 1 {
		return -1
	}
	v, err := strconv.Atoi(r.Get(2))
	if err != nil {
		return -1
	}
	return v
}

// Subfields splits a field value into subfields and their items.
func Subfields(value string) [][]string {
	var out [][]string
	for _, s := range strings.Split(value, string(rune(RS))) {
		out = append(out, strings.Split(s, string(rune(US))))
	}
	return out
}

// JoinSubfields is the inverse of Subfields.
func JoinSubfields(subs [][]string) string {
	parts := make([]string, len(subs))
	for i, s := range subs {
		parts[i] = strings.Join(s, string(rune(US)))
	}
	return strings.Join(parts, string(rune(RS)))
}

// ContentEntry is one subfield of the Type-1 CNT field: a record type and
// its IDC.
type ContentEntry struct {
	Type, IDC int
}

// Contents parses field 1.003 (CNT) of the transaction's Type-1 record.
func (t *Transaction) Contents() ([]ContentEntry, error) {
	if len(t.Records) == 0 || t.Records[0].Type != 1 {
		return nil, errors.New("ansinist: transaction has no Type-1 record")
	}
	return parseContents(t.Records[0].Get(3))
}
