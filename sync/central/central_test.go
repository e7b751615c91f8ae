package central_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/biometric/formats/ansinist"
	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/sync/central"
	"github.com/rekam-ktp/rekam/sync/packet"
)

// enrollment makes the packet contents of a synthetic person's record.
func enrollment(t *testing.T, ref, nik string, identity uint64, impression int) *packet.Contents {
	t.Helper()
	return chimera(t, ref, nik, identity, identity, impression)
}

// chimera records one person's fingers with another person's irises.
func chimera(t *testing.T, ref, nik string, identity, eyesOf uint64, impression int) *packet.Contents {
	t.Helper()
	e := &ansinist.Enrollment{TransactionType: "KTP", Origin: "ST-01", ControlNumber: ref, Time: time.Now(),
		Biodata: []ansinist.Field{{Tag: 3, Value: []byte(nik)}}}
	for _, pos := range []int{1, 2, 6} {
		g := synth.Finger(identity, pos, impression, synth.FingerOptions{})
		data, err := wsq.EncodeGray(g, &wsq.Options{PPI: 500})
		if err != nil {
			t.Fatal(err)
		}
		e.Fingers = append(e.Fingers, ansinist.FingerImage{Position: pos, WSQ: data, Width: g.Rect.Dx(), Height: g.Rect.Dy(), PPI: 500})
	}
	for eye := range 2 {
		var b bytes.Buffer
		g := synth.Iris(eyesOf, eye, impression)
		png.Encode(&b, g)
		e.Irises = append(e.Irises, ansinist.IrisImage{Eye: eye + 1, Data: b.Bytes(), Format: "PNG", Width: g.Rect.Dx(), Height: g.Rect.Dy()})
	}
	tx, err := ansinist.Build(e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tx.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return &packet.Contents{Manifest: &packet.Manifest{EnrollmentID: ref}, Files: []packet.File{{Name: "transaction.an2", Data: b}}}
}

func TestCentralDecisions(t *testing.T) {
	dir := t.TempDir()
	c, err := central.New(dir, central.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name    string
		p       *packet.Contents
		status  string
		because string
	}{
		{"first record", enrollment(t, "ST-01/1", "3211010101900001", 101, 0), central.PrintReady, ""},
		{"same person, another NIK", enrollment(t, "ST-02/7", "3211010101900002", 101, 1), central.Duplicate, "ST-01/1"},
		{"same NIK, another person", enrollment(t, "ST-03/2", "3211010101900001", 202, 0), central.Duplicate, "NIK"},
		{"another person", enrollment(t, "ST-01/2", "3211010101900003", 303, 0), central.PrintReady, ""},
		{"no transaction", &packet.Contents{Manifest: &packet.Manifest{EnrollmentID: "ST-01/3"}}, central.EnrollFailure, "no ANSI/NIST"},
		{"new fingers, known irises", chimera(t, "ST-05/1", "3211010101900005", 404, 303, 1), central.Duplicate, "ST-01/2"},
	}
	for _, tt := range tests {
		status, reason := c.Decide(ctx, tt.p)
		if status != tt.status || !strings.Contains(reason, tt.because) {
			t.Errorf("%s: %s (%s), want %s (%s)", tt.name, status, reason, tt.status, tt.because)
		}
	}
	// A restart keeps the gallery.
	c2, err := central.New(dir, central.Config{})
	if err != nil || c2.Len() != 2 {
		t.Fatalf("reopened gallery holds %d records, %v", c2.Len(), err)
	}
	if status, _ := c2.Decide(ctx, enrollment(t, "ST-04/9", "3211010101900004", 303, 2)); status != central.Duplicate {
		t.Fatalf("after restart: %s", status)
	}
}
