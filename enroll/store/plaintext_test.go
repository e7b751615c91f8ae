package store

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"testing"
)

// TestFileRevealsNoPersonalData writes residents and captures, then reads
// the database file and its WAL as raw bytes and looks for any NIK (as text
// and in the digits-only form), name, or template bytes.
func TestFileRevealsNoPersonalData(t *testing.T) {
	f := newFixture(t)
	type person struct {
		nik, name string
		tmpl      []byte
	}
	var people []person
	for i := range 20 {
		p := person{nik: fmt.Sprintf("32110141%02d9%05d", 1+i%12, 7000+i), name: fmt.Sprintf("SITI QOMARIYAH %c", 'A'+i), tmpl: make([]byte, 600)}
		rand.Read(p.tmpl)
		copy(p.tmpl, "FMR\x00 20\x00") // ISO 19794-2 magic, as a real template starts
		r := resident(p.nik, p.name)
		r.MotherNIK = fmt.Sprintf("32110150%02d8%05d", 1+i%12, 3000+i)
		rid, err := f.s.AddResident(ctx, f.op(), r)
		if err != nil {
			t.Fatal(err)
		}
		eid, err := f.s.CreateEnrollment(ctx, f.op(), rid)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SaveCapture(ctx, f.op(), eid, "finger.r1", p.tmpl, CaptureMeta{Format: "iso19794-2", Exception: ""}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SaveCapture(ctx, f.op(), eid, "finger.l5", nil, CaptureMeta{Exception: "AMPUTASI JARI"}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Transition(ctx, f.op(), eid, "BIO_CAPTURED", "ALASAN "+p.name); err != nil {
			t.Fatal(err)
		}
		// Reads too: nothing may leak through the audit log.
		if _, err := f.s.ResidentByNIK(ctx, f.op(), p.nik); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	scan := func(when string) {
		var all []byte
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(f.path + suffix)
			if err != nil && suffix == "" {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		if len(all) < 64<<10 {
			t.Fatalf("%s: only %d bytes read: the data is not where the test looks", when, len(all))
		}
		for _, p := range people {
			needles := map[string][]byte{
				"NIK": []byte(p.nik), "NIK prefix+serial": []byte(p.nik[:6] + p.nik[12:]), "name": []byte(p.name),
				"name (first word)": []byte("QOMARIYAH"), "template window": p.tmpl[100:116], "exception": []byte("AMPUTASI"),
				"reason": []byte("ALASAN"), "birth place": []byte("SUMEDANG"),
			}
			for what, n := range needles {
				if bytes.Contains(all, n) {
					t.Errorf("%s: the database bytes contain a %s in plaintext", when, what)
				}
			}
		}
	}
	scan("with WAL")
	if _, err := f.s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	scan("after checkpoint")
	// The positive control: the same scan finds what is really stored in
	// plaintext (the operator account name).
	b, _ := os.ReadFile(f.path)
	if !bytes.Contains(b, []byte("supervisor1")) {
		t.Fatal("scan cannot find even the plaintext operator name: the scan is broken")
	}
}
