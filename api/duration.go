package api

import (
	"strconv"
	"strings"
	"time"
)

// Duration is a parsed ISO-8601 duration (PnYnMnWnDTnHnMnS).
type Duration struct {
	Years, Months, Weeks, Days, Hours, Minutes, Seconds int
}

// ParseDuration parses an ISO-8601 duration such as "P30D", "P1M", "P2W",
// "P1Y2M", "PT720H" or "P1DT12H30M" (case-insensitive, surrounding space
// ignored). Each designator appears at most once and in order; fractions,
// signs and components above 1,000,000 are refused.
func ParseDuration(s string) (Duration, bool) {
	var d Duration
	rest, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(s)), "P")
	if !ok || rest == "" || strings.HasSuffix(rest, "T") {
		return d, false
	}
	fields := [...]*int{&d.Years, &d.Months, &d.Weeks, &d.Days, &d.Hours, &d.Minutes, &d.Seconds}
	const units = "YMWDHMS"
	next := 0 // the first designator still allowed
	for rest != "" {
		if rest[0] == 'T' {
			if next > 4 {
				return d, false
			}
			next, rest = 4, rest[1:]
			if rest == "" || rest[0] == 'T' {
				return d, false
			}
			continue
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || i > 7 {
			return d, false
		}
		n, _ := strconv.Atoi(rest[:i])
		if n > 1_000_000 {
			return d, false
		}
		// M is months before T and minutes after it.
		pos := strings.IndexByte(units[next:], rest[i])
		if next < 4 && pos >= 0 && next+pos >= 4 || next >= 4 && pos < 0 {
			return d, false
		}
		if pos < 0 {
			return d, false
		}
		*fields[next+pos] = n
		next += pos + 1
		rest = rest[i+1:]
	}
	return d, true
}

// HasTime reports whether the duration has an hour/minute/second part.
func (d Duration) HasTime() bool { return d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 }

// IsZero reports whether every component is 0.
func (d Duration) IsZero() bool { return d == Duration{} }

// AddTo adds the duration to t (calendar arithmetic for Y/M/W/D).
func (d Duration) AddTo(t time.Time) time.Time {
	t = t.AddDate(d.Years, d.Months, d.Weeks*7+d.Days)
	return t.Add(time.Duration(d.Hours)*time.Hour + time.Duration(d.Minutes)*time.Minute +
		time.Duration(d.Seconds)*time.Second)
}

// ApproxDays returns the duration in days, counting a month as 30 days and a
// year as 365 (UnivaPay counts a monthly cycle as 30 days).
func (d Duration) ApproxDays() float64 {
	return float64(d.Years*365+d.Months*30+d.Weeks*7+d.Days) +
		float64(d.Hours)/24 + float64(d.Minutes)/1440 + float64(d.Seconds)/86400
}

// String formats the duration canonically ("P30D", "PT720H").
func (d Duration) String() string {
	var b strings.Builder
	b.WriteByte('P')
	for _, x := range []struct {
		n int
		u byte
	}{{d.Years, 'Y'}, {d.Months, 'M'}, {d.Weeks, 'W'}, {d.Days, 'D'}} {
		if x.n != 0 {
			b.WriteString(strconv.Itoa(x.n))
			b.WriteByte(x.u)
		}
	}
	if d.HasTime() {
		b.WriteByte('T')
		for _, x := range []struct {
			n int
			u byte
		}{{d.Hours, 'H'}, {d.Minutes, 'M'}, {d.Seconds, 'S'}} {
			if x.n != 0 {
				b.WriteString(strconv.Itoa(x.n))
				b.WriteByte(x.u)
			}
		}
	}
	if b.Len() == 1 {
		return "PT0S"
	}
	return b.String()
}

// Fixed returns the length of a duration that has no years or months (whose
// length varies); ok is false otherwise.
func (d Duration) Fixed() (length time.Duration, ok bool) {
	if d.Years != 0 || d.Months != 0 {
		return 0, false
	}
	return time.Duration(d.Weeks*7+d.Days)*24*time.Hour + time.Duration(d.Hours)*time.Hour +
		time.Duration(d.Minutes)*time.Minute + time.Duration(d.Seconds)*time.Second, true
}

// DurationOf expresses a length as hours, minutes and seconds (PT36H5M),
// rounded to the second.
func DurationOf(length time.Duration) Duration {
	length = length.Round(time.Second)
	if length < 0 {
		length = 0
	}
	return Duration{Hours: int(length / time.Hour), Minutes: int(length % time.Hour / time.Minute), Seconds: int(length % time.Minute / time.Second)}
}
