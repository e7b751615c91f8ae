package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rekam-ktp/rekam/enroll"
)

// validateResident is the single place `resident add` checks biodata before
// storing it. INTEGRATION POINT: replace its body with the full resident
// validator (NIK rules, SIAK codes, region codes, age rule) once it lands;
// for now it only insists on a 16-digit NIK and a name.
func validateResident(r enroll.Resident) error {
	if len(r.NIK) != 16 || strings.Trim(r.NIK, "0123456789") != "" {
		return fmt.Errorf("nik %q: want 16 digits", r.NIK)
	}
	if strings.TrimSpace(r.Name) == "" {
		return errors.New("name: empty")
	}
	return nil
}
