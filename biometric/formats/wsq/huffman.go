package wsq

import (
	"fmt"
	"slices"
	"sort"
)

// maxCodeLen is the longest Huffman code a table may define.
const maxCodeLen = 16

// huffTable is a canonical Huffman table as a DHT segment defines it:
// counts[l-1] codes of length l, values in code order.
type huffTable struct {
	counts [maxCodeLen]uint8
	values []uint8
}

// huffDecoder holds the per-length code ranges of a canonical table.
type huffDecoder struct {
	minCode [maxCodeLen + 1]int32
	maxCode [maxCodeLen + 1]int32 // -1 when no code has this length
	valPtr  [maxCodeLen + 1]int32
	values  []uint8
}

// newHuffDecoder validates t (a complete or incomplete prefix code, never
// over-subscribed) and builds its decoder.
func newHuffDecoder(t *huffTable) (*huffDecoder, error) {
	d := &huffDecoder{values: t.values}
	code, idx := int32(0), int32(0)
	for l := 1; l <= maxCodeLen; l++ {
		n := int32(t.counts[l-1])
		if n == 0 {
			d.maxCode[l] = -1
		} else {
			d.valPtr[l] = idx
			d.minCode[l] = code
			d.maxCode[l] = code + n - 1
		}
		code += n
		idx += n
		if code > 1<<l {
			return nil, fmt.Errorf("%w: Huffman table over-subscribed at length %d", ErrFormat, l)
		}
		code <<= 1
	}
	if int(idx) != len(t.values) {
		return nil, fmt.Errorf("%w: Huffman table has %d values for %d codes", ErrFormat, len(t.values), idx)
	}
	return d, nil
}

// buildHuffTable makes a length-limited canonical Huffman table for the
// symbol frequencies freq (symbols 0..255). Like JPEG's Annex K it reserves
// one code so that no code word is all ones.
func buildHuffTable(freq *[256]int) *huffTable {
	type item struct {
		freq int
		syms []int
	}
	var items []item
	for s, f := range freq {
		if f > 0 {
			items = append(items, item{f, []int{s}})
		}
	}
	if len(items) == 0 {
		items = append(items, item{1, []int{0}})
	}
	const reserved = 256
	items = append(items, item{0, []int{reserved}})
	var length [257]int
	// Merge the two least frequent groups until one remains; every merge
	// adds one bit to each member's code. The groups stay sorted by
	// frequency, a merged group going before the groups of equal frequency.
	sort.SliceStable(items, func(i, j int) bool { return items[i].freq < items[j].freq })
	for len(items) > 1 {
		a, b := items[0], items[1]
		for _, s := range a.syms {
			length[s]++
		}
		for _, s := range b.syms {
			length[s]++
		}
		merged := item{a.freq + b.freq, append(append([]int{}, a.syms...), b.syms...)}
		items = items[2:]
		at := sort.Search(len(items), func(i int) bool { return items[i].freq >= merged.freq })
		items = slices.Insert(items, at, merged)
	}
	var bits [64]int
	syms := make([]int, 0, 257)
	for s := 0; s <= reserved; s++ {
		if length[s] > 0 {
			bits[length[s]]++
			if s != reserved {
				syms = append(syms, s)
			}
		}
	}
	// Limit code lengths to 16 bits (JPEG Annex K.3 procedure).
	for i := len(bits) - 1; i > maxCodeLen; i-- {
		for bits[i] > 0 {
			j := i - 2
			for bits[j] == 0 {
				j--
			}
			bits[i] -= 2
			bits[i-1]++
			bits[j+1] += 2
			bits[j]--
		}
	}
	// Drop the reserved code: the last of the longest.
	for i := maxCodeLen; i > 0; i-- {
		if bits[i] > 0 {
			bits[i]--
			break
		}
	}
	sort.SliceStable(syms, func(i, j int) bool {
		if length[syms[i]] != length[syms[j]] {
			return length[syms[i]] < length[syms[j]]
		}
		return syms[i] < syms[j]
	})
	t := &huffTable{}
	for l := 1; l <= maxCodeLen; l++ {
		t.counts[l-1] = uint8(bits[l])
	}
	for _, s := range syms {
		t.values = append(t.values, uint8(s))
	}
	return t
}

// huffEncoder maps symbols to code words.
type huffEncoder struct {
	code [256]uint16
	size [256]uint8
}

func newHuffEncoder(t *huffTable) *huffEncoder {
	e := &huffEncoder{}
	code, k := uint16(0), 0
	for l := 1; l <= maxCodeLen; l++ {
		for range int(t.counts[l-1]) {
			s := t.values[k]
			e.code[s], e.size[s] = code, uint8(l)
			code++
			k++
		}
		code <<= 1
	}
	return e
}
