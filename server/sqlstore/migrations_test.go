package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/002_b.sql":   {Data: []byte("B")},
		"m/001_a.sql":   {Data: []byte("A")},
		"m/notes.txt":   {Data: []byte("not a migration")},
		"other/1_x.sql": {Data: []byte("X")},
	}
	ms, err := Migrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0] != (Migration{1, "001_a.sql", "A"}) || ms[1] != (Migration{2, "002_b.sql", "B"}) {
		t.Fatalf("Migrations = %+v", ms)
	}

	for name, files := range map[string][]string{
		"gap":       {"001_a.sql", "003_c.sql"},
		"no number": {"001_a.sql", "b.sql"},
		"from zero": {"000_a.sql"},
	} {
		fsys := fstest.MapFS{}
		for _, f := range files {
			fsys["m/"+f] = &fstest.MapFile{}
		}
		if _, err := Migrations(fsys, "m"); err == nil || !strings.Contains(err.Error(), "want number") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPending(t *testing.T) {
	ms := []Migration{{Version: 1}, {Version: 2}, {Version: 3}}
	for cur, want := range []int{3, 2, 1, 0} {
		p, err := Pending(ms, cur, "another database")
		if err != nil || len(p) != want || (want > 0 && p[0].Version != cur+1) {
			t.Errorf("Pending at %d = %+v, %v", cur, p, err)
		}
	}
	_, err := Pending(ms, 4, "another database")
	if err == nil || err.Error() != "the database schema is version 4, newer than this kessai (3): use a newer kessai or another database" {
		t.Fatalf("Pending of a newer database: %v", err)
	}
}
