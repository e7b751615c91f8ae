package main

import (
	"errors"
	"strings"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
)

// validateResident is the single place `resident add` checks biodata before
// storing it: the full validator (NIK rules, KK, SIAK codes, RT/RW, desa
// code, parents' NIKs, the recording-age rule). regions, when the station
// holds master data, checks region prefixes and desa codes. Errors block;
// warnings (a NIK whose sex or birth date disagrees with the biodata, an
// unknown region) are returned for display and never block.
func validateResident(r enroll.Resident, regions nik.Regions) (warnings []string, err error) {
	ps := enroll.ValidateResident(r, enroll.ValidateOptions{Regions: regions})
	var errs []string
	for _, p := range ps {
		line := p.Field + ": " + p.Code + " (" + p.MessageEN + ")"
		if p.Severity == enroll.SeverityError {
			errs = append(errs, line)
		} else {
			warnings = append(warnings, line)
		}
	}
	if len(errs) > 0 {
		return warnings, errors.New(strings.Join(errs, "; "))
	}
	return warnings, nil
}
