// Package load is the load generator of `make bench` (docs/performance.md):
// a fixed number of clients, each running one flow (a sequence of HTTP
// requests) after the other for a fixed time, over keep-alive connections.
// The same generator drives Kessai and stripe-mock, so that their figures
// are comparable: only the flows differ.
package load

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Flow is one unit of work of a client: one or more requests. It returns an
// error when any of them failed (a transport error or an unexpected status).
type Flow func(ctx context.Context, c *Client) error

// Client sends the requests of one simulated client.
type Client struct {
	HTTP *http.Client
	// ID is the client's number, N counts its flows: together they make
	// unique idempotency keys.
	ID, N int
}

// Key returns a new idempotency key, unique across the clients of a run.
func (c *Client) Key(run string, step string) string {
	return fmt.Sprintf("%s-%d-%d-%s", run, c.ID, c.N, step)
}

// Do sends req and reads the whole body; a status other than want is an
// error.
func (c *Client) Do(req *http.Request, want int) ([]byte, error) {
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return body, fmt.Errorf("%s %s: status %d, want %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, want, body)
	}
	return body, nil
}

// Options of a run.
type Options struct {
	Clients  int
	Duration time.Duration // measured time
	Warmup   time.Duration // run before measuring, not counted
}

// Result of a run.
type Result struct {
	Clients  int
	Flows    int // completed without error in the measured time
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	P50, P99 time.Duration // latency of one flow
	// Latencies are the flows' latencies, sorted.
	Latencies []time.Duration
	// ServerCPU is the CPU time the server used in the run, when measured.
	ServerCPU time.Duration
}

// Merge adds the runs of the same load into one result: their flows over
// their total time, their latencies together.
func Merge(rs ...Result) Result {
	var m Result
	for _, r := range rs {
		m.Clients = r.Clients
		m.Flows += r.Flows
		m.Errors += r.Errors
		if m.FirstErr == nil {
			m.FirstErr = r.FirstErr
		}
		m.Elapsed += r.Elapsed
		m.Latencies = append(m.Latencies, r.Latencies...)
		m.ServerCPU += r.ServerCPU
	}
	slices.Sort(m.Latencies)
	m.P50, m.P99 = Percentile(m.Latencies, 50), Percentile(m.Latencies, 99)
	return m
}

// PerSecond is the throughput in flows per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Flows) / r.Elapsed.Seconds()
}

func (r Result) String() string {
	s := fmt.Sprintf("%4d clients %9.0f/s  p50 %7.2f ms  p99 %7.2f ms", r.Clients, r.PerSecond(),
		float64(r.P50.Microseconds())/1000, float64(r.P99.Microseconds())/1000)
	if r.ServerCPU > 0 && r.Flows > 0 {
		s += fmt.Sprintf("  server CPU %5.0f µs/flow", float64(r.ServerCPU.Microseconds())/float64(r.Flows))
	}
	if r.Errors > 0 {
		s += fmt.Sprintf("  %d errors (first: %v)", r.Errors, r.FirstErr)
	}
	return s
}

// NewHTTPClient returns an HTTP client keeping up to conns connections to
// one host alive.
func NewHTTPClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
		},
	}
}

// Run runs flow on opt.Clients clients, each one flow after the other, for
// opt.Warmup then opt.Duration, and reports the flows completed in the
// measured time.
func Run(ctx context.Context, opt Options, flow Flow) Result {
	hc := NewHTTPClient(opt.Clients)
	defer hc.CloseIdleConnections()
	start := time.Now()
	measureFrom := start.Add(opt.Warmup)
	end := measureFrom.Add(opt.Duration)
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()

	type clientResult struct {
		lat    []time.Duration
		errors int
		first  error
	}
	results := make([]clientResult, opt.Clients)
	var wg sync.WaitGroup
	for i := range opt.Clients {
		wg.Go(func() {
			c := &Client{HTTP: hc, ID: i}
			res := &results[i]
			for ctx.Err() == nil {
				t0 := time.Now()
				err := flow(ctx, c)
				t1 := time.Now()
				c.N++
				if t0.Before(measureFrom) || t1.After(end) {
					continue // warm-up, or cut by the end of the run
				}
				if err != nil {
					res.errors++
					if res.first == nil {
						res.first = err
					}
					continue
				}
				res.lat = append(res.lat, t1.Sub(t0))
			}
		})
	}
	wg.Wait()
	r := Result{Clients: opt.Clients, Elapsed: opt.Duration}
	var lat []time.Duration
	for _, cr := range results {
		lat = append(lat, cr.lat...)
		r.Errors += cr.errors
		if r.FirstErr == nil {
			r.FirstErr = cr.first
		}
	}
	r.Flows = len(lat)
	slices.Sort(lat)
	r.P50, r.P99 = Percentile(lat, 50), Percentile(lat, 99)
	r.Latencies = lat
	return r
}

// Percentile returns the p-th percentile (nearest rank) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
