// Command kessai-bench is the load half of `make bench` (docs/performance.md):
// it starts stripe-mock and `kessai serve` (limits off, a fresh data
// directory), runs the same load generator (package bench/load) against
// both with the same concurrency, and prints flows per second, p50, p99 and
// Kessai's ratio to stripe-mock:
//
//   - the token-then-charge flow with an Idempotency-Key on every POST, at
//     16 and 64 clients;
//   - GET /checkout_info against stripe-mock's GET /v1/charges/{id}, at 500
//     clients.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"kessai/bench/load"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kessai-bench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("kessai-bench", flag.ContinueOnError)
	kessaiBin := fs.String("kessai", "bin/kessai", "the kessai binary")
	stripeBin := fs.String("stripe-mock", defaultStripeMock(), "the stripe-mock binary")
	database := fs.String("database", "", "run kessai on this PostgreSQL database instead of SQLite in a fresh data directory")
	duration := fs.Duration("duration", 3*time.Second, "measured time of each run")
	rounds := fs.Int("rounds", 3, "runs of each server, alternated, per figure (a shared machine's load then weighs on both alike)")
	warmup := fs.Duration("warmup", time.Second, "time run before each measurement")
	clients := fs.String("clients", "16,64", "client counts of the token-then-charge runs")
	infoClients := fs.Int("info-clients", 500, "client count of the checkout_info run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var counts []int
	for f := range strings.SplitSeq(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("--clients: %q is not a client count", f)
		}
		counts = append(counts, n)
	}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "kessai-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	k, kpid, stopKessai, err := startKessai(ctx, *kessaiBin, tmp, *database)
	if err != nil {
		return err
	}
	defer stopKessai()
	sm, spid, stopStripe, err := startStripeMock(ctx, *stripeBin, tmp)
	if err != nil {
		return err
	}
	defer stopStripe()

	fmt.Fprintf(out, "machine: %s/%s, %d CPUs (%s); %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), storageName(*database))
	opt := load.Options{Duration: *duration, Warmup: *warmup}
	fmt.Fprintln(out, "\ntoken then charge, an Idempotency-Key on every POST (flows/s, latency of a flow)")
	for i, n := range counts {
		opt.Clients = n
		kr, sr := alternate(ctx, opt, *rounds, kpid, spid, func(round int) (load.Flow, load.Flow) {
			run := fmt.Sprintf("r%d-%d-%d", i, round, time.Now().UnixNano())
			return k.TokenThenCharge(run), sm.TokenThenCharge(run)
		})
		report(out, kr, sr)
	}
	fmt.Fprintln(out, "\nGET /checkout_info (Kessai) against GET /v1/charges/{id} (stripe-mock)")
	opt.Clients = *infoClients
	kr, sr := alternate(ctx, opt, *rounds, kpid, spid, func(int) (load.Flow, load.Flow) {
		return k.CheckoutInfo(), sm.GetCharge("ch_bench")
	})
	report(out, kr, sr)
	return nil
}

// alternate runs Kessai's and stripe-mock's flows of each round one after
// the other, rounds times, and merges each server's runs.
func alternate(ctx context.Context, opt load.Options, rounds, kpid, spid int, flows func(round int) (kessai, stripe load.Flow)) (load.Result, load.Result) {
	var ks, ss []load.Result
	for r := range max(rounds, 1) {
		kf, sf := flows(r)
		ks = append(ks, measured(ctx, opt, kpid, kf))
		ss = append(ss, measured(ctx, opt, spid, sf))
	}
	return load.Merge(ks...), load.Merge(ss...)
}

// measured is load.Run with the CPU time the server process pid used
// during the whole run (warm-up included, so per flow it is an upper
// bound).
func measured(ctx context.Context, opt load.Options, pid int, flow load.Flow) load.Result {
	before := cpuTime(pid)
	r := load.Run(ctx, opt, flow)
	r.ServerCPU = cpuTime(pid) - before
	return r
}

// cpuTime is the user and system CPU time of process pid so far (Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (in parentheses): utime and
	// stime are the 12th and 13th, in clock ticks (100 a second).
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

func report(out io.Writer, kessai, stripe load.Result) {
	fmt.Fprintf(out, "  kessai      %s\n  stripe-mock %s\n", kessai, stripe)
	if stripe.PerSecond() > 0 {
		fmt.Fprintf(out, "  ratio       %.2f×\n", kessai.PerSecond()/stripe.PerSecond())
	}
}

func defaultStripeMock() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			home, _ := os.UserHomeDir()
			gopath = filepath.Join(home, "go")
		}
		gobin = filepath.Join(gopath, "bin")
	}
	return filepath.Join(gobin, "stripe-mock")
}

func storageName(database string) string {
	if database != "" {
		return "kessai on PostgreSQL"
	}
	return "kessai on SQLite (the default)"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// freeAddr returns a free loopback address.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startKessai creates an app token in a fresh data directory, then starts
// `kessai serve --limits=off` on it.
func startKessai(ctx context.Context, bin, tmp, database string) (load.Kessai, int, func(), error) {
	data := filepath.Join(tmp, "kessai-data")
	addr, err := freeAddr()
	if err != nil {
		return load.Kessai{}, 0, nil, err
	}
	public := "http://" + addr
	var dbArgs []string
	if database != "" {
		dbArgs = []string{"--database", database}
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"apptoken", "create", "--data", data, "--domain", "localhost", "--public-url", public}, dbArgs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return load.Kessai{}, 0, nil, fmt.Errorf("kessai apptoken create: %v: %s", err, stderr.Bytes())
	}
	var tok struct {
		JWT     string `json:"jwt"`
		Secret  string `json:"secret"`
		StoreID string `json:"store_id"`
	}
	if err := json.Unmarshal(outb, &tok); err != nil {
		return load.Kessai{}, 0, nil, fmt.Errorf("kessai apptoken create: %v", err)
	}
	logf, err := os.Create(filepath.Join(tmp, "kessai.log"))
	if err != nil {
		return load.Kessai{}, 0, nil, err
	}
	srv := exec.Command(bin, append([]string{"serve", "--addr", addr, "--data", data, "--public-url", public, "--limits=off"}, dbArgs...)...)
	srv.Stdout, srv.Stderr = logf, logf
	stop, err := start(srv, public+"/heartbeat")
	if err != nil {
		logf.Close()
		return load.Kessai{}, 0, nil, fmt.Errorf("kessai serve: %w", err)
	}
	k := load.Kessai{URL: public, JWT: tok.JWT, Secret: tok.Secret, StoreID: tok.StoreID, Origin: "http://localhost:3000"}
	return k, srv.Process.Pid, func() { stop(); logf.Close() }, nil
}

// startStripeMock starts stripe-mock on a free port.
func startStripeMock(ctx context.Context, bin, tmp string) (load.StripeMock, int, func(), error) {
	if _, err := os.Stat(bin); err != nil {
		return load.StripeMock{}, 0, nil, fmt.Errorf("stripe-mock not found at %s (go install github.com/stripe/stripe-mock@latest)", bin)
	}
	addr, err := freeAddr()
	if err != nil {
		return load.StripeMock{}, 0, nil, err
	}
	logf, err := os.Create(filepath.Join(tmp, "stripe-mock.log"))
	if err != nil {
		return load.StripeMock{}, 0, nil, err
	}
	cmd := exec.Command(bin, "-http-addr", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	u := "http://" + addr
	// stripe-mock answers any path once it listens; /v1/charges needs the key.
	stop, err := start(cmd, u+"/v1/balance")
	if err != nil {
		logf.Close()
		return load.StripeMock{}, 0, nil, fmt.Errorf("stripe-mock: %w", err)
	}
	return load.StripeMock{URL: u}, cmd.Process.Pid, func() { stop(); logf.Close() }, nil
}

// start starts cmd and waits until ready answers; the returned function
// stops it.
func start(cmd *exec.Cmd, ready string) (stop func(), err error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, ready, nil)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return nil, errors.New("did not start within 30 s")
}
