package catalog

import (
	"errors"
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
