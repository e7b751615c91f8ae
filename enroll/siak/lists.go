// The SIAK code lists (facts of Permendagri 19/2010 and 109/2019 as
// reproduced by SIAK-compatible systems). siak_test.go cross-checks every
// entry against the shared reference CSVs.

package siak

// Agamas is the Agama list.
var Agamas = List[Agama]{
	Key:   "agama",
	Title: "Agama",
	Entries: []Entry[Agama]{
		{1, "ISLAM"},
		{2, "KRISTEN"},
		{3, "KATHOLIK"},
		{4, "HINDU"},
		{5, "BUDHA"},
		{6, "KHONGHUCU"},
		{7, "KEPERCAYAAN TERHADAP TUHAN YME"},
	},
	Aliases: map[string]Agama{
		"KATOLIK":     3,
		"BUDDHA":      5,
		"KONGHUCU":    6,
		"KHONG HU CU": 6,
		"LAINNYA":     7,
		"KEPERCAYAAN": 7,
	},
}

// GolonganDarahs is the Golongan Darah list.
var GolonganDarahs = List[GolonganDarah]{
	Key:   "golongan_darah",
	Title: "Golongan Darah",
	Entries: []Entry[GolonganDarah]{
		{1, "A"},
		{2, "B"},
		{3, "AB"},
		{4, "O"},
		{5, "A+"},
		{6, "A-"},
		{7, "B+"},
		{8, "B-"},
		{9, "AB+"},
		{10, "AB-"},
		{11, "O+"},
		{12, "O-"},
		{13, "TIDAK TAHU"},
	},
}

// JenisKelamins is the Jenis Kelamin list.
var JenisKelamins = List[JenisKelamin]{
	Key:   "jenis_kelamin",
	Title: "Jenis Kelamin",
	Entries: []Entry[JenisKelamin]{
		{1, "LAKI-LAKI"},
		{2, "PEREMPUAN"},
	},
}

// StatusPerkawinans is the Status Perkawinan list.
var StatusPerkawinans = List[StatusPerkawinan]{
	Key:   "status_perkawinan",
	Title: "Status Perkawinan",
	Entries: []Entry[StatusPerkawinan]{
		{1, "BELUM KAWIN"},
		{2, "KAWIN"},
		{3, "CERAI HIDUP"},
		{4, "CERAI MATI"},
	},
}

// HubunganKeluargas is the Status Hubungan Dalam Keluarga list.
var HubunganKeluargas = List[HubunganKeluarga]{
	Key:   "status_hubungan_keluarga",
	Title: "Status Hubungan Dalam Keluarga",
	Entries: []Entry[HubunganKeluarga]{
		{1, "KEPALA KELUARGA"},
		{2, "SUAMI"},
		{3, "ISTRI"},
		{4, "ANAK"},
		{5, "MENANTU"},
		{6, "CUCU"},
		{7, "ORANG TUA"},
		{8, "MERTUA"},
		{9, "FAMILI LAIN"},
		{10, "PEMBANTU"},
		{11, "LAINNYA"},
	},
}

// Pendidikans is the Pendidikan Terakhir list.
var Pendidikans = List[Pendidikan]{
	Key:   "pendidikan_terakhir",
	Title: "Pendidikan Terakhir",
	Entries: []Entry[Pendidikan]{
		{1, "TIDAK/BELUM SEKOLAH"},
		{2, "BELUM TAMAT SD/SEDERAJAT"},
		{3, "TAMAT SD/SEDERAJAT"},
		{4, "SLTP/SEDERAJAT"},
		{5, "SLTA/SEDERAJAT"},
		{6, "DIPLOMA I/II"},
		{7, "AKADEMI/DIPLOMA III/S. MUDA"},
		{8, "DIPLOMA IV/STRATA I"},
		{9, "STRATA II"},
		{10, "STRATA III"},
	},
}

// Pekerjaans is the Jenis Pekerjaan list.
var Pekerjaans = List[Pekerjaan]{
	Key:   "pekerjaan",
	Title: "Jenis Pekerjaan",
	Entries: []Entry[Pekerjaan]{
		{1, "BELUM/TIDAK BEKERJA"},
		{2, "MENGURUS RUMAH TANGGA"},
		{3, "PELAJAR/MAHASISWA"},
		{4, "PENSIUNAN"},
		{5, "PEGAWAI NEGERI SIPIL"},
		{6, "TENTARA NASIONAL INDONESIA"},
		{7, "KEPOLISIAN RI"},
		{8, "PERDAGANGAN"},
		{9, "PETANI/PEKEBUN"},
		{10, "PETERNAK"},
		{11, "NELAYAN/PERIKANAN"},
		{12, "INDUSTRI"},
		{13, "KONSTRUKSI"},
		{14, "TRANSPORTASI"},
		{15, "KARYAWAN SWASTA"},
		{16, "KARYAWAN BUMN"},
		{17, "KARYAWAN BUMD"},
		{18, "KARYAWAN HONORER"},
		{19, "BURUH HARIAN LEPAS"},
		{20, "BURUH TANI/PERKEBUNAN"},
		{21, "BURUH NELAYAN/PERIKANAN"},
		{22, "BURUH PETERNAKAN"},
		{23, "PEMBANTU RUMAH TANGGA"},
		{24, "TUKANG CUKUR"},
		{25, "TUKANG LISTRIK"},
		{26, "TUKANG BATU"},
		{27, "TUKANG KAYU"},
		{28, "TUKANG SOL SEPATU"},
		{29, "TUKANG LAS/PANDAI BESI"},
		{30, "TUKANG JAHIT"},
		{31, "TUKANG GIGI"},
		{32, "PENATA RIAS"},
		{33, "PENATA BUSANA"},
		{34, "PENATA RAMBUT"},
		{35, "MEKANIK"},
		{36, "SENIMAN"},
		{37, "TABIB"},
		{38, "PARAJI"},
		{39, "PERANCANG BUSANA"},
		{40, "PENTERJEMAH"},
		{41, "IMAM MASJID"},
		{42, "PENDETA"},
		{43, "PASTOR"},
		{44, "WARTAWAN"},
		{45, "USTADZ/MUBALIGH"},
		{46, "JURU MASAK"},
		{47, "PROMOTOR ACARA"},
		{48, "ANGGOTA DPR-RI"},
		{49, "ANGGOTA DPD"},
		{50, "ANGGOTA BPK"},
		{51, "PRESIDEN"},
		{52, "WAKIL PRESIDEN"},
		{53, "ANGGOTA MAHKAMAH KONSTITUSI"},
		{54, "ANGGOTA KABINET/KEMENTERIAN"},
		{55, "DUTA BESAR"},
		{56, "GUBERNUR"},
		{57, "WAKIL GUBERNUR"},
		{58, "BUPATI"},
		{59, "WAKIL BUPATI"},
		{60, "WALIKOTA"},
		{61, "WAKIL WALIKOTA"},
		{62, "ANGGOTA DPRD PROVINSI"},
		{63, "ANGGOTA DPRD KABUPATEN/KOTA"},
		{64, "DOSEN"},
		{65, "GURU"},
		{66, "PILOT"},
		{67, "PENGACARA"},
		{68, "NOTARIS"},
		{69, "ARSITEK"},
		{70, "AKUNTAN"},
		{71, "KONSULTAN"},
		{72, "DOKTER"},
		{73, "BIDAN"},
		{74, "PERAWAT"},
		{75, "APOTEKER"},
		{76, "PSIKIATER/PSIKOLOG"},
		{77, "PENYIAR TELEVISI"},
		{78, "PENYIAR RADIO"},
		{79, "PELAUT"},
		{80, "PENELITI"},
		{81, "SOPIR"},
		{82, "PIALANG"},
		{83, "PARANORMAL"},
		{84, "PEDAGANG"},
		{85, "PERANGKAT DESA"},
		{86, "KEPALA DESA"},
		{87, "BIARAWATI"},
		{88, "WIRASWASTA"},
		{89, "LAINNYA"},
	},
}

// PenyandangCacats is the Penyandang Cacat list.
var PenyandangCacats = List[PenyandangCacat]{
	Key:   "penyandang_cacat",
	Title: "Penyandang Cacat",
	Entries: []Entry[PenyandangCacat]{
		{1, "CACAT FISIK"},
		{2, "CACAT NETRA/BUTA"},
		{3, "CACAT RUNGU/WICARA"},
		{4, "CACAT MENTAL/JIWA"},
		{5, "CACAT FISIK DAN MENTAL"},
		{6, "CACAT LAINNYA"},
	},
	Excluded: map[int]string{
		7: "OpenSID addition, not a SIAK code; SIAK records kelainan fisik/mental separately",
	},
}

// Kewarganegaraans is the Kewarganegaraan list.
var Kewarganegaraans = List[Kewarganegaraan]{
	Key:   "kewarganegaraan",
	Title: "Kewarganegaraan",
	Entries: []Entry[Kewarganegaraan]{
		{1, "WNI"},
		{2, "WNA"},
	},
	Excluded: map[int]string{
		3: "OpenSID only (limited dual citizenship of children, UU 12/2006); not a KTP-el value",
	},
}
