package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/operator"
)

const (
	adminPW  = "admin-password-1"
	opPW     = "operator-password-1"
	recovery = "recovery passphrase 1"
)

func init() {
	// Cheap KDFs keep the in-process CLI tests fast; every login still runs
	// argon2id with the parameters stored in the hash.
	stationHashParams = operator.HashParams{Time: 1, Memory: 1024, Threads: 1}
	stationRecoveryParams = keys.KDFParams{Time: 1, Memory: 1024, Threads: 1}
}

// cliCase is one in-process rekamctl run and what it must give.
type cliCase struct {
	name  string
	env   map[string]string
	stdin string
	args  []string
	code  int
	out   string
	err   string
}

// runCases runs each case as a subtest, checking exit code and that stdout
// and stderr contain the wanted text; extra, when not nil, checks more.
func runCases(t *testing.T, tests []cliCase, extra func(t *testing.T, tt cliCase, out, errs string)) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.env, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Fatalf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.out, errs, tt.err)
			}
			if extra != nil {
				extra(t, tt, out, errs)
			}
		})
	}
}

// testStation runs `rekamctl init` and adds operators; it returns the data
// folder (its config folder is the sibling "<data>-config").
func testStation(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "station")
	env := map[string]string{"REKAM_ADMIN_PASSWORD": adminPW, "REKAM_RECOVERY_PASSPHRASE": recovery}
	code, out, errs := runCLI(t, env, "", "init", "--data", data, "--station", "ST-01", "--kecamatan", "32.11.01", "--admin", "admin")
	if code != exitOK || !strings.Contains(out, "ST-01") {
		t.Fatalf("init: exit %d, %q %q", code, out, errs)
	}
	for _, u := range [][2]string{{"budi", "operator"}, {"sari", "supervisor"}, {"tono", "technician"}, {"aud", "auditor"}} {
		code, _, errs := runCLI(t, map[string]string{"REKAM_PASSWORD": adminPW, "REKAM_NEW_PASSWORD": opPW}, "",
			"operator", "add", u[0], "--role", u[1], "--as", "admin", "--data", data)
		if code != exitOK {
			t.Fatalf("operator add %s: exit %d %s", u[0], code, errs)
		}
	}
	return data
}

// as returns the env of an account's password.
func as(pw string) map[string]string { return map[string]string{"REKAM_PASSWORD": pw} }

const residentJSON = `{"nik":"3211010101900001","kk":"3211010101090001","name":"ASEP SUNANDAR","birth_place":"SUMEDANG",
"birth_date":"1990-01-01","sex":1,"religion":1,"marital":2,"family_relation":1,"education":5,"occupation":15,
"mother_name":"ENOK","address":"JL MERDEKA 1","rt":"001","rw":"002","desa_code":"32.11.01.2001","citizenship":1}`

func TestStationInitOperatorCommands(t *testing.T) {
	data := testStation(t)
	if fi, err := os.Stat(filepath.Join(data+"-config", "station.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
	env := map[string]string{"REKAM_ADMIN_PASSWORD": adminPW, "REKAM_RECOVERY_PASSPHRASE": recovery}
	tests := []cliCase{
		{"init twice", env, "", []string{"init", "--data", data, "--station", "ST-01", "--kecamatan", "32.11.01", "--admin", "admin"}, exitUsage, "", "already exists"},
		{"init from stdin", nil, "stdin-admin-pw\nstdin recovery pass\n", []string{"init", "--data", data + "3", "--station", "ST-03", "--kecamatan", "32.11.02", "--admin", "root", "--json"}, exitOK, `"station_id":"ST-03"`, ""},
		{"init same password and passphrase", nil, "same-secret-1\nsame-secret-1\n", []string{"init", "--data", data + "4", "--station", "ST-04", "--kecamatan", "32.11.02", "--admin", "root"}, exitUsage, "", "must differ"},
		{"init reserved admin name", env, "", []string{"init", "--data", data + "5", "--station", "ST-05", "--kecamatan", "32.11.02", "--admin", "station"}, exitUsage, "", "reserved"},
		{"stdin admin logs in", nil, "stdin-admin-pw\n", []string{"operator", "list", "--as", "root", "--data", data + "3"}, exitOK, "root", ""},
		{"init bad kecamatan", env, "", []string{"init", "--data", data + "2", "--station", "S", "--kecamatan", "3211", "--admin", "admin"}, exitUsage, "", "kecamatan"},
		{"list", as(adminPW), "", []string{"operator", "list", "--as", "admin", "--data", data}, exitOK, "supervisor", ""},
		{"list json", as(adminPW), "", []string{"operator", "list", "--as", "admin", "--data", data, "--json"}, exitOK, `"role":"technician"`, ""},
		{"password on stdin", nil, adminPW + "\n", []string{"operator", "list", "--as", "admin", "--data", data}, exitOK, "budi", ""},
		{"wrong password", as("nope-nope-nope"), "", []string{"operator", "list", "--as", "admin", "--data", data}, exitNegative, "", "wrong operator name or password"},
		{"operator may not add", map[string]string{"REKAM_PASSWORD": opPW, "REKAM_NEW_PASSWORD": opPW}, "", []string{"operator", "add", "eve", "--role", "admin", "--as", "budi", "--data", data}, exitNegative, "", "not allowed"},
		{"bad role", as(adminPW), "", []string{"operator", "add", "eve", "--role", "root", "--as", "admin", "--data", data}, exitUsage, "", "unknown role"},
		{"no --as", nil, "", []string{"operator", "list", "--data", data}, exitUsage, "", "--as"},
		{"lock", as(adminPW), "", []string{"operator", "lock", "tono", "--as", "admin", "--data", data}, exitOK, "tono locked", ""},
		{"locked cannot log in", as(opPW), "", []string{"audit", "verify", "--as", "tono", "--data", data}, exitNegative, "", "locked"},
		{"last admin", as(adminPW), "", []string{"operator", "lock", "admin", "--as", "admin", "--data", data}, exitNegative, "", "last unlocked admin"},
		{"lock unknown", as(adminPW), "", []string{"operator", "lock", "Nobody Here", "--as", "admin", "--data", data}, exitNegative, "", "not found"},
		{"unlock", as(adminPW), "", []string{"operator", "lock", "tono", "--unlock", "--as", "admin", "--data", data}, exitOK, "unlocked", ""},
		{"no station", as(adminPW), "", []string{"operator", "list", "--as", "admin", "--data", data + "-none"}, exitUsage, "", "rekamctl init"},
	}
	runCases(t, tests, nil)
	// Five wrong passwords lock an account.
	for i := 0; i < 5; i++ {
		runCLI(t, as("wrong-password"), "", "resident", "list", "--as", "budi", "--data", data)
	}
	if code, _, errs := runCLI(t, as(opPW), "", "resident", "list", "--as", "budi", "--data", data); code != exitNegative || !strings.Contains(errs, "locked") {
		t.Fatalf("after 5 failures: exit %d %q", code, errs)
	}
}

func TestResidentCommands(t *testing.T) {
	data := testStation(t)
	tests := []cliCase{
		{"add", as(opPW), residentJSON, []string{"resident", "add", "--as", "budi", "--data", data, "--json"}, exitOK, `"nik":"3211010101900001"`, ""},
		{"add again", as(opPW), residentJSON, []string{"resident", "add", "--as", "budi", "--data", data}, exitNegative, "", "already exists"},
		{"short NIK", as(opPW), `{"nik":"321101","name":"X"}`, []string{"resident", "add", "--as", "budi", "--data", data}, exitNegative, "", "16 digits"},
		{"no name", as(opPW), `{"nik":"3211010101900002"}`, []string{"resident", "add", "--as", "budi", "--data", data}, exitNegative, "", "name"},
		{"NIK as number", as(opPW), `{"nik":3211010101900002,"name":"X"}`, []string{"resident", "add", "--as", "budi", "--data", data}, exitUsage, "", "string"},
		{"unknown key", as(opPW), `{"nik":"3211010101900002","name":"X","nama":"Y"}`, []string{"resident", "add", "--as", "budi", "--data", data}, exitUsage, "", "unknown field"},
		{"technician may not add", as(opPW), strings.Replace(residentJSON, "900001", "900003", 1), []string{"resident", "add", "--as", "tono", "--data", data}, exitNegative, "", "not allowed"},
		{"help documents keys", nil, "", []string{"resident", "add", "--help"}, exitUsage, "", "mother_nik"},
		{"show", as(opPW), "", []string{"resident", "show", "3211010101900001", "--as", "budi", "--data", data}, exitOK, "ASEP SUNANDAR", ""},
		{"show json", as(opPW), "", []string{"resident", "show", "3211010101900001", "--as", "budi", "--data", data, "--json"}, exitOK, `"nik":"3211010101900001"`, ""},
		{"show missing", as(opPW), "", []string{"resident", "show", "3211010101900009", "--as", "budi", "--data", data}, exitNegative, "", "not found"},
		{"technician may not show", as(opPW), "", []string{"resident", "show", "3211010101900001", "--as", "tono", "--data", data}, exitNegative, "", "not allowed"},
		{"auditor may not show", as(opPW), "", []string{"resident", "show", "3211010101900001", "--as", "aud", "--data", data}, exitNegative, "", "not allowed"},
		{"list masked", as(opPW), "", []string{"resident", "list", "--as", "budi", "--data", data}, exitOK, "3211********0001", ""},
		{"operator may not list full", as(opPW), "", []string{"resident", "list", "--full", "--as", "budi", "--data", data}, exitNegative, "", "not allowed"},
		{"supervisor lists full", as(opPW), "", []string{"resident", "list", "--full", "--as", "sari", "--data", data, "--json"}, exitOK, `"nik":"3211010101900001"`, ""},
	}
	// No whole NIK on screen except where asked for.
	runCases(t, tests, func(t *testing.T, tt cliCase, out, errs string) {
		if strings.Contains(out+errs, "3211010101900001") && !strings.Contains(strings.Join(tt.args, " "), "--json") && tt.name != "show" && tt.name != "supervisor lists full" {
			t.Fatalf("whole NIK printed: %q %q", out, errs)
		}
	})
}

// copyStation copies a station's data and config folders to a new place.
func copyStation(t *testing.T, data string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	for _, pair := range [][2]string{{data, dst}, {data + "-config", dst + "-config"}} {
		os.MkdirAll(pair[1], 0o700)
		ents, _ := os.ReadDir(pair[0])
		for _, e := range ents {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(pair[0], e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(pair[1], e.Name()), b, 0o600)
		}
	}
	return dst
}

// tamper runs SQL on a station's database the way someone with the file
// would: the append-only triggers dropped first.
func tamper(t *testing.T, data string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(data, "station.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	data := testStation(t)
	runCLI(t, as(opPW), residentJSON, "resident", "add", "--as", "budi", "--data", data)
	runCLI(t, as(opPW), "", "resident", "show", "3211010101900001", "--as", "budi", "--data", data)
	code, out, errs := runCLI(t, as(opPW), "", "audit", "verify", "--as", "aud", "--data", data)
	if code != exitOK || !strings.Contains(out, "audit log ok") {
		t.Fatalf("intact: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, as(opPW), "", "audit", "verify", "--as", "budi", "--data", data); code != exitNegative || !strings.Contains(errs, "not allowed") {
		t.Fatalf("operator verified: exit %d %q", code, errs)
	}
	tests := []struct {
		name  string
		stmts []string
		want  string
	}{
		{"edited", []string{`UPDATE audit_log SET actor = 'mallory' WHERE seq = 6`}, "entry 6: fields do not match"},
		{"deleted", []string{`DELETE FROM audit_log WHERE seq = 5`}, "entry 5: entry missing"},
		{"reordered", []string{`UPDATE audit_log SET seq = -1 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 4`, `UPDATE audit_log SET seq = 4 WHERE seq = -1`}, "entry 3"},
		{"tail removed", []string{`DELETE FROM audit_log WHERE seq > 8`}, "entry 9: entry missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := copyStation(t, data)
			tamper(t, c, tt.stmts...)
			code, out, errs := runCLI(t, as(opPW), "", "audit", "verify", "--as", "aud", "--data", c, "--json")
			if code != exitNegative || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q, want 1 and %q", code, errs, tt.want)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(out), &v); err != nil || v["ok"] != false {
				t.Fatalf("json %q: %v", out, err)
			}
		})
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	data := testStation(t)
	runCLI(t, as(opPW), residentJSON, "resident", "add", "--as", "budi", "--data", data)
	bk := filepath.Join(t.TempDir(), "station.rkb")
	if code, _, errs := runCLI(t, as(opPW), "", "backup", bk, "--as", "budi", "--data", data); code != exitNegative {
		t.Fatalf("operator made a backup: exit %d %q", code, errs)
	}
	code, out, errs := runCLI(t, as(adminPW), "", "backup", bk, "--as", "admin", "--data", data, "--json")
	if code != exitOK || !strings.Contains(out, `"sha256"`) {
		t.Fatalf("backup: exit %d %q %q", code, out, errs)
	}
	raw, _ := os.ReadFile(bk)
	if strings.Contains(string(raw), "ASEP") || strings.Contains(string(raw), "budi") {
		t.Fatal("backup file shows plaintext")
	}

	// A new machine: empty data and config folders, the passphrase only.
	fresh := filepath.Join(t.TempDir(), "new")
	recEnv := map[string]string{"REKAM_RECOVERY_PASSPHRASE": recovery}
	if code, _, errs := runCLI(t, map[string]string{"REKAM_RECOVERY_PASSPHRASE": "wrong passphrase"}, "", "restore", bk, "--data", fresh); code != exitNegative || !strings.Contains(errs, "passphrase") {
		t.Fatalf("wrong passphrase: exit %d %q", code, errs)
	}
	code, out, errs = runCLI(t, recEnv, "", "restore", bk, "--data", fresh)
	if code != exitOK || !strings.Contains(out, "1 residents") {
		t.Fatalf("restore: exit %d %q %q", code, out, errs)
	}
	code, out, _ = runCLI(t, as(opPW), "", "resident", "show", "3211010101900001", "--as", "budi", "--data", fresh)
	if code != exitOK || !strings.Contains(out, "ASEP SUNANDAR") {
		t.Fatalf("restored station cannot read its resident: exit %d %q", code, out)
	}
	code, out, _ = runCLI(t, as(opPW), "", "audit", "show", "--as", "aud", "--data", fresh, "--limit", "1000")
	if code != exitOK || !strings.Contains(out, "station.restore") || !strings.Contains(out, "station.backup") {
		t.Fatalf("restore not audited: %q", out)
	}

	// Over an existing station: refused without --force.
	if code, _, errs := runCLI(t, recEnv, "", "restore", bk, "--data", data); code != exitUsage || !strings.Contains(errs, "--force") {
		t.Fatalf("restore over existing: exit %d %q", code, errs)
	}
	// A tampered backup is refused and the station stays as it was.
	bad := filepath.Join(t.TempDir(), "bad.rkb")
	raw[len(raw)-100] ^= 0x01
	os.WriteFile(bad, raw, 0o600)
	before, _ := os.ReadFile(filepath.Join(data, "station.db"))
	code, _, errs = runCLI(t, recEnv, "", "restore", bad, "--data", data, "--force")
	if code != exitNegative || !strings.Contains(errs, "integrity") || !strings.Contains(errs, "nothing was changed") {
		t.Fatalf("tampered backup: exit %d %q", code, errs)
	}
	after, _ := os.ReadFile(filepath.Join(data, "station.db"))
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the station database")
	}
	// A cut-off file likewise.
	os.WriteFile(bad, raw[:len(raw)/2], 0o600)
	if code, _, errs := runCLI(t, recEnv, "", "restore", bad, "--data", data, "--force"); code != exitNegative {
		t.Fatalf("truncated backup: exit %d %q", code, errs)
	}
	// With --force a good backup replaces the station, keeping the old file.
	if code, _, errs := runCLI(t, recEnv, "", "restore", bk, "--data", data, "--force"); code != exitOK {
		t.Fatalf("restore --force: exit %d %q", code, errs)
	}
	olds, _ := filepath.Glob(filepath.Join(data, "station.db.replaced-*"))
	if len(olds) == 0 {
		t.Fatal("the replaced database was not kept")
	}
}

func TestPasswordFileAndMask(t *testing.T) {
	data := testStation(t)
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(adminPW+"\r\nsecond line ignored\n"), 0o600)
	if code, out, errs := runCLI(t, nil, "", "operator", "list", "--as", "admin", "--password-file", pwFile, "--data", data); code != exitOK || !strings.Contains(out, "budi") {
		t.Fatalf("--password-file: exit %d %q %q", code, out, errs)
	}
	for in, want := range map[string]string{"3211010101900001": "3211********0001", "12345678": "********", "": ""} {
		if got := maskNIK(in); got != want {
			t.Errorf("maskNIK(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDecodeResident(f *testing.F) {
	f.Add([]byte(residentJSON))
	f.Add([]byte(`{"nik":"1"} {"nik":"2"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResident(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		if len(b) > maxResidentJSON {
			t.Fatalf("accepted %d bytes", len(b))
		}
		// What decodes must survive validation without panicking.
		_ = validateResident(r)
	})
}
