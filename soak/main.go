// Command soak runs the long hardening runs of docs/threat-model.md that
// `make test` keeps short: every fuzz target for a while, then, against the
// built kessai binary, a load of concurrent checkouts, a slow-client
// (slowloris) attack, a flood of polling requests and a series of SIGKILLs
// under load. It prints its figures and exits non-zero when a run lost a
// charge, answered an error it should not have or crashed.
//
//	go run ./soak -bin bin/kessai -fuzztime 60s
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"kessai/internal/serve"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fuzzTargets are the fuzz tests of the repository, by package.
var fuzzTargets = []struct{ pkg, name string }{
	{"./widget", "FuzzInitMessage"},
	{"./widget", "FuzzHTMLAttribute"},
	{"./widget", "FuzzMetadataString"},
	{"./widget", "FuzzSanitizeCSS"},
	{"./server", "FuzzAPIRequest"},
}

func main() {
	bin := flag.String("bin", "bin/kessai", "the kessai binary")
	fuzztime := flag.Duration("fuzztime", 60*time.Second, "how long to fuzz each target (0: no fuzzing)")
	checkouts := flag.Int("checkouts", 1000, "concurrent checkouts of the load run")
	slow := flag.Int("slowloris", 2000, "connections of the slow-client attack")
	polls := flag.Int("polls", 10000, "concurrent polling requests of the flood")
	kills := flag.Int("kills", 5, "SIGKILLs under load")
	flag.Parse()

	failed := false
	report := func(name string, err error, figures string) {
		status := "ok"
		if err != nil {
			status, failed = "FAIL: "+err.Error(), true
		}
		fmt.Printf("%-22s %-60s %s\n", name, figures, status)
	}
	if *fuzztime > 0 {
		for _, f := range fuzzTargets {
			execs, err := fuzz(f.pkg, f.name, *fuzztime)
			report(f.name, err, fmt.Sprintf("%d executions in %v, crashes: %d", execs, *fuzztime, boolInt(err != nil)))
		}
	}
	srv, err := start(*bin, "", true)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	figures, err := loadRun(srv, *checkouts)
	report("load", err, figures)
	figures, err = slowloris(srv, *slow)
	report("slowloris", err, figures)
	figures, err = pollFlood(srv, *polls)
	report("poll flood", err, figures)
	srv.Stop()
	figures, err = killRuns(*bin, *kills)
	report("SIGKILL under load", err, figures)
	if failed {
		os.Exit(1)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var execsRe = regexp.MustCompile(`execs: (\d+)`)

// fuzz runs one fuzz target and returns its number of executions.
func fuzz(pkg, name string, d time.Duration) (int, error) {
	cmd := exec.Command("go", "test", pkg, "-run", "^$", "-fuzz", "^"+name+"$", "-fuzztime", d.String())
	out, err := cmd.CombinedOutput()
	execs := 0
	for _, m := range execsRe.FindAllStringSubmatch(string(out), -1) {
		execs, _ = strconv.Atoi(m[1])
	}
	if err != nil {
		return execs, fmt.Errorf("%v\n%s", err, tail(out, 2000))
	}
	return execs, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// server is a running kessai serve with the demo app token.
type server struct{ *serve.Process }

// start runs kessai serve with the limits off on data (a new directory when
// ""); demo reads the demo app token printed at the first start.
func start(bin, data string, demo bool) (*server, error) {
	p, err := serve.Start(bin, serve.Options{Data: data, Args: []string{"--limits=off"}, Demo: demo})
	if err != nil {
		return nil, err
	}
	return &server{p}, nil
}

// rss is the server's resident memory in kB (Linux).
func (s *server) rss() int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Cmd.Process.Pid))
	m := regexp.MustCompile(`VmRSS:\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 2 * time.Minute}

// call sends an API request with the secret; 0 when no answer came.
func (s *server) call(method, path, body, key string) (int, []byte) {
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Secret+"."+s.JWT)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	r, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, b
}

// checkout creates a token and charges it, both with keys; it returns the
// charge ID.
func (s *server) checkout(key string) (string, error) { return s.checkoutWith(key, "") }

// checkoutWith is checkout with extra fields of the charge (",\"capture\":false").
func (s *server) checkoutWith(key, extra string) (string, error) {
	code, b := s.call("POST", "/tokens", `{"payment_type":"card","type":"one_time","email":"taro@example.com",
	  "data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`, key+"-t")
	if code != 201 {
		return "", fmt.Errorf("POST /tokens: %d %.200s", code, b)
	}
	var v struct{ ID string }
	json.Unmarshal(b, &v)
	code, b = s.call("POST", "/charges", `{"transaction_token_id":"`+v.ID+`","amount":1000,"currency":"JPY"`+extra+`}`, key+"-c")
	if code != 201 {
		return "", fmt.Errorf("POST /charges: %d %.200s", code, b)
	}
	json.Unmarshal(b, &v)
	return v.ID, nil
}

// loadRun runs n checkouts at once, then reads every charge back.
func loadRun(s *server, n int) (string, error) {
	start := time.Now()
	ids := make([]string, n)
	var errs atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			id, err := s.checkout(fmt.Sprintf("load-%d", i))
			if err != nil {
				errs.Add(1)
				first.CompareAndSwap(nil, err)
			}
			ids[i] = id
		})
	}
	wg.Wait()
	took := time.Since(start)
	lost := 0
	for _, id := range ids {
		if id == "" {
			continue
		}
		if code, _ := s.call("GET", "/stores/"+s.StoreID+"/charges/"+id, "", ""); code != 200 {
			lost++
		}
	}
	figures := fmt.Sprintf("%d checkouts in %v, errors: %d, charges lost: %d", n, took.Round(time.Millisecond), errs.Load(), lost)
	if errs.Load() > 0 || lost > 0 {
		return figures, fmt.Errorf("first error: %v", first.Load())
	}
	return figures, nil
}

// slowloris opens n connections that send their headers a byte at a time
// and checks that the server keeps answering and its memory stays bounded.
func slowloris(s *server, n int) (string, error) {
	before := s.rss()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var open atomic.Int64
	for range n {
		go func() {
			c, err := net.Dial("tcp", s.Addr)
			if err != nil {
				return
			}
			defer c.Close()
			open.Add(1)
			defer open.Add(-1)
			io.WriteString(c, "GET /heartbeat HTTP/1.1\r\nHost: x\r\n")
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
				if _, err := io.WriteString(c, "X-A: b\r\n"); err != nil {
					return
				}
			}
		}()
	}
	peak, answered := before, 0
	for range 15 {
		time.Sleep(time.Second)
		peak = max(peak, s.rss())
		if r, err := http.Get(s.URL + "/heartbeat"); err == nil {
			r.Body.Close()
			answered++
		}
	}
	dropped := int64(n) - open.Load()
	figures := fmt.Sprintf("%d slow connections: %d dropped by the server in 15 s, RSS %d→%d MB, heartbeats %d/15",
		n, dropped, before/1024, peak/1024, answered)
	if answered < 15 {
		return figures, errors.New("the server stopped answering")
	}
	if peak-before > 256<<10 {
		return figures, errors.New("memory grew by more than 256 MB")
	}
	return figures, nil
}

// pollFlood sends n polling GETs at once of an authorised charge, which
// is not final: each poll waits as long as the server lets it.
func pollFlood(s *server, n int) (string, error) {
	id, err := s.checkoutWith("poll-flood", `,"capture":false`)
	if err != nil {
		return "", err
	}
	before := s.rss()
	var wg sync.WaitGroup
	var fails atomic.Int64
	peak := atomic.Int64{}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
				if r := int64(s.rss()); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	tr := &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 1}
	c := &http.Client{Transport: tr, Timeout: time.Minute}
	start := time.Now()
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", s.URL+"/stores/"+s.StoreID+"/charges/"+id+"?polling=true", nil)
			req.Header.Set("Authorization", "Bearer "+s.Secret+"."+s.JWT)
			r, err := c.Do(req)
			if err != nil {
				fails.Add(1)
				return
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode != 200 {
				fails.Add(1)
			}
		})
	}
	wg.Wait()
	close(done)
	figures := fmt.Sprintf("%d polls in %v, failed: %d, RSS %d→%d MB", n, time.Since(start).Round(time.Millisecond), fails.Load(), before/1024, peak.Load()/1024)
	if fails.Load() > 0 {
		return figures, errors.New("polls failed")
	}
	if peak.Load()-int64(before) > 384<<10 {
		return figures, errors.New("memory grew by more than 384 MB")
	}
	return figures, nil
}

// killRuns kills a loaded server with SIGKILL k times, restarting it on
// its data each time, and checks that every answered checkout survived.
func killRuns(bin string, k int) (string, error) {
	s, err := start(bin, "", true)
	if err != nil {
		return "", err
	}
	data := s.Data // kept across the restarts, removed at the end
	defer os.RemoveAll(data)
	answered := map[string]string{}
	var mu sync.Mutex
	for round := range k {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 32 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					key := fmt.Sprintf("kill-%d-%d-%d", round, w, i)
					if id, err := s.checkout(key); err == nil {
						mu.Lock()
						answered[key] = id
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(500+round*300) * time.Millisecond)
		s.Kill()
		close(stop)
		wg.Wait()
		next, err := start(bin, data, false)
		if err != nil {
			return "", err
		}
		next.JWT, next.Secret, next.StoreID = s.JWT, s.Secret, s.StoreID
		s = next
	}
	defer s.Stop()
	lost := 0
	for key, id := range answered {
		if got, err := s.checkout(key); err != nil || got != id {
			lost++
		}
	}
	figures := fmt.Sprintf("%d kills, %d answered checkouts, charges lost: %d", k, len(answered), lost)
	if lost > 0 {
		return figures, errors.New("answered checkouts were lost")
	}
	return figures, nil
}
