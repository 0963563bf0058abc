package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startTransport serves h with limits on a loopback port.
func startTransport(t *testing.T, h http.Handler, l transportLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, l)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// A client that never finishes its headers, or its body, is dropped; a
// header block beyond the limit gets 431 (docs/threat-model.md, "Load").
// The timeouts are shortened here; the defaults are in
// defaultTransportLimits.
func TestTransportLimits(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return
		}
		w.Write([]byte("ok"))
	})
	addr := startTransport(t, ok, transportLimits{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond, Idle: time.Second, MaxHeaderBytes: 8 << 10})

	closedWithin := func(name, send string) {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, send)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		start := time.Now()
		b, _ := io.ReadAll(c) // returns when the server closes the connection
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s: the connection was kept for %v", name, time.Since(start))
		}
		if strings.Contains(string(b), "ok") {
			t.Errorf("%s: served: %q", name, b)
		}
	}
	closedWithin("slow headers", "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	closedWithin("slow body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 64<<10)+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("a 64 KB header: %v %v, want 431", resp, err)
	}

	if got := defaultTransportLimits; got.ReadHeader <= 0 || got.Read <= 0 || got.Idle <= 0 || got.MaxHeaderBytes <= 0 {
		t.Errorf("a default transport limit is off: %+v", got)
	}
}

// At most MaxConns connections are served at once; the next is served as
// soon as one closes.
func TestConnectionLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }), defaultTransportLimits)
	go srv.Serve(limitConns(ln, 2))
	defer srv.Close()
	addr := ln.Addr().String()
	get := func(c net.Conn) error {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		_, err := http.ReadResponse(bufio.NewReader(c), nil)
		return err
	}
	var conns []net.Conn
	for i := range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
		err = get(c)
		if i < 2 && err != nil {
			t.Fatalf("connection %d: %v", i+1, err)
		}
		if i == 2 && err == nil {
			t.Fatal("a third connection was served while two were open")
		}
	}
	conns[0].Close()
	if err := get(conns[2]); err != nil {
		t.Fatalf("the waiting connection was not served after one closed: %v", err)
	}
}
