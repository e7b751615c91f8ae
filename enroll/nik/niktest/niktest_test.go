package niktest

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	in := "nik,result,sex,birth_date,warnings_or_error,note\n" +
		"3211010101250001,valid,L,2025-01-01,century_ambiguous,x\n" +
		"3211010001900001,invalid,,,bad_day_code,y\n"
	vs, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || !vs[0].Valid || vs[0].Codes[0] != "century_ambiguous" || vs[1].Valid || vs[1].Codes[0] != "bad_day_code" {
		t.Fatalf("got %+v", vs)
	}
	for _, bad := range []string{"", "nik,result,sex,birth_date,warnings_or_error,note\n1,maybe,,,,\n", "a,b\n"} {
		if _, err := Read(strings.NewReader(bad)); err == nil {
			t.Errorf("Read(%q) accepted", bad)
		}
	}
}

func TestVectorsPresent(t *testing.T) {
	if n := len(Vectors(t)); n != 26 {
		t.Errorf("%d vectors, want 26", n)
	}
}
