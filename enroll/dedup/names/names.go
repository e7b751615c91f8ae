// Package names compares Indonesian personal names the way a duplicate
// check needs: spacing and punctuation ignored, honorifics and connectors
// dropped ("H.", "Hj.", "bin", "binti"), abbreviations expanded ("Muh.",
// "Moh.", "Mochammad" → MUHAMMAD, "St." → SITI, "Abd." → ABDUL), the old
// spelling folded into the new (oe → u, dj → j, tj → c, sj → sy, ch → kh)
// with common transliteration variants (kh/h, dh/d, ph/f, q/k, doubled letters,
// a final h), and a missing family name tolerated.
package names

import (
	"strings"
	"unicode"
)

// dropped are honorifics, degrees and connectors that do not tell people
// apart.
var dropped = map[string]bool{
	"H": true, "HJ": true, "HAJI": true, "HAJAH": true, "BIN": true, "BINTI": true, "BT": true, "BN": true,
	"DR": true, "DRS": true, "DRA": true, "IR": true, "SH": true, "SE": true, "SPD": true, "SAG": true,
	"SKOM": true, "ST": false, "AMD": true, "MM": true, "MT": true, "ALM": true, "ALMH": true,
}

// expanded maps abbreviations and spelling variants of frequent names to
// one form (before phonetic folding).
var expanded = map[string]string{
	"M": "MUHAMMAD", "MUH": "MUHAMMAD", "MUHD": "MUHAMMAD", "MOH": "MUHAMMAD", "MOCH": "MUHAMMAD", "MOHD": "MUHAMMAD",
	"MHD": "MUHAMMAD", "MOHAMAD": "MUHAMMAD", "MOHAMMAD": "MUHAMMAD", "MOHAMMED": "MUHAMMAD", "MOHAMED": "MUHAMMAD",
	"MUHAMAD": "MUHAMMAD", "MUHAMMED": "MUHAMMAD", "MOCHAMAD": "MUHAMMAD", "MOCHAMMAD": "MUHAMMAD",
	"MOKHAMAD": "MUHAMMAD", "MOKHAMMAD": "MUHAMMAD", "MUCHAMMAD": "MUHAMMAD", "MUCHAMAD": "MUHAMMAD",
	"ST": "SITI", "SITTI": "SITI", "ABD": "ABDUL", "ABDOEL": "ABDUL", "NOER": "NUR", "NURUL": "NUR",
	"A": "AHMAD", "ACHMAD": "AHMAD", "AHMED": "AHMAD", "AKHMAD": "AHMAD",
}

// Tokens returns the normalised, phonetically folded tokens of a name.
func Tokens(name string) []string {
	up := strings.ToUpper(name)
	// Punctuation separates; apostrophes and hyphens inside a word join it.
	var b strings.Builder
	for _, r := range up {
		switch {
		case r == '\'' || r == '`' || r == '’':
		case unicode.IsLetter(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	var out []string
	for _, t := range strings.Fields(b.String()) {
		if dropped[t] {
			continue
		}
		if e, ok := expanded[t]; ok {
			t = e
		}
		out = append(out, fold(t))
	}
	return out
}

// fold maps spelling variants of one token to one key.
func fold(t string) string {
	for _, p := range [][2]string{{"OE", "U"}, {"DJ", "J"}, {"TJ", "C"}, {"SJ", "SY"}, {"CH", "KH"}, {"KH", "H"}, {"DH", "D"}, {"TH", "T"}, {"PH", "F"}, {"Q", "K"}, {"Y", "I"}, {"J", "I"}} {
		t = strings.ReplaceAll(t, p[0], p[1])
	}
	// Doubled letters and a final H carry no distinction.
	var b []byte
	for i := 0; i < len(t); i++ {
		if i > 0 && t[i] == t[i-1] {
			continue
		}
		b = append(b, t[i])
	}
	if len(b) > 3 && b[len(b)-1] == 'H' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// Key is the name's normalised tokens joined by single spaces.
func Key(name string) string { return strings.Join(Tokens(name), " ") }

// Match reports whether two names may belong to one person: the same
// tokens when spaces are ignored, or every token of the shorter name found
// in the longer one in order (a family name or a middle name missing), with
// one typing error tolerated in tokens of five letters or more. Two empty
// names never match.
func Match(a, b string) bool {
	ta, tb := Tokens(a), Tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	if strings.Join(ta, "") == strings.Join(tb, "") {
		return true
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	// The first tokens must agree (a person is not known by their family
	// name alone), then the rest in order.
	if !tokenMatch(ta[0], tb[0]) {
		return false
	}
	j := 1
	for _, t := range ta[1:] {
		for j < len(tb) && !tokenMatch(t, tb[j]) {
			j++
		}
		if j == len(tb) {
			return false
		}
		j++
	}
	return true
}

func tokenMatch(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 5 || len(b) < 5 {
		return false
	}
	return editDistanceAtMost1(a, b)
}

// editDistanceAtMost1 reports a Levenshtein distance of at most one.
func editDistanceAtMost1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
