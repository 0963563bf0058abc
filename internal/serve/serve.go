// Package serve starts `kessai serve` as a child process, for the programs
// and tests that drive the built binary: the browser tests (e2e), `make
// soak` and `make bench-click`.
package serve

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Options says how to start the server.
type Options struct {
	// Data is the --data directory; "" starts on a new temporary one,
	// removed by Stop.
	Data string
	// Args are more flags: --limits=off, --database, …
	Args []string
	// Log receives the server's stderr (a line per request); nil drops it.
	Log io.Writer
	// Demo reads the demo app token the first start on a data directory
	// prints (JWT, Secret, StoreID).
	Demo bool
}

// Process is a running `kessai serve`.
type Process struct {
	Cmd *exec.Cmd
	// Addr is where it listens, 127.0.0.1:PORT.
	Addr string
	// URL is the widget and API origin, http://localhost:PORT (its
	// --public-url); Shop is http://127.0.0.1:PORT, another origin on the
	// same listener, as a merchant's shop is.
	URL, Shop string
	Data      string
	// The demo app token, when Options.Demo.
	JWT, Secret, StoreID string

	tempData bool
}

// Start starts bin serve on a free port and returns once it answers
// GET /heartbeat.
func Start(bin string, o Options) (*Process, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p := &Process{Addr: fmt.Sprintf("127.0.0.1:%d", port), URL: fmt.Sprintf("http://localhost:%d", port),
		Shop: fmt.Sprintf("http://127.0.0.1:%d", port), Data: o.Data}
	if p.Data == "" {
		if p.Data, err = os.MkdirTemp("", "kessai-serve-"); err != nil {
			return nil, err
		}
		p.tempData = true
	}
	p.Cmd = exec.Command(bin, append([]string{"serve", "--addr", p.Addr, "--data", p.Data, "--public-url", p.URL}, o.Args...)...)
	p.Cmd.Stderr = o.Log
	out, err := p.Cmd.StdoutPipe()
	if err == nil {
		err = p.Cmd.Start()
	}
	if err != nil {
		p.removeData()
		return nil, err
	}
	if o.Demo {
		if err := p.readDemo(out); err != nil {
			p.Stop()
			return nil, err
		}
	} else {
		go io.Copy(io.Discard, out)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if r, err := http.Get(p.URL + "/heartbeat"); err == nil {
			r.Body.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, errors.New("kessai serve did not answer GET /heartbeat in 30 s")
		}
	}
}

// readDemo reads the demo app token line that a first start prints.
func (p *Process) readDemo(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var tok struct {
			JWT     string `json:"jwt"`
			Secret  string `json:"secret"`
			StoreID string `json:"store_id"`
		}
		if err := json.Unmarshal([]byte(line), &tok); err != nil {
			return fmt.Errorf("the demo app token line: %w", err)
		}
		p.JWT, p.Secret, p.StoreID = tok.JWT, tok.Secret, tok.StoreID
		go io.Copy(io.Discard, r)
		return nil
	}
	return fmt.Errorf("kessai serve printed no demo app token: %v", sc.Err())
}

// Stop interrupts the server, waits for it and removes a temporary data
// directory.
func (p *Process) Stop() {
	p.Cmd.Process.Signal(os.Interrupt)
	p.Cmd.Wait()
	p.removeData()
}

// Kill stops the server with SIGKILL, as a crash would, and waits for it;
// its data directory stays.
func (p *Process) Kill() error {
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	p.Cmd.Wait()
	return nil
}

func (p *Process) removeData() {
	if p.tempData {
		os.RemoveAll(p.Data)
	}
}
