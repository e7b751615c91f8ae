package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReceiptCLI(t *testing.T) {
	data := testStation(t)
	id := fmt.Sprint(approveEnrollments(t, data, 1, 1000)[0])
	out := filepath.Join(t.TempDir(), "tanda-terima.pdf")
	code, stdout, errs := runCLI(t, as(opPW), "", "receipt", id, "--out", out, "--as", "budi", "--data", data, "--json")
	if code != exitOK {
		t.Fatalf("receipt: exit %d %s", code, errs)
	}
	var res struct {
		Number, NIK, Code, State string
		Bytes                    int
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Number != "ST-01/"+id || res.NIK != "321101******0010" || res.State != "APPROVED" {
		t.Fatalf("json %q: %v", stdout, err)
	}
	if strings.Contains(stdout+errs, "3211010101900010") {
		t.Fatal("the whole NIK is printed")
	}
	pdf, err := os.ReadFile(out)
	fi, _ := os.Stat(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) != res.Bytes || fi.Mode().Perm() != 0o600 {
		t.Fatalf("pdf %d bytes (%v), mode %v", len(pdf), err, fi.Mode())
	}
	if !bytes.Contains(pdf, []byte(res.Code)) {
		t.Fatalf("the PDF lacks its code %s", res.Code)
	}
	runCases(t, []cliCase{
		{"verify the printed code", as(opPW), "", []string{"receipt", id, "--verify", strings.ToLower(res.Code), "--as", "sari", "--data", data}, exitOK, "matches", ""},
		{"verify a wrong code", as(opPW), "", []string{"receipt", id, "--verify", "00000-00000", "--as", "sari", "--data", data}, exitNegative, "does NOT match", ""},
		{"technician may not", as(opPW), "", []string{"receipt", id, "--out", out, "--as", "tono", "--data", data}, exitNegative, "", "not allowed"},
		{"nothing asked", as(opPW), "", []string{"receipt", id, "--as", "budi", "--data", data}, exitUsage, "", "--out FILE or --verify CODE"},
		{"bad id", as(opPW), "", []string{"receipt", "x1", "--out", out, "--as", "budi", "--data", data}, exitUsage, "", "not an enrollment id"},
		{"unknown enrollment", as(opPW), "", []string{"receipt", "999", "--out", out, "--as", "budi", "--data", data}, exitNegative, "", "not found"},
	}, nil)
}
