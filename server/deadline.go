package server

import (
	"regexp"
	"strconv"
	"time"

	"kessai/api"
)

// Payment deadlines of konbini and bank-transfer charges
// (docs/payment-methods.md, "Deadlines").

// The bounds of a token's expiration_period.
const (
	minExpirationPeriod = 30 * time.Minute
	maxExpirationPeriod = 60 * 24 * time.Hour
)

// timeShiftRe matches an expiration_time_shift: a time of day with an
// optional fraction and zone, "09:00:00+09:00", "09:00:00.000+09:00",
// "09:00Z", "09:00".
var timeShiftRe = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$`)

// timeShift is a parsed expiration_time_shift.
type timeShift struct {
	hour, min, sec int
	loc            *time.Location
}

// parseTimeShift parses an expiration_time_shift; without a zone the time
// is Japan time.
func parseTimeShift(s string) (timeShift, bool) {
	m := timeShiftRe.FindStringSubmatch(s)
	if m == nil {
		return timeShift{}, false
	}
	ts := timeShift{loc: jst}
	ts.hour, _ = strconv.Atoi(m[1])
	ts.min, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		ts.sec, _ = strconv.Atoi(m[3])
	}
	switch z := m[4]; {
	case z == "Z":
		ts.loc = time.UTC
	case z != "":
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		digits := z[1:]
		if len(digits) == 5 { // hh:mm
			digits = digits[:2] + digits[3:]
		}
		h, _ := strconv.Atoi(digits[:2])
		mm, _ := strconv.Atoi(digits[2:])
		ts.loc = time.FixedZone(z, sign*(h*3600+mm*60))
	}
	return ts, true
}

// periodLength is how long an ISO-8601 period lasts from t (calendar units
// in Japan time).
func periodLength(d api.Duration, t time.Time) time.Duration { return addInJapan(d, t).Sub(t) }

// deadlineRule is what decides a charge's payment deadline.
type deadlineRule struct {
	// Created is the charge's creation time.
	Created time.Time
	// CaptureAt is the charge's capture_at, the explicit deadline.
	CaptureAt *time.Time
	// Period and TimeShift are the token's expiration_period and
	// expiration_time_shift ("" when absent); both were validated.
	Period, TimeShift string
	// DefaultPeriod is the store's default (an ISO-8601 duration).
	DefaultPeriod string
	// NoTimeOfDay is set for the convenience stores that take no time of
	// day (api.KonbiniIgnoresTimeOfDay).
	NoTimeOfDay bool
}

// endOfDayInJapan is 23:59:59 Japan time of t's day there.
func endOfDayInJapan(t time.Time) time.Time {
	t = t.In(jst)
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, jst).UTC()
}

// deadline computes the payment deadline: the charge's capture_at, else
// the token's period (with its time shift) from the charge's creation,
// else the store's default period ending at 23:59:59 Japan time of the
// day reached. The stores that take no time of day end at 23:59:59 of the
// deadline's day whatever the rule.
func (r deadlineRule) deadline() time.Time {
	var t time.Time
	explicit := false
	switch {
	case r.CaptureAt != nil:
		t, explicit = *r.CaptureAt, true
	case r.Period != "":
		d, _ := api.ParseDuration(r.Period)
		t, explicit = addInJapan(d, r.Created), true
	default:
		d, ok := api.ParseDuration(r.DefaultPeriod)
		if !ok {
			d = api.Duration{Days: 30}
		}
		t = addInJapan(d, r.Created)
	}
	if r.NoTimeOfDay {
		return endOfDayInJapan(t)
	}
	if ts, ok := parseTimeShift(r.TimeShift); ok && r.CaptureAt == nil {
		l := t.In(ts.loc)
		return time.Date(l.Year(), l.Month(), l.Day(), ts.hour, ts.min, ts.sec, 0, ts.loc).UTC()
	}
	if explicit {
		return t.UTC()
	}
	return endOfDayInJapan(t)
}

// checkExpiration validates a token's expiration_period and
// expiration_time_shift at now.
func checkExpiration(period, shift string, now time.Time, add func(field, reason string)) {
	var length time.Duration
	if period != "" {
		d, ok := api.ParseDuration(period)
		if !ok {
			add("data.expiration_period", api.ReasonInvalidFormat)
			return
		}
		length = periodLength(d, now)
		if length < minExpirationPeriod || length > maxExpirationPeriod {
			add("data.expiration_period", api.ReasonInvalidExpirationPeriod)
			return
		}
	}
	if shift != "" {
		if _, ok := parseTimeShift(shift); !ok {
			add("data.expiration_time_shift", api.ReasonInvalidFormat)
		} else if period != "" && length < 24*time.Hour {
			add("data.expiration_time_shift", api.ReasonTimeShiftNeedsPeriod)
		}
	}
}
