package server

import (
	"os"
	"sync"
	"testing"

	"kessai/server/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testDatabases maps the data directory of a test server to its
// PostgreSQL database, so that a server reopened on the directory finds its
// data.
var testDatabases sync.Map

// testDatabase is the Config.Database of a test server on dir: "" (SQLite
// in dir), or with KESSAI_TEST_DATABASE=postgres a PostgreSQL database of
// its own on the pgtest server (docs/postgres.md, "Tests").
func testDatabase(t testing.TB, dir string) string {
	if os.Getenv("KESSAI_TEST_DATABASE") != "postgres" {
		return ""
	}
	if u, ok := testDatabases.Load(dir); ok {
		return u.(string)
	}
	u := pgtest.Database(t)
	testDatabases.Store(dir, u)
	return u
}
