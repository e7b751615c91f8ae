package wilayah

import "testing"

func TestParent(t *testing.T) {
	tests := map[string]string{"32": "", "32.11": "32", "32.11.01": "32.11", "32.11.01.2001": "32.11.01"}
	for code, want := range tests {
		if got := (Region{Code: code}).Parent(); got != want {
			t.Errorf("Parent(%q) = %q, want %q", code, got, want)
		}
	}
}
