package sqlstore

import (
	"reflect"
	"testing"

	"kessai/api"
	"kessai/server/domain"
)

// A list's conditions are one rule rendered in each dialect.
func TestListConditions(t *testing.T) {
	q := domain.ChargeQuery{Scope: domain.Scope{StoreID: "s"}, Filters: domain.Filters{Mode: api.ModeTest}, Currency: "JPY", Email: "a@example.com"}
	for _, c := range []struct {
		d    Dialect
		want string
	}{
		{SQLite, " WHERE store_id = ? AND mode = ? AND (json_extract(data, '$.currency') = ? OR json_extract(data, '$.charged_currency') = ?)" +
			" AND token_id IN (SELECT id FROM tokens WHERE store_id = ? AND lower(json_extract(data, '$.email')) = lower(?))"},
		{Postgres, " WHERE store_id = ? AND mode = ? AND (data->>'currency' = ? OR data->>'charged_currency' = ?)" +
			" AND token_id IN (SELECT id FROM tokens WHERE store_id = ? AND lower(data->>'email') = lower(?))"},
	} {
		w := c.d.Charges(q)
		if got := w.SQL(); got != c.want {
			t.Errorf("%v:\ngot  %s\nwant %s", c.d, got, c.want)
		}
		if want := []any{"s", "test", "JPY", "JPY", "s", "a@example.com"}; !reflect.DeepEqual(w.Args(), want) {
			t.Errorf("%v: args %v, want %v", c.d, w.Args(), want)
		}
	}

	w := SQLite.ChargeCount(domain.ChargeCount{StoreID: "s", ExceptStatuses: []api.ChargeStatus{api.ChargeFailed, api.ChargeError}})
	if got, want := w.SQL(), " WHERE store_id = ? AND status NOT IN (?, ?)"; got != want {
		t.Errorf("ChargeCount: %s", got)
	}
	if w := Postgres.Where(); w.SQL() != "" || len(w.Args()) != 0 {
		t.Errorf("no conditions: %q %v", w.SQL(), w.Args())
	}
}

func TestParseCardExp(t *testing.T) {
	for s, want := range map[string][2]int{"2030-01": {2030, 1}, "0999-12": {999, 12}} {
		if y, m, ok := parseCardExp(s); !ok || y != want[0] || m != want[1] {
			t.Errorf("parseCardExp(%q) = %d, %d, %v", s, y, m, ok)
		}
	}
	for _, s := range []string{"2030-1", "2030", "30-01", "+2030-01", "2030-01-01", "2030/01", ""} {
		if _, _, ok := parseCardExp(s); ok {
			t.Errorf("parseCardExp(%q) ok", s)
		}
	}
}
