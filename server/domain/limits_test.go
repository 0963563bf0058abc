package domain

import (
	"errors"
	"testing"
	"time"
)

func TestParseISODuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"PT30S", 30 * time.Second},
		{"PT0S", 0},
		{"PT0.5S", 500 * time.Millisecond},
		{"PT30M", 30 * time.Minute},
		{"PT2H", 2 * time.Hour},
		{"P1D", 24 * time.Hour},
		{"P1DT12H30M", 36*time.Hour + 30*time.Minute},
		{"P2W", 14 * 24 * time.Hour},
		{" pt1m ", time.Minute},
	} {
		if got, err := ParseISODuration(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseISODuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "P", "PT", "30S", "P1M", "P1Y", "P1DT", "PT1D", "PT1H1H", "PT1S1M", "P1.5D", "PTS", "PT-1S", "P99999999999D", "PT1HX"} {
		if d, err := ParseISODuration(bad); err == nil {
			t.Errorf("ParseISODuration(%q) = %v, want an error", bad, d)
		}
	}
}

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
