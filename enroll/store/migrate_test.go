package store

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrate(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name    string
		fs      fstest.MapFS
		version int
		err     string
	}{
		{"in order", fstest.MapFS{"migrations/0002_b.sql": file(`CREATE TABLE b (x)`), "migrations/0001_a.sql": file(`CREATE TABLE a (x)`)}, 2, ""},
		{"gap", fstest.MapFS{"migrations/0001_a.sql": file(`CREATE TABLE a (x)`), "migrations/0003_c.sql": file(`CREATE TABLE c (x)`)}, 0, "expected number 2"},
		{"bad name", fstest.MapFS{"migrations/first.sql": file(`CREATE TABLE a (x)`)}, 0, "must start with a number"},
		{"bad sql rolls back", fstest.MapFS{"migrations/0001_a.sql": file(`CREATE TABLE a (x)`), "migrations/0002_b.sql": file(`CREATE TABLE b (x); NONSENSE`)}, 1, "0002_b.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			v, err := migrate(ctx, db, tt.fs)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if v != tt.version {
				t.Fatalf("version %d, want %d", v, tt.version)
			}
			var n int
			db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
			if tt.name == "bad sql rolls back" && n != 0 {
				t.Fatal("a failed migration left its table")
			}
		})
	}
	// A database from a newer program is refused.
	db, _ := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
	defer db.Close()
	one := fstest.MapFS{"migrations/0001_a.sql": file(`CREATE TABLE a (x)`)}
	migrate(ctx, db, one)
	db.Exec(`INSERT INTO schema_version VALUES (7)`)
	if _, err := migrate(ctx, db, one); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer schema: %v", err)
	}
}
