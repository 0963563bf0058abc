package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"kessai/server/domain"
)

// fakeDB answers COUNT and EXISTS with its fields and the page query with
// its docs, and records the queries.
type fakeDB struct {
	count   int
	exists  bool
	docs    []string
	queries []string
	args    [][]any
}

type fakeRow func(dest ...any) error

func (f fakeRow) Scan(dest ...any) error { return f(dest...) }

func (f *fakeDB) QueryRow(ctx context.Context, query string, args ...any) Row {
	f.queries, f.args = append(f.queries, query), append(f.args, args)
	return fakeRow(func(dest ...any) error {
		switch d := dest[0].(type) {
		case *int:
			*d = f.count
		case *bool:
			*d = f.exists
		}
		return nil
	})
}

type fakeRows struct {
	docs []string
	i    int
}

func (r *fakeRows) Next() bool { r.i++; return r.i <= len(r.docs) }
func (r *fakeRows) Scan(dest ...any) error {
	*dest[0].(*[]byte) = []byte(r.docs[r.i-1])
	return nil
}
func (r *fakeRows) Err() error { return nil }
func (r *fakeRows) Close()     {}

func (f *fakeDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	f.queries, f.args = append(f.queries, query), append(f.args, args)
	return &fakeRows{docs: f.docs}, nil
}

type item struct {
	ID string `json:"id"`
}

func TestPage(t *testing.T) {
	ctx := context.Background()
	f := &fakeDB{count: 7, exists: true, docs: []string{`{"id":"c"}`, `{"id":"b"}`, `{"id":"a"}`}}
	db := DB{Dialect: Postgres, Q: f}
	w := Postgres.Where()
	w.Add("store_id = ?", "s")
	l, err := Page(ctx, db, Docs[item]("tokens"), w, domain.Page{Limit: 2, Cursor: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if l.TotalHits != 7 || !l.HasMore || len(l.Items) != 2 || l.Items[0].ID != "c" || l.Items[1].ID != "b" {
		t.Fatalf("page = %+v", l)
	}
	wantQ := []string{
		"SELECT COUNT(*) FROM (SELECT 1 FROM tokens WHERE store_id = $1 LIMIT 1000) AS hits", // total_hits up to MaxTotalHits
		"SELECT EXISTS (SELECT 1 FROM tokens WHERE id = $1)",
		"SELECT data FROM tokens WHERE store_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
	}
	wantArgs := [][]any{{"s"}, {"d"}, {"s", "d", 3}}
	if !reflect.DeepEqual(f.queries, wantQ) || !reflect.DeepEqual(f.args, wantArgs) {
		t.Fatalf("queries\n%s\n%v", strings.Join(f.queries, "\n"), f.args)
	}

	f = &fakeDB{docs: []string{`{"id":"a"}`}}
	l, err = Page(ctx, DB{Dialect: SQLite, Q: f}, Docs[item]("tokens"), SQLite.Where(), domain.Page{Asc: true})
	if err != nil || l.HasMore || len(l.Items) != 1 {
		t.Fatalf("page = %+v, %v", l, err)
	}
	if got := f.queries[1]; got != "SELECT data FROM tokens ORDER BY id ASC LIMIT ?" || f.args[1][0] != 11 {
		t.Fatalf("default page: %s %v", got, f.args[1])
	}

	f = &fakeDB{exists: false}
	if _, err := Page(ctx, DB{Dialect: SQLite, Q: f}, Docs[item]("tokens"), SQLite.Where(), domain.Page{Cursor: "x"}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}
}
