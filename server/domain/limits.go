package domain

import (
	"context"
	"time"

	"kessai/api"
)

// The documented defaults of the per-store limits (docs/limits.md).
const (
	DefaultChargeCooldown   = 30 * time.Second
	DefaultCardLockFailures = 5
	DefaultCardLockWindow   = 30 * time.Minute
	DefaultCardLockDuration = 2 * time.Hour
	DefaultDailyTestCharges = 1440
)

// LimitsConfig is a store's setting of the sandbox limits
// (docs/limits.md). A nil pointer field means the documented default.
type LimitsConfig struct {
	// ChargeCooldown is the charge-frequency window for the same card and
	// amount (ISO-8601 duration, default PT30S; PT0S switches it off).
	ChargeCooldown *string `json:"charge_cooldown,omitempty"`
	// CardLockFailures failures of one card within CardLockWindow lock it
	// for CardLockDuration (defaults 5, PT30M, PT2H; 0 failures switches
	// the lock off).
	CardLockFailures *int    `json:"card_lock_failures,omitempty"`
	CardLockWindow   *string `json:"card_lock_window,omitempty"`
	CardLockDuration *string `json:"card_lock_duration,omitempty"`
	// DailyTestCharges is the number of test-mode charges a store may
	// create per day (default 1440; 0 switches the limit off).
	DailyTestCharges *int `json:"daily_test_charges,omitempty"`
	// RateLimits switches the request rate limits on or off (default on).
	RateLimits *bool `json:"rate_limits,omitempty"`
}

// Limits are the effective limits of a store: its LimitsConfig with the
// defaults filled in. A zero ChargeCooldown, CardLockFailures or
// DailyTestCharges means that limit is off.
type Limits struct {
	ChargeCooldown   time.Duration
	CardLockFailures int
	CardLockWindow   time.Duration
	CardLockDuration time.Duration
	DailyTestCharges int
	RateLimits       bool
}

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{
		ChargeCooldown:   DefaultChargeCooldown,
		CardLockFailures: DefaultCardLockFailures,
		CardLockWindow:   DefaultCardLockWindow,
		CardLockDuration: DefaultCardLockDuration,
		DailyTestCharges: DefaultDailyTestCharges,
		RateLimits:       true,
	}
}

// LimitsError is a LimitsConfig field that is not valid; Field is its JSON
// name.
type LimitsError struct {
	Field  string
	Reason string
}

func (e *LimitsError) Error() string { return "limits." + e.Field + ": " + e.Reason }

// Resolve returns the effective limits of c, or a *LimitsError for its
// first invalid field.
func (c LimitsConfig) Resolve() (Limits, error) {
	l := DefaultLimits()
	dur := func(field string, s *string, dst *time.Duration, allowZero bool) error {
		if s == nil {
			return nil
		}
		iso, ok := api.ParseDuration(*s)
		d, fixed := iso.Fixed()
		if !ok || !fixed {
			return &LimitsError{Field: field, Reason: "not an ISO-8601 duration of fixed length such as PT30S, PT2H or P1D"}
		}
		if d < 0 || (d == 0 && !allowZero) {
			return &LimitsError{Field: field, Reason: "must be a positive duration"}
		}
		*dst = d
		return nil
	}
	count := func(field string, n *int, dst *int) error {
		if n == nil {
			return nil
		}
		if *n < 0 {
			return &LimitsError{Field: field, Reason: "must not be negative"}
		}
		*dst = *n
		return nil
	}
	for _, err := range []error{
		dur("charge_cooldown", c.ChargeCooldown, &l.ChargeCooldown, true),
		count("card_lock_failures", c.CardLockFailures, &l.CardLockFailures),
		dur("card_lock_window", c.CardLockWindow, &l.CardLockWindow, false),
		dur("card_lock_duration", c.CardLockDuration, &l.CardLockDuration, false),
		count("daily_test_charges", c.DailyTestCharges, &l.DailyTestCharges),
	} {
		if err != nil {
			return DefaultLimits(), err
		}
	}
	if c.RateLimits != nil {
		l.RateLimits = *c.RateLimits
	}
	return l, nil
}

// Validate reports the first invalid field of c as a *LimitsError.
func (c LimitsConfig) Validate() error {
	_, err := c.Resolve()
	return err
}

// ChargeCount selects the charges a limit counts. Empty fields do not
// filter; CreatedFrom is inclusive and CreatedTo exclusive (zero: no
// bound).
type ChargeCount struct {
	StoreID         string
	Mode            api.Mode
	TokenID         string
	CardFingerprint string
	// Amount and Currency select one requested amount (both or neither).
	Amount   *int64
	Currency string
	// Statuses keeps only charges in one of these statuses;
	// ExceptStatuses drops charges in one of these.
	Statuses       []api.ChargeStatus
	ExceptStatuses []api.ChargeStatus
	CreatedFrom    time.Time
	CreatedTo      time.Time
}

// LimitStorage answers what the charge limits count (docs/limits.md). It
// reads the stored charges, so that the limits hold across every process
// sharing a storage.
type LimitStorage interface {
	// CountCharges returns how many charges match q.
	CountCharges(ctx context.Context, q ChargeCount) (int, error)
	// ChargeTimes returns the creation times of the charges that match q,
	// oldest first.
	ChargeTimes(ctx context.Context, q ChargeCount) ([]time.Time, error)
}

// A ChargeGuard is a limit that CreateCharge checks atomically with the
// insert, so that charges arriving at once cannot all pass a count that
// each would pass alone (docs/limits.md, "Under concurrency"): when at
// least Max charges match Count, the charge is not created and CreateCharge
// returns Err.
type ChargeGuard struct {
	Count ChargeCount
	Max   int
	Err   error
}
