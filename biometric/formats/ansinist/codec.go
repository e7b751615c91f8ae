package ansinist

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// Parse reads a complete transaction.
func Parse(data []byte) (*Transaction, error) {
	first, n, err := parseTagged(data, 0)
	if err != nil {
		return nil, err
	}
	if first.Type != 1 {
		return nil, fmt.Errorf("%w: first record is Type-%d, want Type-1", ErrFormat, first.Type)
	}
	cnt, err := parseContents(first.Get(3))
	if err != nil {
		return nil, err
	}
	t := &Transaction{Records: []*Record{first}}
	pos := n
	for _, c := range cnt[1:] {
		var r *Record
		if isBinaryType(c.Type) {
			r, n, err = parseBinary(c.Type, data[pos:], pos)
		} else {
			r, n, err = parseTagged(data[pos:], pos)
			if err == nil && r.Type != c.Type {
				err = fmt.Errorf("%w: record at byte %d is Type-%d, CNT says Type-%d", ErrFormat, pos, r.Type, c.Type)
			}
		}
		if err != nil {
			return nil, err
		}
		t.Records = append(t.Records, r)
		pos += n
	}
	if pos != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the last record", ErrFormat, len(data)-pos)
	}
	return t, nil
}

// Read reads a complete transaction from r.
func Read(r io.Reader) (*Transaction, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("ansinist: read: %w", err)
	}
	return Parse(data)
}

// parseContents parses a CNT field: "1 US count", then "type US IDC" per
// record.
func parseContents(v string) ([]ContentEntry, error) {
	subs := Subfields(v)
	var out []ContentEntry
	for i, s := range subs {
		if len(s) != 2 {
			return nil, fmt.Errorf("%w: CNT subfield %d has %d items", ErrFormat, i+1, len(s))
		}
		a, err1 := strconv.Atoi(s[0])
		b, err2 := strconv.Atoi(s[1])
		if err1 != nil || err2 != nil || a < 0 || b < 0 {
			return nil, fmt.Errorf("%w: CNT subfield %d is %q", ErrFormat, i+1, s)
		}
		out = append(out, ContentEntry{a, b})
	}
	if len(out) == 0 || out[0].Type != 1 {
		return nil, fmt.Errorf("%w: CNT does not start with the Type-1 entry", ErrFormat)
	}
	if out[0].IDC != len(out)-1 || len(out)-1 > MaxRecords {
		return nil, fmt.Errorf("%w: CNT declares %d records and lists %d", ErrFormat, out[0].IDC, len(out)-1)
	}
	for i, c := range out[1:] {
		if c.Type == 1 || c.Type > 99 {
			return nil, fmt.Errorf("%w: CNT entry %d has record type %d", ErrFormat, i+2, c.Type)
		}
	}
	return out, nil
}

// atoiPrefix reads decimal digits of data from pos up to the byte stop.
func atoiPrefix(data []byte, pos int, stop byte, what string, at int) (int, int, error) {
	i := pos
	v := 0
	for i < len(data) && data[i] != stop {
		c := data[i]
		if c < '0' || c > '9' || i-pos >= 9 {
			return 0, 0, fmt.Errorf("%w: bad %s at byte %d", ErrFormat, what, at+i)
		}
		v = v*10 + int(c-'0')
		i++
	}
	if i == pos || i >= len(data) {
		return 0, 0, fmt.Errorf("%w: bad %s at byte %d", ErrFormat, what, at+pos)
	}
	return v, i + 1, nil
}

// parseTagged reads a tagged record from the start of data; at is its
// offset in the file, for messages.
func parseTagged(data []byte, at int) (*Record, int, error) {
	typ, p, err := atoiPrefix(data, 0, '.', "record type", at)
	if err != nil {
		return nil, 0, err
	}
	tag, p, err := atoiPrefix(data, p, ':', "field tag", at)
	if err != nil {
		return nil, 0, err
	}
	if tag != 1 {
		return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d starts with field %d, not LEN", ErrFormat, typ, at, tag)
	}
	end := p
	for end < len(data) && data[end] != GS && data[end] != FS {
		end++
	}
	n, err := strconv.Atoi(string(data[p:end]))
	if err != nil || n <= end || n > len(data) {
		return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d: length %q with %d bytes left", ErrFormat, typ, at, data[p:end], len(data))
	}
	rec := data[:n]
	if rec[n-1] != FS {
		return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d does not end with FS", ErrFormat, typ, at)
	}
	r := &Record{Type: typ}
	pos := 0
	for pos < n {
		t, q, err := atoiPrefix(rec, pos, '.', "record type", at)
		if err != nil {
			return nil, 0, err
		}
		if t != typ {
			return nil, 0, fmt.Errorf("%w: field of Type-%d inside a Type-%d record at byte %d", ErrFormat, t, typ, at+pos)
		}
		f, q, err := atoiPrefix(rec, q, ':', "field tag", at)
		if err != nil {
			return nil, 0, err
		}
		var e int
		if f == 999 {
			// Image data is binary and runs to the end of the record.
			e = n - 1
		} else {
			e = q
			for e < n && rec[e] != GS && rec[e] != FS {
				e++
			}
		}
		if len(r.Fields) >= MaxFields {
			return nil, 0, fmt.Errorf("%w: Type-%d record at byte %d has too many fields", ErrFormat, typ, at)
		}
		r.Fields = append(r.Fields, Field{Tag: f, Value: rec[q:e]})
		if rec[e] == FS {
			if e != n-1 {
				return nil, 0, fmt.Errorf("%w: FS inside the Type-%d record at byte %d", ErrFormat, typ, at+e)
			}
			break
		}
		pos = e + 1
	}
	return r, n, nil
}

// Marshal writes the transaction. Each record's length field is computed;
// every other field, CNT included, is written as it stands.
func (t *Transaction) Marshal() ([]byte, error) {
	var out []byte
	for i, r := range t.Records {
		var err error
		if r.Binary != nil {
			if !isBinaryType(r.Type) {
				return nil, fmt.Errorf("ansinist: record %d: Type-%d cannot be binary", i+1, r.Type)
			}
			out, err = appendBinary(out, r.Type, r.Binary)
		} else {
			out, err = appendTagged(out, r)
		}
		if err != nil {
			return nil, fmt.Errorf("ansinist: record %d: %w", i+1, err)
		}
	}
	return out, nil
}

// appendTagged writes a tagged record with its LEN field first.
func appendTagged(out []byte, r *Record) ([]byte, error) {
	if r.Type < 1 || isBinaryType(r.Type) {
		return nil, fmt.Errorf("record type %d is not tagged", r.Type)
	}
	var body bytes.Buffer
	for _, f := range r.Fields {
		if f.Tag == 1 {
			continue
		}
		if f.Tag < 2 || f.Tag > 999 {
			return nil, fmt.Errorf("field %d.%03d out of range", r.Type, f.Tag)
		}
		if f.Tag != 999 && bytes.ContainsAny(f.Value, "\x1c\x1d") {
			return nil, fmt.Errorf("field %d.%03d contains a record or field separator", r.Type, f.Tag)
		}
		fmt.Fprintf(&body, "%c%d.%03d:", GS, r.Type, f.Tag)
		body.Write(f.Value)
	}
	body.WriteByte(FS)
	prefix := fmt.Sprintf("%d.001:", r.Type)
	// LEN counts its own digits.
	n := len(prefix) + body.Len()
	for d := 1; ; d++ {
		if len(strconv.Itoa(n+d)) == d {
			n += d
			break
		}
	}
	out = append(out, prefix...)
	out = strconv.AppendInt(out, int64(n), 10)
	return append(out, body.Bytes()...), nil
}

// SetContents rewrites field 1.003 (CNT) from the records after Type-1.
func (t *Transaction) SetContents() error {
	if len(t.Records) == 0 || t.Records[0].Type != 1 {
		return fmt.Errorf("ansinist: transaction has no Type-1 record")
	}
	subs := [][]string{{"1", strconv.Itoa(len(t.Records) - 1)}}
	for _, r := range t.Records[1:] {
		subs = append(subs, []string{strconv.Itoa(r.Type), fmt.Sprintf("%02d", max(r.IDC(), 0))})
	}
	t.Records[0].SetText(3, JoinSubfields(subs))
	return nil
}
