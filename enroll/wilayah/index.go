package wilayah

import (
	"fmt"
	"slices"
	"sort"
)

// Index is an in-memory region table with lookups by code and by parent.
// It is read-only after NewIndex and safe for concurrent use.
type Index struct {
	byCode   map[string]Region
	children map[string][]Region // parent code ("" for provinces) → sorted children
}

// NewIndex builds an index over regions. A repeated code is an error; a
// region whose parent is absent is kept (Children of the missing parent
// still lists it).
func NewIndex(regions []Region) (*Index, error) {
	ix := &Index{byCode: make(map[string]Region, len(regions)), children: map[string][]Region{}}
	for _, r := range regions {
		if _, dup := ix.byCode[r.Code]; dup {
			return nil, fmt.Errorf("region index: code %q appears twice", r.Code)
		}
		ix.byCode[r.Code] = r
		ix.children[r.Parent()] = append(ix.children[r.Parent()], r)
	}
	for _, c := range ix.children {
		sort.Slice(c, func(i, j int) bool { return c[i].Code < c[j].Code })
	}
	return ix, nil
}

// Len returns the number of regions.
func (ix *Index) Len() int { return len(ix.byCode) }

// Lookup returns the region with the dotted code.
func (ix *Index) Lookup(code string) (Region, bool) {
	r, ok := ix.byCode[code]
	return r, ok
}

// Children returns the regions directly under the dotted parent code, by
// code; Children("") returns the provinces. The slice must not be modified.
func (ix *Index) Children(parent string) []Region { return ix.children[parent] }

// Path returns the region and its ancestors, province first, for a dotted
// code; missing ancestors are skipped. It returns nil for an unknown code.
func (ix *Index) Path(code string) []Region {
	r, ok := ix.byCode[code]
	if !ok {
		return nil
	}
	path := make([]Region, 0, int(Desa))
	path = append(path, r)
	for p := r.Parent(); p != ""; p = (Region{Code: p}).Parent() {
		if a, ok := ix.byCode[p]; ok {
			path = append(path, a)
		}
	}
	slices.Reverse(path)
	return path
}

// Checker answers the NIK parser's region questions (it satisfies
// nik.Regions) from a current index plus the table of retired codes, and
// gives names for display.
type Checker struct {
	current  *Index
	historic map[string]Historic
}

// NewChecker joins the current regions and the historic codes. historic may
// be nil: retired prefixes then count as unknown.
func NewChecker(current *Index, historic []Historic) *Checker {
	c := &Checker{current: current, historic: make(map[string]Historic, len(historic))}
	for _, h := range historic {
		c.historic[h.Code] = h
	}
	return c
}

// Province reports whether a two-digit province code is current.
func (c *Checker) Province(code string) bool {
	r, ok := c.current.Lookup(code)
	return ok && r.Level == Provinsi
}

// Region reports whether a dotted code is current (known) or only in a
// retired edition (historic).
func (c *Checker) Region(code string) (known, historic bool) {
	if _, ok := c.current.Lookup(code); ok {
		return true, false
	}
	_, historic = c.historic[code]
	return false, historic
}

// Name returns a code's name, current first, else its historic name.
func (c *Checker) Name(code string) (string, bool) {
	if r, ok := c.current.Lookup(code); ok {
		return r.Name, true
	}
	if h, ok := c.historic[code]; ok {
		return h.Name, true
	}
	return "", false
}
