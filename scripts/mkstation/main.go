// Command mkstation creates a demo station for the UI scripts (launch
// timing, screenshots): accounts admin, op1, sup1 with the password given,
// a few regions and one synthetic resident. Development tool only.
//
//	go run ./scripts/mkstation DATA_DIR CONFIG_DIR PASSWORD
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/ui/port"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: mkstation DATA_DIR CONFIG_DIR PASSWORD")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "mkstation:", err)
		os.Exit(1)
	}
}

func run(data, conf, pw string) error {
	ctx := context.Background()
	regs := []wilayah.Region{
		{Code: "32", Name: "JAWA BARAT", Level: wilayah.Provinsi},
		{Code: "32.11", Name: "KAB. SUMEDANG", Level: wilayah.KabKota},
		{Code: "32.11.01", Name: "JATINANGOR", Level: wilayah.Kecamatan},
		{Code: "32.11.01.2001", Name: "CIPACING", Level: wilayah.Desa},
	}
	st, err := port.Launcher{DataDir: data, ConfigDir: conf}.Create(ctx, port.SetupRequest{
		Station: store.Station{ID: "3211-01", Kecamatan: "32.11.01"}, Admin: "admin", Password: pw,
		Recovery: pw + "-recovery", Regions: regs})
	if err != nil {
		return err
	}
	defer st.Close()
	admin, err := st.Login(ctx, "admin", pw)
	if err != nil {
		return err
	}
	for name, role := range map[string]operator.Role{"op1": operator.RoleOperator, "sup1": operator.RoleSupervisor} {
		if err := st.AddOperator(ctx, admin, name, role, pw); err != nil {
			return err
		}
	}
	op, err := st.Login(ctx, "op1", pw)
	if err != nil {
		return err
	}
	_, err = st.SaveResident(ctx, op, 0, enroll.Resident{NIK: "3211014101900001", KK: "3211010101090001",
		Name: "SITI AMINAH", BirthPlace: "SUMEDANG", BirthDate: "1990-01-01", Sex: 2, Religion: 1, Marital: 2,
		FamilyRelation: 3, Education: 5, Occupation: 3, MotherName: "IBU SITI", Address: "JL. RAYA JATINANGOR 1",
		RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1})
	return err
}
