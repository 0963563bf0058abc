package server

import (
	"testing"
	"time"
)

func mustDate(t *testing.T, s string) date {
	t.Helper()
	d, ok := parseDate(s)
	if !ok {
		t.Fatalf("bad date %q", s)
	}
	return d
}

func mustZone(t *testing.T, id string) *time.Location {
	t.Helper()
	z, err := loadZone(id)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestParseCycle(t *testing.T) {
	for _, tt := range []struct {
		in, units string
		want      cycle
		ok        bool
	}{
		{"P1D", "DWMY", cycle{days: 1}, true},
		{"p3d", "DWMY", cycle{days: 3}, true},
		{"P2W", "DWMY", cycle{days: 14}, true},
		{"P2M", "DWMY", cycle{months: 2}, true},
		{"P1Y", "DWMY", cycle{months: 12}, true},
		{"P1Y", "DWM", cycle{}, false}, // retry_interval has no years
		{"P0D", "DWMY", cycle{}, false},
		{"P-1D", "DWMY", cycle{}, false},
		{"P1M2D", "DWMY", cycle{}, false},
		{"PT1H", "DWMY", cycle{}, false},
		{"1D", "DWMY", cycle{}, false},
		{"P", "DWMY", cycle{}, false},
		{"", "DWMY", cycle{}, false},
	} {
		got, ok := parseCycle(tt.in, tt.units)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseCycle(%q, %q) = %+v, %v; want %+v, %v", tt.in, tt.units, got, ok, tt.want, tt.ok)
		}
	}
}

// Payment dates: the first on the creation date in the zone, the second on
// start_on or one cycle later, month arithmetic clamped and anchored.
func TestScheduleCycleDates(t *testing.T) {
	jst := "Asia/Tokyo"
	for _, tt := range []struct {
		name     string
		created  string // RFC 3339
		zone     string
		cycle    cycle
		startOn  string
		preserve bool
		want     []string // cycle dates 0, 1, 2, …
	}{
		{"monthly from the seed example", "2024-06-26T01:51:28Z", jst, cycle{months: 1}, "", false,
			[]string{"2024-06-26", "2024-07-26", "2024-08-26"}},
		{"creation date is the zone's date", "2024-06-25T20:00:00Z", jst, cycle{months: 1}, "", false,
			[]string{"2024-06-26", "2024-07-26"}},
		{"the same instant in UTC", "2024-06-25T20:00:00Z", "UTC", cycle{months: 1}, "", false,
			[]string{"2024-06-25", "2024-07-25"}},
		{"and in Los Angeles", "2024-06-26T05:00:00Z", "America/Los_Angeles", cycle{days: 1}, "", false,
			[]string{"2024-06-25", "2024-06-26", "2024-06-27"}},
		{"month end clamps and returns (leap year)", "2024-01-31T03:00:00Z", jst, cycle{months: 1}, "", false,
			[]string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"}},
		{"month end, not a leap year", "2023-01-31T03:00:00Z", jst, cycle{months: 1}, "", false,
			[]string{"2023-01-31", "2023-02-28", "2023-03-31"}},
		{"quarterly from the 30th", "2023-11-30T03:00:00Z", jst, cycle{months: 3}, "", false,
			[]string{"2023-11-30", "2024-02-29", "2024-05-30", "2024-08-30"}},
		{"annually from Feb 29", "2024-02-29T03:00:00Z", jst, cycle{months: 12}, "", false,
			[]string{"2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"}},
		{"weekly", "2024-06-26T01:00:00Z", jst, cycle{days: 7}, "", false,
			[]string{"2024-06-26", "2024-07-03", "2024-07-10"}},
		{"start_on is the second payment", "2024-06-26T01:00:00Z", jst, cycle{months: 1}, "2024-07-10", false,
			[]string{"2024-06-26", "2024-07-10", "2024-08-10", "2024-09-10"}},
		{"preserve_end_of_month false (seed)", "2018-06-20T01:00:00Z", jst, cycle{months: 1}, "2018-06-30", false,
			[]string{"2018-06-20", "2018-06-30", "2018-07-30", "2018-08-30"}},
		{"preserve_end_of_month true (seed)", "2018-06-20T01:00:00Z", jst, cycle{months: 1}, "2018-06-30", true,
			[]string{"2018-06-20", "2018-06-30", "2018-07-31", "2018-08-31", "2018-09-30"}},
		{"preserve_end_of_month needs a last day", "2018-06-20T01:00:00Z", jst, cycle{months: 1}, "2018-06-29", true,
			[]string{"2018-06-20", "2018-06-29", "2018-07-29"}},
		{"preserve_end_of_month from the creation date", "2024-04-30T01:00:00Z", jst, cycle{months: 1}, "", true,
			[]string{"2024-04-30", "2024-05-31", "2024-06-30"}},
		{"cyclical P10D", "2024-06-26T01:00:00Z", jst, cycle{days: 10}, "", false,
			[]string{"2024-06-26", "2024-07-06", "2024-07-16"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			created, err := time.Parse(time.RFC3339, tt.created)
			if err != nil {
				t.Fatal(err)
			}
			sc := schedule{created: created, zone: mustZone(t, tt.zone), cycle: tt.cycle, preserveEndOfMonth: tt.preserve}
			if tt.startOn != "" {
				d := mustDate(t, tt.startOn)
				sc.startOn = &d
			}
			for k, want := range tt.want {
				if got := sc.cycleDate(k).String(); got != want {
					t.Errorf("cycleDate(%d) = %s, want %s", k, got, want)
				}
			}
		})
	}
}

// Payments run at 07:00 in the zone; 09:00 for daily subscriptions and when
// the second payment is the day after creation.
func TestScheduleDueTime(t *testing.T) {
	created := time.Date(2024, 6, 26, 1, 51, 28, 0, time.UTC) // 10:51 in Tokyo
	for _, tt := range []struct {
		name    string
		zone    string
		cycle   cycle
		startOn string
		due     string // a payment date
		want    string // RFC 3339 in UTC
	}{
		{"monthly at 07:00 Tokyo", "Asia/Tokyo", cycle{months: 1}, "", "2024-07-26", "2024-07-25T22:00:00Z"},
		{"daily at 09:00", "Asia/Tokyo", cycle{days: 1}, "", "2024-06-27", "2024-06-27T00:00:00Z"},
		{"second payment the next day: 09:00", "Asia/Tokyo", cycle{months: 1}, "2024-06-27", "2024-07-27", "2024-07-27T00:00:00Z"},
		{"second payment two days later: 07:00", "Asia/Tokyo", cycle{months: 1}, "2024-06-28", "2024-07-28", "2024-07-27T22:00:00Z"},
		{"weekly at 07:00", "Asia/Tokyo", cycle{days: 7}, "", "2024-07-03", "2024-07-02T22:00:00Z"},
		{"New York summer time", "America/New_York", cycle{months: 1}, "", "2024-07-26", "2024-07-26T11:00:00Z"},
		{"New York winter time", "America/New_York", cycle{months: 1}, "", "2024-12-26", "2024-12-26T12:00:00Z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := schedule{created: created, zone: mustZone(t, tt.zone), cycle: tt.cycle}
			if tt.startOn != "" {
				d := mustDate(t, tt.startOn)
				sc.startOn = &d
			}
			if got := sc.dueTime(mustDate(t, tt.due)).UTC().Format(time.RFC3339); got != tt.want {
				t.Errorf("dueTime = %s, want %s", got, tt.want)
			}
		})
	}
}

// A resumed subscription's next payment is the nearest cycle date from the
// resume day (seed: monthly on the 1st, resumed 10/2 → 11/1).
func TestScheduleFirstCycleOnOrAfter(t *testing.T) {
	created := time.Date(2024, 6, 1, 3, 0, 0, 0, time.UTC)
	sc := schedule{created: created, zone: mustZone(t, "Asia/Tokyo"), cycle: cycle{months: 1}}
	for _, tt := range []struct {
		day  string
		want int
	}{
		{"2024-06-01", 1}, {"2024-07-01", 1}, {"2024-07-02", 2}, {"2024-10-01", 4}, {"2024-10-02", 5},
	} {
		if got := sc.firstCycleOnOrAfter(mustDate(t, tt.day)); got != tt.want {
			t.Errorf("firstCycleOnOrAfter(%s) = %d (%s), want %d", tt.day, got, sc.cycleDate(got), tt.want)
		}
	}
	if got := sc.cycleDate(sc.firstCycleOnOrAfter(mustDate(t, "2024-10-02"))).String(); got != "2024-11-01" {
		t.Errorf("resumed 10/2: next %s, want 2024-11-01", got)
	}
}

func TestPlanPayments(t *testing.T) {
	i := func(n int64) *int64 { return &n }
	type pay struct {
		amount int64
		last   bool
	}
	for _, tt := range []struct {
		name string
		plan plan
		want []pay // payments 0, 1, …; the plan has no payment after them when count > 0
	}{
		{"plain", plan{amount: 1000}, []pay{{1000, false}, {1000, false}, {1000, false}}},
		{"plain with an initial amount", plan{amount: 1000, initial: i(5000)}, []pay{{5000, false}, {1000, false}}},
		{"fixed cycles: remainder on the last", plan{amount: 1000, fixedCycles: 3}, []pay{{333, false}, {333, false}, {334, true}}},
		{"fixed cycles with an initial amount", plan{amount: 1000, initial: i(100), fixedCycles: 3}, []pay{{100, false}, {450, false}, {450, true}}},
		{"fixed cycles, free first payment", plan{amount: 1000, initial: i(0), fixedCycles: 3}, []pay{{0, false}, {500, false}, {500, true}}},
		{"one fixed cycle", plan{amount: 1000, fixedCycles: 1}, []pay{{1000, true}}},
		{"fixed cycle amount: the rest last", plan{amount: 1000, cycleAmount: 300}, []pay{{300, false}, {300, false}, {300, false}, {100, true}}},
		{"fixed cycle amount, exact", plan{amount: 900, cycleAmount: 300}, []pay{{300, false}, {300, false}, {300, true}}},
		{"fixed cycle amount with an initial amount", plan{amount: 1000, initial: i(100), cycleAmount: 300}, []pay{{100, false}, {300, false}, {300, false}, {300, true}}},
		{"installment", plan{amount: 120000, installment: true}, []pay{{120000, true}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for n, want := range tt.want {
				amount, last, ok := tt.plan.payment(n)
				if !ok || amount != want.amount || last != want.last {
					t.Errorf("payment(%d) = %d, %v, %v; want %d, %v", n, amount, last, ok, want.amount, want.last)
				}
			}
			if c := tt.plan.count(); c > 0 {
				if c != len(tt.want) {
					t.Errorf("count = %d, want %d", c, len(tt.want))
				}
				if _, _, ok := tt.plan.payment(c); ok {
					t.Errorf("payment(%d) exists after the plan's end", c)
				}
			}
		})
	}
}

func TestRetryDate(t *testing.T) {
	p7d, p1m := "P7D", "P1M"
	if got := retryDate(mustDate(t, "2024-01-23"), &p7d); got == nil || got.String() != "2024-01-30" {
		t.Errorf("P7D retry = %v", got)
	}
	if got := retryDate(mustDate(t, "2024-01-31"), &p1m); got == nil || got.String() != "2024-02-29" {
		t.Errorf("P1M retry = %v", got)
	}
	if got := retryDate(mustDate(t, "2024-01-23"), nil); got != nil {
		t.Errorf("retry without an interval = %v", got)
	}
}

func TestStartFrom(t *testing.T) {
	today := mustDate(t, "2024-06-26")
	day := func(n int) *int { return &n }
	for _, tt := range []struct {
		startIn string
		day     *int
		want    string // "" = invalid
	}{
		{"P2M", day(20), "2024-08-20"},
		{"P1W", nil, "2024-07-03"},
		{"P1M", day(31), "2024-07-31"},
		{"P2M", day(31), "2024-08-31"},
		{"", day(30), "2024-06-30"},
		{"", day(31), "2024-06-30"},
		{"", day(26), "2024-07-26"},
		{"", day(10), "2024-07-10"},
		{"", day(0), ""},
		{"", day(32), ""},
		{"P1H", nil, ""},
	} {
		got, ok := startFrom(today, tt.startIn, tt.day)
		if (tt.want == "") == ok || (ok && got.String() != tt.want) {
			t.Errorf("startFrom(%q, %v) = %s, %v; want %q", tt.startIn, tt.day, got, ok, tt.want)
		}
	}
}
