package sqlstore

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one numbered file of an engine's migrations directory:
// NNN_name.sql.
type Migration struct {
	Version int
	Name    string // the file's name
	SQL     string
}

// Migrations reads the files dir/*.sql of fsys in name order. They must be
// numbered from 001 without gaps: the Nth file is version N.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	slices.Sort(entries)
	var out []Migration
	for i, e := range entries {
		base := path.Base(e)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration file %s: want number %03d", base, i+1)
		}
		b, err := fs.ReadFile(fsys, e)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(b)})
	}
	return out, nil
}

// Pending returns the migrations of ms that a database at schema version
// cur has not seen yet. A database newer than ms (written by a later
// kessai) is refused; elsewhere says what else to open instead ("another
// database").
func Pending(ms []Migration, cur int, elsewhere string) ([]Migration, error) {
	if cur > len(ms) {
		return nil, fmt.Errorf("the database schema is version %d, newer than this kessai (%d): use a newer kessai or %s", cur, len(ms), elsewhere)
	}
	return ms[cur:], nil
}
