package widget

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTerms(t *testing.T) {
	now := time.Date(2025, time.June, 15, 3, 0, 0, 0, time.UTC) // 12:00 in Japan
	type terms struct {
		First, Regular, Last int64
		Count                int
		Total                int64
		Second               string
	}
	cases := []struct {
		name string
		raw  map[string]any
		want terms
	}{
		{"monthly", map[string]any{"subscriptionPeriod": "monthly"},
			terms{First: 1000, Regular: 1000, Second: "2025-07-15"}},
		{"initial amount", map[string]any{"subscriptionPeriod": "P2W", "subscriptionInitialAmount": 300.0},
			terms{First: 300, Regular: 1000, Second: "2025-06-29"}},
		{"free first month", map[string]any{"subscriptionPeriod": "annually", "subscriptionInitialAmount": 0.0, "cvvAuthorize": true},
			terms{First: 0, Regular: 1000, Second: "2026-06-15"}},
		{"fixed cycles with a remainder", map[string]any{"subscriptionPeriod": "monthly", "subscriptionPlan": "fixed_cycles", "subscriptionQty": 3.0},
			terms{First: 333, Regular: 333, Last: 334, Count: 3, Total: 1000, Second: "2025-07-15"}},
		{"fixed cycles after an initial amount", map[string]any{"subscriptionPeriod": "monthly", "subscriptionPlan": "fixed_cycles", "subscriptionQty": 4.0, "subscriptionInitialAmount": 100.0},
			terms{First: 100, Regular: 300, Last: 300, Count: 4, Total: 1000, Second: "2025-07-15"}},
		{"fixed cycle amount", map[string]any{"subscriptionPeriod": "weekly", "subscriptionPlan": "fixed_cycle_amount", "subscriptionQty": 300.0},
			terms{First: 300, Regular: 300, Last: 100, Count: 4, Total: 1000, Second: "2025-06-22"}},
		{"fixed cycle amount after an initial amount", map[string]any{"subscriptionPeriod": "weekly", "subscriptionPlan": "fixed_cycle_amount", "subscriptionQty": 300.0, "subscriptionInitialAmount": 150.0},
			terms{First: 150, Regular: 300, Last: 250, Count: 4, Total: 1000, Second: "2025-06-22"}},
		{"start date", map[string]any{"subscriptionPeriod": "monthly", "subscriptionStart": "2025-09-01"},
			terms{First: 1000, Regular: 1000, Second: "2025-09-01"}},
		{"start in two months on the 20th", map[string]any{"subscriptionPeriod": "monthly", "subscriptionStartIn": "P2M", "subscriptionStartDayOfMonth": 20.0},
			terms{First: 1000, Regular: 1000, Second: "2025-08-20"}},
		{"the 20th, still ahead this month", map[string]any{"subscriptionPeriod": "monthly", "subscriptionStartDayOfMonth": 20.0},
			terms{First: 1000, Regular: 1000, Second: "2025-06-20"}},
		{"the 15th is today: next month", map[string]any{"subscriptionPeriod": "monthly", "subscriptionStartDayOfMonth": 15.0},
			terms{First: 1000, Regular: 1000, Second: "2025-07-15"}},
		{"the 31st in June is the 30th", map[string]any{"subscriptionPeriod": "monthly", "subscriptionStartDayOfMonth": 31.0},
			terms{First: 1000, Regular: 1000, Second: "2025-06-30"}},
	}
	for _, c := range cases {
		raw := map[string]any{"appId": "a", "tokenType": "subscription", "amount": 1000.0}
		for k, v := range c.raw {
			raw[k] = v
		}
		o, ps := ParseOptions(SourceJS, raw)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", c.name, ps)
		}
		tm, ok := Terms(o, now)
		if !ok {
			t.Fatalf("%s: no terms", c.name)
		}
		got := terms{tm.First, tm.Regular, tm.Last, tm.Count, tm.Total, tm.Second.Format("2006-01-02")}
		if got != c.want {
			t.Errorf("%s: terms %+v, want %+v", c.name, got, c.want)
		}
	}

	// Month ends are clamped.
	end := time.Date(2025, time.January, 31, 3, 0, 0, 0, time.UTC)
	o, _ := ParseOptions(SourceJS, map[string]any{"appId": "a", "tokenType": "subscription", "amount": 1.0, "subscriptionPeriod": "monthly"})
	if tm, _ := Terms(o, end); tm.Second.Format("2006-01-02") != "2025-02-28" {
		t.Errorf("monthly from Jan 31: second payment %s, want 2025-02-28", tm.Second.Format("2006-01-02"))
	}
	// No subscription, no terms.
	for _, raw := range []map[string]any{
		{"appId": "a", "amount": 1.0},
		{"appId": "a", "checkout": "token", "tokenType": "subscription", "subscriptionPeriod": "monthly"},
		{"appId": "a", "amount": 1.0, "tokenType": "recurring"},
	} {
		o, _ := ParseOptions(SourceJS, raw)
		if _, ok := Terms(o, now); ok {
			t.Errorf("%v: terms for a payment that creates no subscription", raw)
		}
	}
}

func TestTermsLines(t *testing.T) {
	now := time.Date(2025, time.June, 15, 3, 0, 0, 0, time.UTC)
	o, _ := ParseOptions(SourceJS, map[string]any{"appId": "a", "tokenType": "subscription", "amount": 1000.0,
		"subscriptionPeriod": "monthly", "subscriptionPlan": "fixed_cycles", "subscriptionQty": 3.0})
	tm, _ := Terms(o, now)
	if got, want := tm.Lines(LocaleJA), []string{
		"毎月のお支払い: 333円", "初回のお支払い（本日）: 333円", "2回目のお支払い: 2025年7月15日",
		"全3回のお支払い（合計 1,000円）", "最終回のお支払い: 334円",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("ja lines = %q, want %q", got, want)
	}
	o, _ = ParseOptions(SourceJS, map[string]any{"appId": "a", "tokenType": "subscription", "amount": 1500.0,
		"subscriptionPeriod": "P3M", "subscriptionInitialAmount": 0.0, "cvvAuthorize": true})
	tm, _ = Terms(o, now)
	if got, want := strings.Join(tm.Lines(LocaleEN), " | "),
		"Every 3 months: ¥1,500 | Nothing is charged today (your card is only verified) | Second payment: Sep 15, 2025 | Continues until canceled"; got != want {
		t.Errorf("en lines = %q, want %q", got, want)
	}
	for _, p := range []string{"P1M", "P2W", "P10D", "P1Y", "biweekly"} {
		for _, l := range []Locale{LocaleJA, LocaleEN} {
			if s := PeriodText(l, p); s == "" || strings.Contains(s, "{") || strings.Contains(s, "period.") {
				t.Errorf("PeriodText(%s, %s) = %q", l, p, s)
			}
		}
	}
}
