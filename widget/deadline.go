package widget

import (
	"strings"
	"time"

	"kessai/api"
)

// Default payment windows when neither the merchant nor checkout_info
// gives one (UnivaPay's defaults: 30 days for konbini, 7 days for bank
// transfer).
const (
	defaultKonbiniExpiration      = "P30D"
	defaultBankTransferExpiration = "P7D"
)

// timelessStores are the convenience stores that cannot take a time of day:
// their deadline is always 23:59:59 of its day (docs/widget.md,
// "Deadlines").
var timelessStores = []string{"seven_eleven", "seico_mart", "circle_k", "sunkus", "pay_easy"}

// IgnoresTimeOfDay reports whether a konbini store ignores the time of day
// of a deadline.
func IgnoresTimeOfDay(store string) bool { return contains(timelessStores, store) }

// Expiration is the payment window the widget sends with a konbini or
// bank-transfer token (data.expiration_period, data.expiration_time_shift):
// the method's own parameters (convenienceStoreExpiration*,
// bankTransferExpiration*) before the generic ones (expirationPeriod,
// expirationTimeShift); "" leaves the store's default.
func Expiration(o Options, method string) (period, shift string) {
	switch method {
	case MethodKonbini:
		period, shift = o.ConvenienceStoreExpirationPeriod, o.ConvenienceStoreExpirationTimeShift
	case MethodBankTransfer:
		period, shift = o.BankTransferExpirationPeriod, o.BankTransferExpirationTimeShift
	default:
		return "", ""
	}
	if period == "" {
		period = o.ExpirationPeriod
	}
	if shift == "" {
		shift = o.ExpirationTimeShift
	}
	return period, shift
}

// Deadline is the payment deadline of a konbini or bank-transfer
// application made at applied (the charge's created_on, on the store's
// clock), by the rules of docs/widget.md, "Deadlines":
//
//   - captureAt wins: its instant, a date alone meaning the end of that
//     day;
//   - else the period (Expiration, else checkout_info's expiration, else
//     the default) counted from the application: whole days (or months)
//     end at 23:59:59 Japan time of the last day, or at the time shift
//     (the merchant's, else checkout_info's when enabled) when the period
//     is at least a day; shorter periods end exactly;
//   - Seven-Eleven, Seicomart, Circle K, Sunkus and Pay-easy ignore the time
//     of day: 23:59:59 of the deadline's day.
//
// ok is false for other methods.
func Deadline(o Options, info api.CheckoutInfo, method, brand string, applied time.Time) (deadline time.Time, ok bool) {
	if method != MethodKonbini && method != MethodBankTransfer {
		return time.Time{}, false
	}
	timeless := method == MethodKonbini && IgnoresTimeOfDay(brand)
	endOfDay := func(t time.Time) time.Time {
		y, m, d := t.In(JST).Date()
		return time.Date(y, m, d, 23, 59, 59, 0, JST)
	}
	if !o.CaptureAt.IsZero() {
		if o.CaptureAt.DateOnly {
			// A date alone is the end of that day.
			return endOfDay(o.CaptureAt.Time), true
		}
		if timeless {
			return endOfDay(o.CaptureAt.Time), true
		}
		return o.CaptureAt.Time, true
	}

	period, shift := Expiration(o, method)
	adminPeriod, adminShift := info.ConvenienceConfiguration.Expiration, info.ConvenienceConfiguration.ExpirationTimeShift
	def := defaultKonbiniExpiration
	if method == MethodBankTransfer {
		adminPeriod, adminShift = info.BankTransferConfiguration.Expiration, info.BankTransferConfiguration.ExpirationTimeShift
		def = defaultBankTransferExpiration
	}
	if period == "" {
		period = adminPeriod
	}
	if shift == "" && adminShift.Enabled {
		shift = adminShift.Value
	}
	d, valid := api.ParseDuration(period)
	if !valid || d.IsZero() {
		d, _ = api.ParseDuration(def)
	}
	days, whole := wholeDays(d)
	if !whole {
		return d.AddTo(applied), true
	}
	last := applied.In(JST).AddDate(d.Years, d.Months, days)
	if timeless || shift == "" || days == 0 && d.Years == 0 && d.Months == 0 {
		return endOfDay(last), true
	}
	if at, ok := atTimeShift(last, shift); ok {
		return at, true
	}
	return endOfDay(last), true
}

// wholeDays is the day part of a period counted in days (weeks and whole
// multiples of 24 hours included), whole false when it has a part shorter
// than a day.
func wholeDays(d api.Duration) (days int, whole bool) {
	if d.Minutes != 0 || d.Seconds != 0 || d.Hours%24 != 0 {
		return 0, false
	}
	return d.Weeks*7 + d.Days + d.Hours/24, true
}

// atTimeShift puts the time of day of a time shift ("12:34:56+09:00",
// "09:00:00.000+09:00", "12:00:00Z") on the Japan-time date of day.
func atTimeShift(day time.Time, shift string) (time.Time, bool) {
	s := strings.TrimSpace(shift)
	for _, layout := range []string{"15:04:05Z07:00", "15:04:05.999999999Z07:00", "15:04:05", "15:04"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		loc := t.Location()
		if !strings.ContainsAny(s, "+-Z") {
			loc = JST
		}
		y, m, d := day.In(JST).Date()
		return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, loc), true
	}
	return time.Time{}, false
}
