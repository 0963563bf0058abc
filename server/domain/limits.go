package domain

// LimitsConfig is a store's setting of the sandbox limits
// (docs/limits.md). A nil pointer field means the documented default.
type LimitsConfig struct {
	// ChargeCooldown is the charge-frequency window for the same card and
	// amount (ISO-8601 duration, default PT30S).
	ChargeCooldown *string `json:"charge_cooldown,omitempty"`
	// CardLockFailures failures of one card within CardLockWindow lock it
	// for CardLockDuration (defaults 5, PT30M, PT2H).
	CardLockFailures *int    `json:"card_lock_failures,omitempty"`
	CardLockWindow   *string `json:"card_lock_window,omitempty"`
	CardLockDuration *string `json:"card_lock_duration,omitempty"`
	// DailyTestCharges is the number of test-mode charges a store may
	// create per day (default 1440).
	DailyTestCharges *int `json:"daily_test_charges,omitempty"`
	// RateLimits switches the request rate limits on or off (default on).
	RateLimits *bool `json:"rate_limits,omitempty"`
}

// LimitStorage persists what the limits count. (Filled in by its issue.)
type LimitStorage interface{}
