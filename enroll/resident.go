package enroll

// Resident is the biodata a recording station holds for one resident: the
// UU 24/2013 Pasal 58 elements of the F-1.01 form that KTP-el recording uses.
// Code-list fields carry SIAK codes (see package siak); 0 means "not given".
// NIKs and KK numbers are strings everywhere, never numbers.
type Resident struct {
	NIK        string `json:"nik"`
	KK         string `json:"kk"`
	Name       string `json:"name"`
	BirthPlace string `json:"birth_place"`
	// BirthDate is YYYY-MM-DD.
	BirthDate string `json:"birth_date"`
	// Sex is the SIAK jenis kelamin code: 1 LAKI-LAKI, 2 PEREMPUAN.
	Sex int `json:"sex"`
	// BloodType is the SIAK golongan darah code (0 = not given).
	BloodType int `json:"blood_type,omitempty"`
	// Religion is the SIAK agama code.
	Religion int `json:"religion"`
	// Marital is the SIAK status perkawinan code.
	Marital int `json:"marital"`
	// FamilyRelation is the SIAK status hubungan dalam keluarga code.
	FamilyRelation int `json:"family_relation"`
	// Disability is the SIAK penyandang cacat code (0 = none).
	Disability int `json:"disability,omitempty"`
	// Education is the SIAK pendidikan terakhir code.
	Education int `json:"education"`
	// Occupation is the SIAK jenis pekerjaan code.
	Occupation int    `json:"occupation"`
	MotherName string `json:"mother_name"`
	MotherNIK  string `json:"mother_nik,omitempty"`
	FatherName string `json:"father_name,omitempty"`
	FatherNIK  string `json:"father_nik,omitempty"`
	Address    string `json:"address"`
	RT         string `json:"rt"`
	RW         string `json:"rw"`
	// DesaCode is the 10-digit desa/kelurahan code (dots optional on input).
	DesaCode string `json:"desa_code"`
	// Citizenship is the SIAK kewarganegaraan code: 1 WNI, 2 WNA.
	Citizenship int `json:"citizenship"`
}
