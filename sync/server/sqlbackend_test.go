package server_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/rekam-ktp/rekam/sync/server"
	"github.com/rekam-ktp/rekam/sync/server/backendtest"
)

func TestSQLiteBackendConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) server.Backend {
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "p.db")+"?_journal_mode=WAL&_fk=1&_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		b, err := server.OpenSQL(context.Background(), db, "sqlite3")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	})
}
