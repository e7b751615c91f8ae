package wilayah

import (
	"fmt"
	"strings"
)

// String returns the level's name in the code,name,level layout:
// "provinsi", "kabkota", "kecamatan" or "desakel".
func (l Level) String() string {
	switch l {
	case Provinsi:
		return "provinsi"
	case KabKota:
		return "kabkota"
	case Kecamatan:
		return "kecamatan"
	case Desa:
		return "desakel"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel reads a level name as written in wilayah.csv ("provinsi",
// "kabkota", "kecamatan", "desakel"; "desa" is accepted too).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "provinsi":
		return Provinsi, nil
	case "kabkota":
		return KabKota, nil
	case "kecamatan":
		return Kecamatan, nil
	case "desakel", "desa":
		return Desa, nil
	}
	return 0, fmt.Errorf("unknown level %q (want provinsi, kabkota, kecamatan or desakel)", s)
}

// segmentLen is the digit count of each dotted segment, by position.
var segmentLen = [...]int{2, 2, 2, 4}

// LevelOf returns the level a well-formed dotted code belongs to
// ("32" → Provinsi … "32.11.01.2001" → Desa), or an error naming what is
// malformed.
func LevelOf(code string) (Level, error) {
	parts := strings.Split(code, ".")
	if len(parts) > len(segmentLen) {
		return 0, fmt.Errorf("code %q has %d parts, at most 4", code, len(parts))
	}
	for i, p := range parts {
		if len(p) != segmentLen[i] || !allDigits(p) {
			return 0, fmt.Errorf("code %q: part %d must be %d digits", code, i+1, segmentLen[i])
		}
	}
	return Level(len(parts)), nil
}

// Dotted turns an undotted code ("3211", "321101", "3211012001") into its
// dotted form ("32.11", "32.11.01", "32.11.01.2001"). A code that already
// has dots is checked and returned as is.
func Dotted(code string) (string, error) {
	if strings.Contains(code, ".") {
		if _, err := LevelOf(code); err != nil {
			return "", err
		}
		return code, nil
	}
	if !allDigits(code) {
		return "", fmt.Errorf("code %q: not digits", code)
	}
	var b strings.Builder
	rest := code
	for i, n := range segmentLen {
		if rest == "" {
			break
		}
		if len(rest) < n {
			return "", fmt.Errorf("code %q: %d digits is no region code length", code, len(code))
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(rest[:n])
		rest = rest[n:]
	}
	if rest != "" || b.Len() == 0 {
		return "", fmt.Errorf("code %q: %d digits is no region code length", code, len(code))
	}
	return b.String(), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
