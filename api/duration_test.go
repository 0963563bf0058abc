package api

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	from := time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC)
	for _, test := range []struct {
		in    string
		want  time.Time
		fixed time.Duration // -1: not fixed
	}{
		{"P1M", time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC), -1}, // 31 February is 3 March, as time.AddDate has it
		{"p1y", time.Date(2027, 1, 31, 15, 0, 0, 0, time.UTC), -1},
		{"P1Y2M", time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC), -1},
		{"P2W", time.Date(2026, 2, 14, 15, 0, 0, 0, time.UTC), 14 * 24 * time.Hour},
		{"P1D", time.Date(2026, 2, 1, 15, 0, 0, 0, time.UTC), 24 * time.Hour},
		{"P1DT12H30M", time.Date(2026, 2, 2, 3, 30, 0, 0, time.UTC), 36*time.Hour + 30*time.Minute},
		{"PT36H", time.Date(2026, 2, 2, 3, 0, 0, 0, time.UTC), 36 * time.Hour},
		{"PT90M", time.Date(2026, 1, 31, 16, 30, 0, 0, time.UTC), 90 * time.Minute},
		{" pt30s ", from.Add(30 * time.Second), 30 * time.Second},
		{"P0D", from, 0},
	} {
		d, ok := ParseDuration(test.in)
		if !ok {
			t.Errorf("%q: not parsed", test.in)
			continue
		}
		if got := d.AddTo(from); !got.Equal(test.want) {
			t.Errorf("%q AddTo = %s, want %s", test.in, got, test.want)
		}
		fixed, ok := d.Fixed()
		if test.fixed < 0 && ok || test.fixed >= 0 && (!ok || fixed != test.fixed) {
			t.Errorf("%q Fixed = %v, %v; want %v", test.in, fixed, ok, test.fixed)
		}
	}
	for _, bad := range []string{"", "P", "PT", "1M", "30S", "P1", "PT1", "P1H", "PT1D", "P1.5M", "PT0.5S", "PT-1H", "P1MT",
		"P 1M", "PTH", "P1M1", "P9999999D", "PT1H1H", "PT1S1M", "P1D1Y", "PT1HX", "P1DTT1H"} {
		if d, ok := ParseDuration(bad); ok {
			t.Errorf("%q parsed as %+v", bad, d)
		}
	}
	for length, want := range map[time.Duration]string{0: "PT0S", -time.Hour: "PT0S", 36 * time.Hour: "PT36H",
		time.Hour + 30*time.Second: "PT1H30S", 90*time.Minute - time.Millisecond: "PT1H30M", 744 * time.Hour: "PT744H"} {
		if got := DurationOf(length).String(); got != want {
			t.Errorf("DurationOf(%s) = %s, want %s", length, got, want)
		}
	}
}
