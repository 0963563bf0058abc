package server

import (
	"testing"
	"time"

	"kessai/api"
)

func TestPaymentDeadline(t *testing.T) {
	// 2026-01-01 10:30 in Japan.
	created := time.Date(2026, 1, 1, 1, 30, 0, 0, time.UTC)
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	tests := []struct {
		name string
		rule deadlineRule
		want string
	}{
		{"store default 30 days ends the day reached at 23:59:59 JST",
			deadlineRule{DefaultPeriod: "PT720H"}, "2026-01-31T23:59:59+09:00"},
		{"store default one week (applied 1/1 → 1/8 23:59)",
			deadlineRule{DefaultPeriod: "PT168H"}, "2026-01-08T23:59:59+09:00"},
		{"token period counted from creation to the second",
			deadlineRule{Period: "P7D", DefaultPeriod: "PT720H"}, "2026-01-08T10:30:00+09:00"},
		{"token period of 30 minutes",
			deadlineRule{Period: "PT30M", DefaultPeriod: "PT720H"}, "2026-01-01T11:00:00+09:00"},
		{"time shift replaces the time of day on the day reached",
			deadlineRule{Period: "P1D", TimeShift: "09:00:00+09:00"}, "2026-01-02T09:00:00+09:00"},
		{"time shift in another zone (UTC 15:00 is JST midnight of the next day)",
			deadlineRule{Period: "P1D", TimeShift: "15:00:00Z"}, "2026-01-02T15:00:00Z"},
		{"time shift with milliseconds",
			deadlineRule{Period: "P2D", TimeShift: "18:00:00.000+09:00"}, "2026-01-03T18:00:00+09:00"},
		{"time shift without period uses the store default's day",
			deadlineRule{TimeShift: "13:00:00+09:00", DefaultPeriod: "PT168H"}, "2026-01-08T13:00:00+09:00"},
		{"capture_at wins over the token period",
			deadlineRule{CaptureAt: at("2026-01-05T12:00:00+09:00"), Period: "P7D", TimeShift: "09:00+09:00"}, "2026-01-05T12:00:00+09:00"},
		{"Seven-Eleven ignores the time of capture_at",
			deadlineRule{CaptureAt: at("2026-01-05T12:00:00+09:00"), NoTimeOfDay: true}, "2026-01-05T23:59:59+09:00"},
		{"Seven-Eleven ignores the time shift",
			deadlineRule{Period: "P1D", TimeShift: "09:00:00+09:00", NoTimeOfDay: true}, "2026-01-02T23:59:59+09:00"},
		{"Seven-Eleven: a 30-minute period ends that day",
			deadlineRule{Period: "PT30M", NoTimeOfDay: true}, "2026-01-01T23:59:59+09:00"},
		{"a capture_at late in the UTC day is the next day in Japan",
			deadlineRule{CaptureAt: at("2026-01-05T20:00:00Z"), NoTimeOfDay: true}, "2026-01-06T23:59:59+09:00"},
		{"calendar month in Japan time",
			deadlineRule{Period: "P1M"}, "2026-02-01T10:30:00+09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Created = created
			got := r.deadline()
			if want := *at(tt.want); !got.Equal(want) {
				t.Errorf("deadline = %s, want %s", got.In(jst).Format(time.RFC3339), want.In(jst).Format(time.RFC3339))
			}
		})
	}
}

func TestCheckExpiration(t *testing.T) {
	now := time.Date(2026, 1, 1, 1, 30, 0, 0, time.UTC)
	tests := []struct {
		period, shift string
		want          []api.FieldError
	}{
		{"P7D", "09:00:00+09:00", nil},
		{"PT30M", "", nil},
		{"P60D", "", nil},
		{"", "09:00:00.000+09:00", nil},
		{"PT29M", "", []api.FieldError{{Field: "data.expiration_period", Reason: api.ReasonInvalidExpirationPeriod}}},
		{"P61D", "", []api.FieldError{{Field: "data.expiration_period", Reason: api.ReasonInvalidExpirationPeriod}}},
		{"seven days", "", []api.FieldError{{Field: "data.expiration_period", Reason: api.ReasonInvalidFormat}}},
		{"PT12H", "09:00:00+09:00", []api.FieldError{{Field: "data.expiration_time_shift", Reason: api.ReasonTimeShiftNeedsPeriod}}},
		{"P1D", "25:00:00+09:00", []api.FieldError{{Field: "data.expiration_time_shift", Reason: api.ReasonInvalidFormat}}},
	}
	for _, tt := range tests {
		var got []api.FieldError
		checkExpiration(tt.period, tt.shift, now, func(f, r string) { got = append(got, api.FieldError{Field: f, Reason: r}) })
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("checkExpiration(%q, %q) = %v, want %v", tt.period, tt.shift, got, tt.want)
		}
	}
}
