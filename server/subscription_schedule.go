package server

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // zone_id works without the system's time-zone database

	"kessai/api"
	"kessai/server/domain"
)

// The schedule rules of subscriptions (docs/subscriptions.md, "The next payment"):
// pure functions of a subscription's settings, shared by the subscription
// handlers (next_payment) and the schedule engine.

// cycle is a subscription's period, or another ISO-8601 duration of the
// schedule settings: whole months or whole days (weeks are 7 days, years
// 12 months).
type cycle struct{ months, days int }

// periodCycles maps the named periods to their cycles.
var periodCycles = map[string]cycle{
	api.PeriodDaily:        {days: 1},
	api.PeriodWeekly:       {days: 7},
	api.PeriodBiweekly:     {days: 14},
	api.PeriodMonthly:      {months: 1},
	api.PeriodBimonthly:    {months: 2},
	api.PeriodQuarterly:    {months: 3},
	api.PeriodSemiannually: {months: 6},
	api.PeriodAnnually:     {months: 12},
}

// parseCycle reads a duration of one unit, PnD, PnW, PnM or PnY with n ≥ 1,
// accepting only the units in units (e.g. "DWMY").
func parseCycle(s, units string) (cycle, bool) {
	d, ok := api.ParseDuration(s)
	if !ok || d.HasTime() {
		return cycle{}, false
	}
	used := ""
	for _, c := range []struct {
		unit string
		n    int
	}{{"Y", d.Years}, {"M", d.Months}, {"W", d.Weeks}, {"D", d.Days}} {
		if c.n != 0 {
			used += c.unit
		}
	}
	if len(used) != 1 || !strings.Contains(units, used) {
		return cycle{}, false
	}
	return cycle{months: 12*d.Years + d.Months, days: 7*d.Weeks + d.Days}, true
}

// approxDays is the length of c counting a month as 30 days (the rule the
// UnivaPay documentation gives for retry intervals).
func (c cycle) approxDays() int { return c.months*30 + c.days }

func (c cycle) daily() bool { return c.months == 0 && c.days == 1 }

// date is a calendar date.
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { return date{t.Year(), t.Month(), t.Day()} }

// parseDate reads YYYY-MM-DD.
func parseDate(s string) (date, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return date{}, false
	}
	return dateOf(t), true
}

func (d date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

func (d date) midnight() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

func (d date) before(o date) bool { return d.midnight().Before(o.midnight()) }

func (d date) addDays(n int) date { return dateOf(d.midnight().AddDate(0, 0, n)) }

// daysUntil is the number of days from d to o.
func (d date) daysUntil(o date) int { return int(o.midnight().Sub(d.midnight()).Hours() / 24) }

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func (d date) lastOfMonth() bool { return d.d == daysIn(d.y, d.m) }

// addMonths moves d by n months keeping its day, clamped to the length of
// the target month (Jan 31 + 1 month = Feb 28/29); with endOfMonth the
// result is the target month's last day.
func (d date) addMonths(n int, endOfMonth bool) date {
	first := time.Date(d.y, d.m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := daysIn(first.Year(), first.Month())
	day := d.d
	if endOfMonth || day > last {
		day = last
	}
	return date{first.Year(), first.Month(), day}
}

// add moves d by c: months (clamped) then days.
func (d date) add(c cycle, endOfMonth bool) date {
	if c.months != 0 {
		d = d.addMonths(c.months, endOfMonth)
	}
	return d.addDays(c.days)
}

// schedule is what decides the payment dates of a subscription.
type schedule struct {
	created time.Time      // creation instant
	zone    *time.Location // schedule_settings.zone_id
	cycle   cycle
	// startOn is the date of the second payment, if given.
	startOn            *date
	preserveEndOfMonth bool
}

// scheduleOf returns the schedule of a stored subscription.
func scheduleOf(sub *domain.Subscription) (schedule, error) {
	sc := schedule{created: sub.CreatedAt}
	var ok bool
	if sub.CyclicalPeriod != "" {
		sc.cycle, ok = parseCycle(sub.CyclicalPeriod, "DWMY")
	} else {
		sc.cycle, ok = periodCycles[sub.Period]
	}
	if !ok {
		return sc, fmt.Errorf("subscription %s: bad period %q/%q", sub.ID, sub.Period, sub.CyclicalPeriod)
	}
	zone, err := loadZone(sub.Schedule.ZoneID)
	if err != nil {
		return sc, fmt.Errorf("subscription %s: %w", sub.ID, err)
	}
	sc.zone = zone
	if sub.Schedule.StartOn != nil {
		d, ok := parseDate(*sub.Schedule.StartOn)
		if !ok {
			return sc, fmt.Errorf("subscription %s: bad start_on %q", sub.ID, *sub.Schedule.StartOn)
		}
		sc.startOn = &d
	}
	sc.preserveEndOfMonth = sub.Schedule.PreserveEndOfMonth != nil && *sub.Schedule.PreserveEndOfMonth
	return sc, nil
}

// loadZone loads an IANA zone ("" = Asia/Tokyo); "Local" is not a zone.
func loadZone(id string) (*time.Location, error) {
	if id == "" {
		id = api.DefaultZoneID
	}
	if id == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", id)
	}
	return time.LoadLocation(id)
}

// firstDate is the date of the first payment: the creation date in the
// subscription's zone.
func (sc schedule) firstDate() date { return dateOf(sc.created.In(sc.zone)) }

// cycleDate returns cycle date k: k = 0 is the first payment date, k = 1
// the second payment (start_on, or the first date + one cycle), and later
// ones follow the second by whole cycles. Each date is computed from the
// anchor (start_on, else the first date), so a day clamped in a short month
// returns to the anchor's day afterwards; with preserve_end_of_month and an
// anchor on a month's last day, every date is a month's last day.
func (sc schedule) cycleDate(k int) date {
	if k <= 0 {
		return sc.firstDate()
	}
	anchor, n := sc.firstDate(), k
	if sc.startOn != nil {
		anchor, n = *sc.startOn, k-1
	}
	endOfMonth := sc.preserveEndOfMonth && sc.cycle.months > 0 && anchor.lastOfMonth()
	return anchor.add(cycle{months: sc.cycle.months * n, days: sc.cycle.days * n}, endOfMonth)
}

// atNine reports whether the payments run at 09:00 rather than 07:00: daily
// subscriptions, and those whose second payment is the day after creation.
func (sc schedule) atNine() bool {
	return sc.cycle.daily() || sc.cycleDate(1) == sc.firstDate().addDays(1)
}

// dueTime is when a payment falling on d is charged: 07:00 (or 09:00, see
// atNine) in the subscription's zone.
func (sc schedule) dueTime(d date) time.Time {
	hour := 7
	if sc.atNine() {
		hour = 9
	}
	return time.Date(d.y, d.m, d.d, hour, 0, 0, 0, sc.zone)
}

// firstCycleOnOrAfter returns the smallest k ≥ 1 whose cycle date is on or
// after d (the next payment after a resume).
func (sc schedule) firstCycleOnOrAfter(d date) int {
	k := 1
	for sc.cycleDate(k).before(d) {
		k++
	}
	return k
}

// firstCycleAfter returns the smallest k ≥ 1 whose cycle date is after d.
func (sc schedule) firstCycleAfter(d date) int { return sc.firstCycleOnOrAfter(d.addDays(1)) }

// plan decides the amounts of a subscription's payments.
type plan struct {
	amount  int64  // the recurring amount, or the total of a fixed plan
	initial *int64 // the first payment, when given
	// Fixed-count plans (subscription_plan): fixedCycles payments, or
	// payments of cycleAmount until amount is paid; installment: one
	// payment of amount.
	fixedCycles int
	cycleAmount int64
	installment bool
}

// planOf returns the payment plan of a stored subscription.
func planOf(sub *domain.Subscription) plan {
	p := plan{amount: sub.Amount, initial: sub.InitialAmount, installment: sub.InstallmentPlan != nil}
	if sp := sub.SubscriptionPlan; sp != nil {
		p.fixedCycles, p.cycleAmount = sp.FixedCycles, sp.FixedCycleAmount
	}
	return p
}

// count is the number of payments of a fixed plan (0 = unlimited).
func (p plan) count() int {
	switch {
	case p.installment:
		return 1
	case p.fixedCycles > 0:
		return p.fixedCycles
	case p.cycleAmount > 0:
		rest, n := p.amount, 0
		if p.initial != nil {
			rest, n = rest-*p.initial, 1
		}
		return n + int((max(rest, 0)+p.cycleAmount-1)/p.cycleAmount)
	}
	return 0
}

// payment returns the amount of payment n (0 = the first) and whether it is
// the plan's last; ok is false when the plan has no payment n. The initial
// amount is the first payment and counts as one of a fixed plan's; with
// fixed_cycles the rest is divided equally, the remainder going to the last
// payment; with fixed_cycle_amount the last payment is what is left.
func (p plan) payment(n int) (amount int64, last, ok bool) {
	total := p.count()
	if n < 0 || (total > 0 && n >= total) {
		return 0, false, false
	}
	last = total > 0 && n == total-1
	if n == 0 && p.initial != nil {
		return *p.initial, last, true
	}
	switch {
	case p.installment:
		return p.amount, true, true
	case p.fixedCycles > 0:
		rest, parts, i := p.amount, int64(p.fixedCycles), int64(n)
		if p.initial != nil {
			rest, parts, i = rest-*p.initial, parts-1, i-1
		}
		each := rest / parts
		if i == parts-1 {
			return rest - each*(parts-1), last, true
		}
		return each, last, true
	case p.cycleAmount > 0:
		if !last {
			return p.cycleAmount, false, true
		}
		paid := p.cycleAmount * int64(n)
		if p.initial != nil {
			paid = *p.initial + p.cycleAmount*int64(n-1)
		}
		return p.amount - paid, true, true
	}
	return p.amount, false, true
}

// defaultRetryCount is how many attempts a payment gets, the first
// included, before the subscription is suspended (docs/subscriptions.md,
// "Retries": a store setting at UnivaPay, 3 by default; the sandbox has no
// key for it).
const defaultRetryCount = 3

// retryCycle is the interval between the attempts of a payment: the
// subscription's retry_interval, else the cycle divided by the retry
// count, months counted as 30 days, whole days, at least one (monthly with
// 3 attempts: 10 days).
func (sc schedule) retryCycle(retryInterval *string, count int) cycle {
	if retryInterval != nil {
		if c, ok := parseCycle(*retryInterval, "DWM"); ok {
			return c
		}
	}
	return cycle{days: max(sc.cycle.approxDays()/max(count, 1), 1)}
}

// retryDate is when a failed payment due on d is retried, with the
// subscription's retry_interval; nil without one (the date next_payment
// shows before any failure).
func retryDate(d date, retryInterval *string) *date {
	if retryInterval == nil {
		return nil
	}
	c, ok := parseCycle(*retryInterval, "DWM")
	if !ok {
		return nil
	}
	r := d.add(c, false)
	return &r
}
