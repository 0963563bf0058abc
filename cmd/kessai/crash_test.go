package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"kessai/api"
)

// childServeEnv makes the test binary run `kessai serve` with the
// arguments it holds (JSON), so that a test can kill a real server process
// (TestMain).
const childServeEnv = "KESSAI_TEST_CHILD_SERVE"

// serveChild runs the serve command of childServeEnv and exits.
func serveChild(args string) {
	var a []string
	if err := json.Unmarshal([]byte(args), &a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := run(context.Background(), a, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kessai:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// childServer is `kessai serve` in a process of its own.
type childServer struct {
	cmd *exec.Cmd
	url string
}

// startChild starts `kessai serve --limits=off` on dir and waits until it
// answers; on the first start of dir it returns the demo app token it
// prints.
func startChild(t *testing.T, dir string, first bool) (*childServer, *struct{ JWT, Secret, StoreID string }) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("http://localhost:%d", port)
	args, _ := json.Marshal([]string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", dir, "--public-url", url, "--limits=off"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childServeEnv+"="+string(args))
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var demo *struct{ JWT, Secret, StoreID string }
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "{") {
			var tok struct {
				JWT     string `json:"jwt"`
				Secret  string `json:"secret"`
				StoreID string `json:"store_id"`
			}
			if err := json.Unmarshal([]byte(line), &tok); err != nil {
				t.Fatal(err)
			}
			demo = &struct{ JWT, Secret, StoreID string }{tok.JWT, tok.Secret, tok.StoreID}
		}
		// The token comes last on a first start; a restart prints none.
		if demo != nil || !first && strings.Contains(line, "limits are off") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	if err := waitHTTP(url + "/heartbeat"); err != nil {
		t.Fatal(err)
	}
	return &childServer{cmd: cmd, url: url}, demo
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitHTTP(url string) error {
	var err error
	for range 300 {
		var resp *http.Response
		if resp, err = http.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
		syscall.Nanosleep(&syscall.Timespec{Nsec: 50e6}, nil) // the server starting, not a rule under test
	}
	return err
}

// Every write the server acknowledged survives kill -9 (docs/performance.md,
// "SQLite"): clients pay with an Idempotency-Key on every POST while the
// server is killed; after a restart on the same data directory, every
// charge and token that was answered 201 is there, and the same key
// replays the same charge.
func TestAcknowledgedWritesSurviveKill9(t *testing.T) {
	dir := t.TempDir()
	srv, demo := startChild(t, dir, true)
	if demo == nil {
		t.Fatal("the first start printed no demo app token")
	}
	auth := "Bearer " + demo.Secret + "." + demo.JWT
	post := func(url, path, body, key string) (int, []byte, error) {
		req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(api.HeaderIdempotencyKey, key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	type acked struct{ key, tokenID, chargeID string }
	var (
		mu    sync.Mutex
		done  []acked
		wg    sync.WaitGroup
		kill  = make(chan struct{})
		once  sync.Once
		total = 400 // acknowledged payments before the kill
	)
	for c := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-kill:
					return
				default:
				}
				key := fmt.Sprintf("crash-%d-%d", c, i)
				code, b, err := post(srv.url, "/tokens", `{"payment_type":"card","type":"one_time","email":"a@example.com",`+
					`"data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`, key+"-token")
				if err != nil || code != 201 {
					continue // killed under way
				}
				var tok api.TransactionToken
				json.Unmarshal(b, &tok)
				code, b, err = post(srv.url, "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`, key+"-charge")
				if err != nil || code != 201 {
					continue
				}
				var ch api.Charge
				json.Unmarshal(b, &ch)
				mu.Lock()
				done = append(done, acked{key, tok.ID, ch.ID})
				if len(done) == total {
					once.Do(func() {
						srv.cmd.Process.Signal(syscall.SIGKILL) // while the other clients write
						close(kill)
					})
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	srv.cmd.Wait()

	mu.Lock()
	defer mu.Unlock()
	again, _ := startChild(t, dir, false)
	get := func(path string) int {
		req, _ := http.NewRequest("GET", again.url+path, nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, a := range done {
		if code := get("/stores/" + demo.StoreID + "/charges/" + a.chargeID); code != 200 {
			t.Errorf("acknowledged charge %s: %d after kill -9", a.chargeID, code)
		}
		if code := get("/stores/" + demo.StoreID + "/tokens/" + a.tokenID); code != 200 {
			t.Errorf("acknowledged token %s: %d after kill -9", a.tokenID, code)
		}
	}
	// The stored responses survived too (each is the last write before
	// its answer): the charge's key replays the charge.
	for _, a := range done {
		code, b, err := post(again.url, "/charges", `{"transaction_token_id":"`+a.tokenID+`","amount":1000,"currency":"JPY"}`, a.key+"-charge")
		var ch api.Charge
		json.Unmarshal(b, &ch)
		if err != nil || code != 201 || ch.ID != a.chargeID {
			t.Errorf("replay of %s: %d %s %v, want charge %s", a.key, code, b, err, a.chargeID)
		}
	}
	t.Logf("%d acknowledged payments checked after kill -9", len(done))
}
