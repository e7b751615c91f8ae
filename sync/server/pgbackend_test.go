package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/rekam-ktp/rekam/internal/pgtest"
	"github.com/rekam-ktp/rekam/sync/server"
	"github.com/rekam-ktp/rekam/sync/server/backendtest"
)

func TestPostgresBackendConformance(t *testing.T) {
	dsn := pgtest.Start(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n atomic.Int64
	backendtest.Run(t, func(t *testing.T) server.Backend {
		// A schema per test keeps tests apart on one server.
		schema := fmt.Sprintf("t%d", n.Add(1))
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("pgx", dsn+" search_path="+schema)
		if err != nil {
			t.Fatal(err)
		}
		b, err := server.OpenSQL(context.Background(), db, "pgx")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	})
}
