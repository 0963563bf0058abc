package widget

import (
	"strconv"
	"time"

	"kessai/api"
)

// SubscriptionTerms are what a buyer signs up for with a subscription
// (docs/widget.md, "Subscriptions": the summary the form shows): the payment
// amounts of the plan, their number and when the second one is due. The
// amounts follow the server's rules (docs/subscriptions.md,
// "The next payment"): amount is each payment of an unlimited subscription
// and the total of a fixed plan, whose first payment is initial_amount when
// given; fixed_cycles divides the rest equally with the remainder on the last
// payment, fixed_cycle_amount pays that amount until the total is reached.
type SubscriptionTerms struct {
	Period   string // subscriptionPeriod: named or ISO duration
	Currency string
	First    int64 // today's payment (0 = the card is only verified)
	Regular  int64 // each later payment
	Last     int64 // the last payment of a plan
	Count    int   // payments of a plan, the first included; 0 = until canceled
	Total    int64 // the sum of a plan's payments
	// Second is the date of the second payment in Japan (the schedule's zone,
	// docs/widget.md, "Subscriptions").
	Second time.Time
}

// Terms returns the terms of the subscription the options create with
// checkout=payment, as of now; ok is false when they create none (a
// one-time charge, a token, an installment choice of the buyer).
func Terms(o Options, now time.Time) (t SubscriptionTerms, ok bool) {
	if !CreatesSubscription(o, RequestExtras{}) || o.SubscriptionPeriod == "" {
		return t, false
	}
	t = SubscriptionTerms{Period: o.SubscriptionPeriod, Currency: o.Currency, Regular: o.Amount, First: o.Amount}
	initial := o.SubscriptionInitialAmountSet
	if initial {
		t.First = o.SubscriptionInitialAmount
	}
	rest, parts := o.Amount, int64(0) // a plan's amount after the first payment, and its payments
	switch o.SubscriptionPlan {
	case api.PlanFixedCycles:
		t.Count, t.Total = int(o.SubscriptionQty), o.Amount
		parts = o.SubscriptionQty
		if initial {
			rest, parts = rest-o.SubscriptionInitialAmount, parts-1
		}
		if parts > 0 {
			t.Regular = rest / parts
			t.Last = rest - t.Regular*(parts-1)
			if !initial {
				t.First = t.Regular
			}
		} else {
			t.Regular, t.Last = t.First, t.First
		}
	case api.PlanFixedCycleAmount:
		q := o.SubscriptionQty
		t.Total, t.Regular = o.Amount, q
		if q <= 0 {
			return t, false
		}
		n := 0
		if initial {
			rest, n = rest-o.SubscriptionInitialAmount, 1
		} else {
			t.First = min(q, o.Amount)
		}
		t.Count = n + int((max(rest, 0)+q-1)/q)
		paid := q * int64(t.Count-1)
		if initial {
			paid = o.SubscriptionInitialAmount + q*int64(t.Count-2)
		}
		t.Last = o.Amount - paid
	}
	t.Second = secondPayment(o, now.In(JST))
	return t, true
}

// secondPayment is the date of the second payment as the server computes
// it from schedule_settings (docs/subscriptions.md, "Creating a
// subscription"): subscriptionStart; else today + subscriptionStartIn on
// subscriptionStartDayOfMonth (clamped to the month), a day alone meaning
// this month if still ahead (clamped), else next month; else one period
// after today.
func secondPayment(o Options, now time.Time) time.Time {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, JST)
	if d, err := time.ParseInLocation("2006-01-02", o.SubscriptionStart, JST); err == nil {
		return d
	}
	day := int(o.SubscriptionStartDayOfMonth)
	in, hasIn := api.ParseDuration(o.SubscriptionStartIn)
	switch {
	case hasIn && day > 0:
		d := addPeriod(today, in, false)
		return dayOfMonth(d.Year(), d.Month(), day)
	case hasIn:
		return addPeriod(today, in, false)
	case day > 0:
		if d := dayOfMonth(today.Year(), today.Month(), day); today.Before(d) {
			return d
		}
		return dayOfMonth(today.Year(), today.Month()+1, day)
	}
	p, _ := PeriodDuration(o.SubscriptionPeriod)
	return addPeriod(today, p, o.SubscriptionPreserveEndOfMonth)
}

// PeriodDuration is a subscription period as a duration: the named periods of
// subscriptionPeriod (biweekly = P2W, bimonthly = P2M, quarterly = P3M,
// semiannually = P6M) or an ISO duration.
func PeriodDuration(period string) (api.Duration, bool) {
	switch period {
	case "daily":
		return api.Duration{Days: 1}, true
	case "weekly":
		return api.Duration{Weeks: 1}, true
	case "biweekly":
		return api.Duration{Weeks: 2}, true
	case "monthly":
		return api.Duration{Months: 1}, true
	case "bimonthly":
		return api.Duration{Months: 2}, true
	case "quarterly":
		return api.Duration{Months: 3}, true
	case "semiannually":
		return api.Duration{Months: 6}, true
	case "annually":
		return api.Duration{Years: 1}, true
	}
	d, ok := api.ParseDuration(period)
	return d, ok && !d.IsZero() && !d.HasTime()
}

// addPeriod adds a date duration, months and years clamped to the month's
// last day (Jan 31 + P1M = Feb 28), or kept on it with endOfMonth.
func addPeriod(d time.Time, p api.Duration, endOfMonth bool) time.Time {
	if months := p.Years*12 + p.Months; months != 0 {
		y, m := d.Year(), d.Month()+time.Month(months)
		day := d.Day()
		if endOfMonth && day == daysIn(d.Year(), d.Month()) {
			day = 31
		}
		d = dayOfMonth(y, m, day)
	}
	return d.AddDate(0, 0, p.Weeks*7+p.Days)
}

// dayOfMonth is day d of the month, or its last day when shorter.
func dayOfMonth(y int, m time.Month, d int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, JST)
	return first.AddDate(0, 0, min(d, daysIn(first.Year(), first.Month()))-1)
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// Lines are the terms as the form shows them, in l: each payment and its
// period, today's payment, the second payment's date, and for a plan the
// number of payments, their total and a different last payment.
func (t SubscriptionTerms) Lines(l Locale) []string {
	amt := func(a int64) string { return FormatAmount(l, a, t.Currency) }
	out := []string{l.T("plan.regular", PeriodText(l, t.Period), amt(t.Regular))}
	if t.First == 0 {
		out = append(out, l.T("plan.firstFree"))
	} else {
		out = append(out, l.T("plan.firstToday", amt(t.First)))
	}
	out = append(out, l.T("plan.second", FormatDate(l, t.Second)))
	if t.Count > 0 {
		out = append(out, l.T("plan.count", t.Count, amt(t.Total)))
		if t.Count > 2 && t.Last != t.Regular {
			out = append(out, l.T("plan.last", amt(t.Last)))
		}
	} else {
		out = append(out, l.T("plan.unlimited"))
	}
	return out
}

// PeriodText names a subscription period: "毎月" / "Monthly", or "3か月ごと"
// / "Every 3 months" for an ISO duration.
func PeriodText(l Locale, period string) string {
	if l.Has("period." + period) {
		return l.T("period." + period)
	}
	d, ok := PeriodDuration(period)
	if !ok {
		return period
	}
	for _, u := range []struct {
		n     int
		unit  string
		named string
	}{{d.Years, "Y", "annually"}, {d.Months, "M", "monthly"}, {d.Weeks, "W", "weekly"}, {d.Days, "D", "daily"}} {
		switch {
		case u.n == 1:
			return l.T("period." + u.named)
		case u.n > 1:
			return l.T("period.every", strconv.Itoa(u.n), l.T("unit."+u.unit))
		}
	}
	return period
}

// FormatDate renders a date for the buyer: "2025年7月15日" in Japanese,
// "Jul 15, 2025" otherwise.
func FormatDate(l Locale, d time.Time) string {
	if l == LocaleJA {
		return d.Format("2006年1月2日")
	}
	return d.Format("Jan 2, 2006")
}
