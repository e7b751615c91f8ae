package finger

import "slices"

// Gallery is a 1:N search set: each finger is held only in its prepared
// form (22 bytes per minutia, under 1 KB for a typical finger), computed
// once when it is added. Searches prepare the probe once and compare it
// with every entry. A Gallery is not safe for concurrent Add and Search.
type Gallery struct {
	ids   []string
	preps []*Prepared
}

// Hit is one search result.
type Hit struct {
	// ID is the identifier given to Add.
	ID string
	// Score is the similarity with the probe.
	Score float64
}

// Add prepares t and adds it under id.
func (g *Gallery) Add(id string, t *Template) {
	g.ids = append(g.ids, id)
	g.preps = append(g.preps, Prepare(t))
}

// Len returns the number of entries.
func (g *Gallery) Len() int { return len(g.ids) }

// Bytes returns the memory held by the prepared entries.
func (g *Gallery) Bytes() int {
	n := 0
	for _, p := range g.preps {
		n += p.Bytes()
	}
	return n
}

// Search returns the entries scoring at least threshold, best first, at
// most limit of them (all when limit ≤ 0). Ties keep insertion order.
func (g *Gallery) Search(probe *Template, threshold float64, limit int) []Hit {
	pr := NewProbe(probe)
	var hits []Hit
	for i, p := range g.preps {
		if s := pr.Score(p); s >= threshold {
			hits = append(hits, Hit{ID: g.ids[i], Score: s})
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}
