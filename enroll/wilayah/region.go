// Package wilayah holds Indonesia's administrative region codes (Kemendagri
// kode wilayah): provinsi, kabupaten/kota, kecamatan and desa/kelurahan, and
// the readers for the master-data files they are imported from.
package wilayah

import "strings"

// Level is a region's tier in the administrative hierarchy.
type Level int

// The four tiers, top down.
const (
	Provinsi  Level = 1
	KabKota   Level = 2
	Kecamatan Level = 3
	Desa      Level = 4
)

// Region is one administrative region. Code is dotted: "32", "32.11",
// "32.11.01", "32.11.01.2001".
type Region struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level Level  `json:"level"`
}

// Parent returns the code of the region one level up, or "" for a provinsi.
func (r Region) Parent() string {
	i := strings.LastIndexByte(r.Code, '.')
	if i < 0 {
		return ""
	}
	return r.Code[:i]
}
