package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Charts drawn by the server as inline SVG, each with a table of the same
// numbers for screen readers and for reading exact values
// (docs/dashboard.md, "Charts").

// chartDays is how many sandbox days the payments chart covers.
const chartDays = 14

// chartMaxPages bounds the charge pages read for the chart.
const chartMaxPages = 10

// jst is Japan time: a sandbox day is a day in Japan.
var jst = time.FixedZone("JST", 9*3600)

// chartStatuses are the charge statuses drawn, bottom up.
var chartStatuses = []string{"successful", "authorized", "awaiting", "pending", "canceled", "failed", "error"}

// segment is one status's part of a bar.
type segment struct {
	Status    string
	Count     int
	Y, Height float64
}

// bar is one day of the payments chart.
type bar struct {
	Day   string // MM-DD
	X     float64
	Total int
	// Top is where the total is written, above the bar.
	Top      float64
	Segments []segment
	Counts   map[string]int
}

// paymentsChart is the payments per status over the last chartDays days.
type paymentsChart struct {
	Bars     []bar
	Statuses []string
	Max      int
	Width    float64
	Height   float64
	BarWidth float64
	Total    int
	// Partial: more charges than were read (chartMaxPages pages).
	Partial bool
}

// chartHeight is the height of the bars' area, chartTop the room above
// it for the tallest bar's total.
const (
	chartHeight = 160.0
	chartTop    = 16.0
)

// paymentsChartOf reads the store's charges of the last chartDays days
// (on its sandbox clock) and counts them per day and status.
func (h *Handler) paymentsChartOf(r *http.Request, s *session) *paymentsChart {
	res := h.call(r.Context(), r, s, http.MethodGet, "/sandbox/clock", nil)
	clock, err := res.decode()
	if !res.ok() || err != nil {
		return nil
	}
	now, err := time.Parse(time.RFC3339, fmt.Sprint(clock["now"]))
	if err != nil {
		return nil
	}
	today := now.In(jst)
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, jst).AddDate(0, 0, -(chartDays - 1))
	c := &paymentsChart{Statuses: chartStatuses, BarWidth: 28}
	index := map[string]int{}
	for i := range chartDays {
		d := first.AddDate(0, 0, i)
		index[d.Format(time.DateOnly)] = i
		c.Bars = append(c.Bars, bar{Day: d.Format("01-02"), X: float64(i) * 36, Counts: map[string]int{}})
	}
	q := url.Values{"limit": {"100"}, "from": {first.UTC().Format(time.RFC3339)}}
	for page := 0; ; page++ {
		if page == chartMaxPages {
			c.Partial = true
			break
		}
		res := h.call(r.Context(), r, s, http.MethodGet, s.storePath("/charges?"+q.Encode()), nil)
		d, err := res.decode()
		if !res.ok() || err != nil {
			return nil
		}
		items := listOf(d["items"])
		for _, it := range items {
			m, _ := it.(map[string]any)
			t, err := time.Parse(time.RFC3339, fmt.Sprint(m["created_on"]))
			if err != nil {
				continue
			}
			i, ok := index[t.In(jst).Format(time.DateOnly)]
			if !ok {
				continue
			}
			c.Bars[i].Counts[fmt.Sprint(m["status"])]++
			c.Bars[i].Total++
			c.Total++
		}
		more, _ := d["has_more"].(bool)
		if !more || len(items) == 0 {
			break
		}
		last, _ := items[len(items)-1].(map[string]any)
		q.Set("cursor", fmt.Sprint(last["id"]))
	}
	for _, b := range c.Bars {
		c.Max = max(c.Max, b.Total)
	}
	scale := 0.0
	if c.Max > 0 {
		scale = chartHeight / float64(c.Max)
	}
	for i := range c.Bars {
		y := chartTop + chartHeight
		for _, st := range chartStatuses {
			n := c.Bars[i].Counts[st]
			if n == 0 {
				continue
			}
			h := float64(n) * scale
			y -= h
			c.Bars[i].Segments = append(c.Bars[i].Segments, segment{Status: st, Count: n, Y: y, Height: h})
		}
		c.Bars[i].Top = y - 4
	}
	c.Width = float64(chartDays)*36 + 8
	c.Height = chartTop + chartHeight + 24
	return c
}

// rateBar is one status's bar of the webhook chart.
type rateBar struct {
	rate
	Y, Width float64
}

// rateBars lays the delivery rates out as horizontal bars.
func rateBars(rates []rate) []rateBar {
	var out []rateBar
	for i, r := range rates {
		w := 0.0
		if r.Total > 0 {
			w = 240 * float64(r.Count) / float64(r.Total)
		}
		out = append(out, rateBar{rate: r, Y: float64(i) * 28, Width: w})
	}
	return out
}
