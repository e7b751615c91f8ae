package catalog

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSpecCheck(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		ok   bool
	}{
		{"serial", Spec{Driver: "gt511", Port: "/dev/ttyUSB0"}, true},
		{"serial with baud", Spec{Driver: "r307", Port: "/dev/ttyS1", Baud: 115200}, true},
		{"usb", Spec{USB: "061a:0110"}, true},
		{"video", Spec{Video: "/dev/video0"}, true},
		{"nothing", Spec{}, false},
		{"two", Spec{USB: "061a:0110", Video: "/dev/video0"}, false},
		{"port without driver", Spec{Port: "/dev/ttyUSB0"}, false},
		{"unknown driver", Spec{Driver: "nosuch", Port: "/dev/ttyUSB0"}, false},
		{"bad usb", Spec{USB: "zz:01"}, false},
		{"usb trailing", Spec{USB: "061a:0110x"}, false},
		{"usb trailing space", Spec{USB: "061a:0110 "}, false},
		{"usb short", Spec{USB: "1:2"}, false},
		{"usb upper case", Spec{USB: "061A:0110"}, true},
		{"negative baud", Spec{Driver: "gt511", Port: "/dev/ttyUSB0", Baud: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Check()
			if (err == nil) != tt.ok {
				t.Fatalf("Check() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrSpec) {
				t.Fatalf("error %v is not ErrSpec", err)
			}
		})
	}
}

func TestOpenSpec(t *testing.T) {
	d, err := Open(nil, Spec{Driver: "gt511", Port: "/nonexistent/tty"})
	if err != nil || d == nil {
		t.Fatalf("serial spec: %v", err)
	}
	d.Close()
	if _, err := Open(nil, Spec{USB: "061a:0110"}); !errors.Is(err, ErrSpec) {
		t.Fatalf("usb without a host: %v", err)
	}
	if _, err := OpenUSB(nil, 0xdead, 0xbeef, ""); !errors.Is(err, ErrSpec) {
		t.Fatalf("unknown usb model: %v", err)
	}
}

// FuzzParseUSBID: an accepted id is exactly the four-digit form it prints
// back as (case aside); anything else is an ErrSpec.
func FuzzParseUSBID(f *testing.F) {
	for _, s := range []string{"061a:0110", "1:2", "061a:0110 ", "+61a:0110", "0x1a:0110", "ffff:FFFF", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vid, pid, err := ParseUSBID(s)
		if err != nil {
			if !errors.Is(err, ErrSpec) {
				t.Fatalf("%q: error %v is not ErrSpec", s, err)
			}
			return
		}
		if got := fmt.Sprintf("%04x:%04x", vid, pid); got != strings.ToLower(s) {
			t.Fatalf("%q accepted as %s", s, got)
		}
	})
}
