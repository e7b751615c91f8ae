package device

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestTypedErrors(t *testing.T) {
	big := make([]byte, 200)
	tests := []struct {
		err  error
		kind error
		text string
	}{
		{Errorf(ErrNoFinger, "r30x: GenImg", "no finger before the deadline"), ErrNoFinger, "r30x: GenImg: no finger on the sensor: no finger before the deadline"},
		{&Error{Kind: ErrSensorFault, Op: "r30x: CheckSensor", Code: 0x29}, ErrSensorFault, "(code 0x29)"},
		{Wrap(ErrDisconnected, "read /dev/ttyUSB0", io.EOF), ErrDisconnected, "EOF"},
		{NewProtocolError("gt511", "bad checksum", []byte{0x55, 0xAA}), ErrProtocol, "[55 AA]"},
		{&QualityError{Op: "capture", Reason: ReasonWet, Quality: 40, Want: 60}, ErrPoorQuality, "(wet): score 40, want 60"},
		{&QualityError{Op: "capture", Reason: ReasonFingerCount, Want: 4, Got: 3}, ErrPoorQuality, "3 fingers found, 4 expected"},
		{fmt.Errorf("capture: %w", Errorf(ErrBusy, "x", "y")), ErrBusy, "device busy"},
		{errors.New("plain"), nil, "plain"},
	}
	for _, tt := range tests {
		if k := KindOf(tt.err); k != tt.kind {
			t.Errorf("KindOf(%v) = %v, want %v", tt.err, k, tt.kind)
		}
		if !strings.Contains(tt.err.Error(), tt.text) {
			t.Errorf("%q does not contain %q", tt.err.Error(), tt.text)
		}
	}
	if pe := NewProtocolError("x", "y", big); len(pe.Bytes) != 64 {
		t.Fatalf("offending bytes not bounded: %d", len(pe.Bytes))
	}
	if !errors.Is(Wrap(ErrTimeout, "op", io.ErrUnexpectedEOF), io.ErrUnexpectedEOF) {
		t.Fatal("cause lost")
	}
}

func TestHealthAndFingers(t *testing.T) {
	var h Health
	h.Add("link", true, "")
	h.Add("sensor", false, "0x29")
	if h.OK || len(h.Checks) != 2 {
		t.Fatalf("%+v", h)
	}
	if !RightFour.IsSlap() || RightIndex.IsSlap() || BothThumbs.SlapCount() != 2 || LeftFour.SlapCount() != 4 || LeftRing.SlapCount() != 1 {
		t.Fatal("finger positions")
	}
}
