package sqlstore

import (
	"testing"
	"time"
)

func TestBind(t *testing.T) {
	q := "a = ? AND (b = ? OR c->>?::text = ?) LIMIT ?"
	if got := Postgres.Bind(q); got != "a = $1 AND (b = $2 OR c->>$3::text = $4) LIMIT $5" {
		t.Error(got)
	}
	if got := SQLite.Bind(q); got != q {
		t.Error(got)
	}
	if got := Postgres.Bind("SELECT 1"); got != "SELECT 1" {
		t.Error(got)
	}
}

// The expressions of each dialect, as the engines' migrations and indexes
// expect them.
func TestDialectSQL(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{SQLite.Text("data", "card.cardholder"), "json_extract(data, '$.card.cardholder')"},
		{Postgres.Text("data", "card.cardholder"), "data->'card'->>'cardholder'"},
		{Postgres.Text("t.data", "email"), "t.data->>'email'"},
		{SQLite.Int("data", "amount"), "json_extract(data, '$.amount')"},
		{Postgres.Int("data", "amount"), "(data->>'amount')::bigint"},
		{Postgres.Text("data", "it's"), "data->>'it''s'"},
		{SQLite.ContainsFold("x"), "instr(lower(x), lower(?)) > 0"},
		{Postgres.ContainsFold("x"), "strpos(lower(x), lower(?)) > 0"},
		{SQLite.Right("id", 6), "substr(id, -6)"},
		{SQLite.LikeFold("x"), `x LIKE ? ESCAPE '\'`},
		{Postgres.LikeFold("x"), `x ILIKE ? ESCAPE '\'`},
		{Postgres.Right("id", 6), "right(id, 6)"},
		{SQLite.AnyMetadata("data", equals), "EXISTS (SELECT 1 FROM json_each(data, '$.metadata') m WHERE CAST(m.value AS TEXT) = ?)"},
		{Postgres.AnyMetadata("data", equals), "EXISTS (SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(data->'metadata') = 'object' THEN data->'metadata' END) m WHERE m.value = ?)"},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
	for _, c := range []struct {
		d    Dialect
		expr string
		arg  any
	}{
		{SQLite, "CAST(json_extract(data, ?) AS TEXT)", `$."metadata"."a \"b\""`},
		{Postgres, "data->'metadata'->>?::text", `a "b"`},
	} {
		expr, arg := c.d.Metadata("data", `a "b"`)
		if expr != c.expr || arg != c.arg {
			t.Errorf("Metadata = %s, %v", expr, arg)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	if got := SQLite.Time(at); got != at.UnixMicro() {
		t.Errorf("SQLite.Time = %v", got)
	}
	if got := Postgres.Time(at); got != at {
		t.Errorf("Postgres.Time = %v", got)
	}
}
