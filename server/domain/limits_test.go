package domain

import (
	"errors"
	"testing"
	"time"
)

func TestLimitsConfigResolve(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	off := false
	if l, err := (LimitsConfig{}).Resolve(); err != nil || l != (Limits{30 * time.Second, 5, 30 * time.Minute, 2 * time.Hour, 1440, true}) {
		t.Errorf("defaults = %+v, %v", l, err)
	}
	l, err := LimitsConfig{ChargeCooldown: str("PT0S"), CardLockFailures: num(3), CardLockWindow: str("PT1H"),
		CardLockDuration: str("P1D"), DailyTestCharges: num(0), RateLimits: &off}.Resolve()
	if err != nil || l != (Limits{0, 3, time.Hour, 24 * time.Hour, 0, false}) {
		t.Errorf("set = %+v, %v", l, err)
	}
	for _, tc := range []struct {
		c     LimitsConfig
		field string
	}{
		{LimitsConfig{ChargeCooldown: str("30s")}, "charge_cooldown"},
		{LimitsConfig{CardLockFailures: num(-1)}, "card_lock_failures"},
		{LimitsConfig{CardLockWindow: str("PT0S")}, "card_lock_window"},
		{LimitsConfig{CardLockDuration: str("P1M")}, "card_lock_duration"},
		{LimitsConfig{DailyTestCharges: num(-5)}, "daily_test_charges"},
	} {
		err := tc.c.Validate()
		var le *LimitsError
		if !errors.As(err, &le) || le.Field != tc.field {
			t.Errorf("%+v: error %v, want one for %s", tc.c, err, tc.field)
		}
		if l, _ := tc.c.Resolve(); l != DefaultLimits() {
			t.Errorf("an invalid config resolves to %+v, want the defaults", l)
		}
	}
}
