package names

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Muhammad Rizki", "MUH. RIZKI", true},
		{"Mohammad Rizky Pratama", "Muhammad Rizki", true}, // missing family name, y/i
		{"Mochammad  Rizqi", "Muhammad Rizki", true},       // q/k transliteration
		{"Siti Nurhaliza", "SITI NUR HALIZA", true},        // spacing
		{"St. Aminah", "Siti Aminah", true},                // abbreviation
		{"Soekarno", "Sukarno", true},                      // old spelling oe → u
		{"Djoko Tjahjono", "Joko Cahyono", true},           // dj → j, tj → c, j → y
		{"Hj. Fatimah binti Ahmad", "Fatima Ahmad", true},  // honorific, connector, final h
		{"Achmad Chairul", "Ahmad Khairul", true},          // ch → kh
		{"Abd. Rahman", "Abdul Rahman", true},
		{"Budi Santoso", "Budi Santosa", true}, // one typing error in a long token
		{"Hasan", "Husain", false},             // twins' names
		{"Budi Santoso", "Santoso", false},     // given name missing
		{"Dewi Lestari", "Dewi Kartika", false},
		{"", "", false},
		{"Ani", "Ina", false},
	}
	for _, tc := range tests {
		if got := Match(tc.a, tc.b); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v (keys %q / %q)", tc.a, tc.b, got, tc.want, Key(tc.a), Key(tc.b))
		}
		if got := Match(tc.b, tc.a); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	tests := map[string]string{
		"  Muh.   Rizki ":     "MUHAMAD RIZKI",
		"Mochammad Soeharto":  "MUHAMAD SUHARTO",
		"Siti Nur'aini":       "SITI NURAINI",
		"Drs. H. Joko Widodo": "IOKO WIDODO",
	}
	for in, want := range tests {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("Muh. Rizki", "Muhammad Rizky")
	f.Add("", "x")
	f.Add("Ñandú 'x'", "--")
	f.Fuzz(func(t *testing.T, a, b string) {
		if Match(a, b) != Match(b, a) {
			t.Fatalf("Match not symmetric for %q, %q", a, b)
		}
		if Key(a) != "" && !Match(a, a) {
			t.Fatalf("%q does not match itself", a)
		}
	})
}
