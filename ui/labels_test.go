package ui

import (
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
)

// Every enrollment state has a translated label: lists and the dashboard
// never show a raw state code.
func TestStateLabelsTranslated(t *testing.T) {
	seen := map[string]enroll.State{}
	for _, s := range enroll.States {
		l := stateLabel(s)
		if l == string(s) || l == "" {
			t.Errorf("state %s has no label", s)
		}
		if o, dup := seen[l]; dup {
			t.Errorf("states %s and %s share the label %q", o, s, l)
		}
		seen[l] = s
	}
}
