package sqlstore

import (
	"strconv"
	"strings"
	"time"
)

// Dialect is an engine's SQL where it differs from the other's in the
// queries of this package. Conditions are written with ? placeholders and
// field reads through the dialect; nothing else of them depends on the
// engine.
type Dialect int

const (
	// SQLite: ? placeholders, the document is JSON text read with
	// json_extract, times are stored as microseconds since the epoch.
	SQLite Dialect = iota + 1
	// Postgres: $n placeholders, the document is jsonb, times are
	// timestamptz. No query of this package uses the jsonb ? operators.
	Postgres
)

// Bind turns the ? placeholders of query into the engine's: $1, $2, … on
// PostgreSQL.
func (d Dialect) Bind(query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if p, ok := strings.CutSuffix(part, "?"); ok {
			n++
			b.WriteString(p)
			b.WriteString("$" + strconv.Itoa(n))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

// Time is the stored form of a time, as the created_at and due_at columns
// hold it.
func (d Dialect) Time(t time.Time) any {
	if d == Postgres {
		return t
	}
	return t.UnixMicro()
}

// scanTime reads a time column of r (see Time), in UTC.
func (d Dialect) scanTime(r Row) (time.Time, error) {
	if d == Postgres {
		var at time.Time
		err := r.Scan(&at)
		return at.UTC(), err
	}
	var us int64
	err := r.Scan(&us)
	return time.UnixMicro(us).UTC(), err
}

// Text is the string field at path (dot-separated keys, such as
// "card.cardholder") of the JSON document in column doc; NULL when absent.
func (d Dialect) Text(doc, path string) string {
	if d == Postgres {
		keys := strings.Split(path, ".")
		expr := doc
		for _, k := range keys[:len(keys)-1] {
			expr += "->" + quote(k)
		}
		return expr + "->>" + quote(keys[len(keys)-1])
	}
	return "json_extract(" + doc + ", " + quote("$."+path) + ")"
}

// Int is the integer field at path of the document in doc (see Text).
func (d Dialect) Int(doc, path string) string {
	if d == Postgres {
		return "(" + d.Text(doc, path) + ")::bigint"
	}
	return d.Text(doc, path)
}

// Metadata is the value of the metadata entry key of the document in doc,
// as text: an expression with one placeholder, and its argument (the key
// is the caller's, never part of the SQL).
func (d Dialect) Metadata(doc, key string) (expr string, arg any) {
	if d == Postgres {
		return doc + "->'metadata'->>?::text", key
	}
	return "CAST(json_extract(" + doc + ", ?) AS TEXT)", jsonPath("metadata", key)
}

// AnyMetadata is the condition that some metadata value of the document in
// doc, as text, satisfies cond (cond of the value's expression). A
// metadata that is not an object has no values.
func (d Dialect) AnyMetadata(doc string, cond func(value string) string) string {
	if d == Postgres {
		obj := doc + "->'metadata'"
		// A nil map is stored as null: jsonb_each_text only takes objects.
		return "EXISTS (SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(" + obj + ") = 'object' THEN " + obj + " END) m WHERE " + cond("m.value") + ")"
	}
	return "EXISTS (SELECT 1 FROM json_each(" + doc + ", '$.metadata') m WHERE " + cond("CAST(m.value AS TEXT)") + ")"
}

// ContainsFold is the condition that the text expr contains the argument
// of its one placeholder, ignoring case.
func (d Dialect) ContainsFold(expr string) string {
	if d == Postgres {
		return "strpos(lower(" + expr + "), lower(?)) > 0"
	}
	return "instr(lower(" + expr + "), lower(?)) > 0"
}

// LikeFold is the condition that the text expr matches the LIKE pattern
// of its one placeholder (escaped with \), ignoring case: SQLite's LIKE
// does (for ASCII), PostgreSQL's ILIKE.
func (d Dialect) LikeFold(expr string) string {
	op := "LIKE"
	if d == Postgres {
		op = "ILIKE"
	}
	return expr + " " + op + ` ? ESCAPE '\'`
}

// Right is the last n characters of the text expr (all of it when
// shorter).
func (d Dialect) Right(expr string, n int) string {
	if d == Postgres {
		return "right(" + expr + ", " + strconv.Itoa(n) + ")"
	}
	return "substr(" + expr + ", -" + strconv.Itoa(n) + ")"
}

// jsonPath quotes a JSON path for SQLite's json_extract: $."a"."b".
func jsonPath(keys ...string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, k := range keys {
		b.WriteString(`."`)
		b.WriteString(strings.ReplaceAll(k, `"`, `\"`))
		b.WriteString(`"`)
	}
	return b.String()
}

// quote is the SQL string literal of s.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
